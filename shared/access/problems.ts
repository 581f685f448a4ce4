// The shape every access rule answers in: a value, or every problem found, each naming the field.
// Errors are values here because a refused request is an expected outcome, not a fault.

/** A problem with one field of a request, in words a person can act on. */
export interface AccessProblem {
  field: string;
  message: string;
  /** A stable reason code for counting refusals in reports (e.g. 'generic_justification'). */
  code?: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: AccessProblem[] };

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** The time as ISO 8601 text for messages (UTC), e.g. iso(0) === '1970-01-01T00:00:00.000Z'. */
export const iso = (ms: number) => new Date(ms).toISOString();
