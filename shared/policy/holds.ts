// Evidentiary-hold rules of the ALPR policy: what a valid hold request and a valid release look like.
// Pure: takes the raw request and `now`, returns the hold to store or every problem found (errors as values).
import { normaliseIdentity, sameIdentity } from './identity.js';

/** What a hold covers: listed reads, or a camera's time range [from, to), optionally one plate. */
export type HoldScope =
  | { kind: 'reads'; readIds: number[] }
  | { kind: 'camera'; cameraId: string; from: number; to: number; plate?: string };

/** A valid hold, as the rules return it and the store keeps it. */
export interface NewHold {
  caseNumber: string;
  crimeType: string;
  reason: string;
  requestedBy: string;
  approvedBy: string;
  scope: HoldScope;
  reviewBy?: number | null;
}

/** A problem with a hold request, named by the field an operator typed. */
export interface HoldProblem {
  field: string;
  message: string;
}

export type HoldCheck<T> = { ok: true; value: T } | { ok: false; problems: HoldProblem[] };

/** A hold request as typed by a person: times are ISO 8601 text, ids are text. */
export interface HoldRequestInput {
  caseNumber?: string;
  crimeType?: string;
  reason?: string;
  requestedBy?: string;
  approvedBy?: string;
  readIds?: readonly string[];
  cameraId?: string;
  from?: string;
  to?: string;
  plate?: string;
  reviewBy?: string;
}

export interface HoldRules {
  /** Longest camera time range a hold may name without a plate (stops blanket holds on a camera). */
  maxCameraRangeHours: number;
  /** Most read ids one hold may list. */
  maxReadIds?: number;
}

const DEFAULT_MAX_READ_IDS = 10_000;
const TEXT_LIMIT = 2000;

// ISO 8601: a date (taken as UTC midnight) or a date-time that states its zone (Z or ±hh:mm).
// A date-time without a zone would silently mean the host's local time: evidence needs no guessing.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parse an ISO 8601 date or zoned date-time to ms since epoch (UTC).
 * @example parseIsoTime('2026-03-01T10:00:00Z') // { ok: true, value: 1772359200000 }
 */
export function parseIsoTime(text: string): { ok: true; value: number } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (!ISO_DATE.test(trimmed) && !ISO_DATE_TIME.test(trimmed)) {
    return {
      ok: false,
      message: `"${text}" is not an ISO 8601 date (2026-03-01) or date-time with a zone (2026-03-01T10:00:00Z, …+02:00)`,
    };
  }
  const value = Date.parse(trimmed);
  if (!Number.isFinite(value)) return { ok: false, message: `"${text}" is not a real date` };
  // Date.parse rolls 2026-02-30 over to March; refuse dates that do not exist.
  const day = trimmed.slice(0, 10);
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) {
    return { ok: false, message: `"${text}" is not a real date` };
  }
  return { ok: true, value };
}

/**
 * Normalise plate text the way the recognizer stores it: upper case, no spaces or dashes.
 * @example normalisePlate(' 7abc-123 ') // '7ABC123'
 */
export function normalisePlate(text: string): string {
  return text.replace(/[\s-]+/g, '').toUpperCase();
}

/** A person's identity, normalised (shared/policy/identity.ts); '' with a problem when it is not usable. */
function requiredIdentity(input: string | undefined, field: string, label: string, problems: HoldProblem[]) {
  if (input === undefined || input.trim() === '') {
    problems.push({ field, message: `${label} is required` });
    return '';
  }
  const checked = normaliseIdentity(input);
  if (!checked.ok) {
    problems.push({ field, message: `${label} ${checked.message}` });
    return '';
  }
  return checked.value;
}

function requiredText(input: string | undefined, field: string, label: string, problems: HoldProblem[]) {
  const value = input?.trim() ?? '';
  if (value.length === 0) problems.push({ field, message: `${label} is required` });
  else if (value.length > TEXT_LIMIT)
    problems.push({ field, message: `${label} is longer than ${TEXT_LIMIT} characters` });
  return value;
}

/**
 * Check a hold request at `now`: case number, crime type, reason, requester and a different approver are
 * required; exactly one scope (read ids, or camera + time range); a review date, if any, in the future.
 * @example validateHoldRequest({ caseNumber: 'C-1', crimeType: 'PC211', reason: 'robbery',
 *   requestedBy: 'det.a', approvedBy: 'lt.b', readIds: ['42'] }, Date.now(), { maxCameraRangeHours: 24 })
 */
export function validateHoldRequest(
  input: HoldRequestInput,
  now: number,
  rules: HoldRules,
): HoldCheck<NewHold> {
  const problems: HoldProblem[] = [];
  const caseNumber = requiredText(input.caseNumber, 'case', 'case number', problems);
  const crimeType = requiredText(input.crimeType, 'crime-type', 'crime type', problems);
  const reason = requiredText(input.reason, 'reason', 'reason', problems);
  const requestedBy = requiredIdentity(input.requestedBy, 'by', 'requester (--by)', problems);
  const approvedBy = requiredIdentity(input.approvedBy, 'approved-by', 'approver', problems);
  // Compared normalised and by look-alike skeleton: "Det.A " or a Cyrillic "dеt.a" approving "det.a" is
  // still one person approving themself.
  if (requestedBy && approvedBy && sameIdentity(requestedBy, approvedBy)) {
    problems.push({
      field: 'approved-by',
      message: 'the approver must be a different person from the requester',
    });
  }
  const scope = checkScope(input, now, rules, problems);
  let reviewBy: number | null = null;
  if (input.reviewBy !== undefined) {
    const parsed = parseIsoTime(input.reviewBy);
    if (!parsed.ok) problems.push({ field: 'review-by', message: parsed.message });
    else if (parsed.value <= now) problems.push({ field: 'review-by', message: 'must be in the future' });
    else reviewBy = parsed.value;
  }
  if (problems.length > 0 || !scope) return { ok: false, problems };
  return { ok: true, value: { caseNumber, crimeType, reason, requestedBy, approvedBy, scope, reviewBy } };
}

function checkScope(
  input: HoldRequestInput,
  now: number,
  rules: HoldRules,
  problems: HoldProblem[],
): HoldScope | undefined {
  const byReads = input.readIds !== undefined && input.readIds.length > 0;
  const byCamera = [input.cameraId, input.from, input.to, input.plate].some((v) => v !== undefined);
  if (byReads === byCamera) {
    problems.push({
      field: 'scope',
      message: byReads
        ? 'give either --read IDs or --camera/--from/--to, not both'
        : 'a hold needs a scope: --read ID... or --camera ID --from T --to T [--plate P]',
    });
    return undefined;
  }
  if (byReads) return checkReadScope(input.readIds ?? [], rules, problems);
  return checkCameraScope(input, now, rules, problems);
}

function checkReadScope(readIds: readonly string[], rules: HoldRules, problems: HoldProblem[]) {
  const ids: number[] = [];
  for (const text of readIds) {
    const id = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
    if (!Number.isSafeInteger(id) || id < 1)
      problems.push({ field: 'read', message: `"${text}" is not a read id` });
    else if (!ids.includes(id)) ids.push(id);
  }
  const max = rules.maxReadIds ?? DEFAULT_MAX_READ_IDS;
  if (ids.length > max) problems.push({ field: 'read', message: `at most ${max} read ids per hold` });
  return problems.length > 0 ? undefined : ({ kind: 'reads', readIds: ids } satisfies HoldScope);
}

function checkCameraScope(input: HoldRequestInput, now: number, rules: HoldRules, problems: HoldProblem[]) {
  const before = problems.length;
  const cameraId = input.cameraId?.trim() ?? '';
  if (!cameraId) problems.push({ field: 'camera', message: '--camera is required with --from/--to' });
  const times: Partial<Record<'from' | 'to', number>> = {};
  for (const field of ['from', 'to'] as const) {
    const text = input[field];
    if (text === undefined) {
      problems.push({ field, message: `--${field} is required with --camera` });
      continue;
    }
    const parsed = parseIsoTime(text);
    if (parsed.ok) times[field] = parsed.value;
    else problems.push({ field, message: parsed.message });
  }
  const { from, to } = times;
  if (from !== undefined && to !== undefined) {
    if (from >= to) problems.push({ field: 'to', message: 'must be after --from' });
    if (from > now)
      problems.push({ field: 'from', message: 'is in the future: a hold covers reads that exist' });
  }
  let plate: string | undefined;
  if (input.plate !== undefined) {
    plate = normalisePlate(input.plate);
    if (!/^[A-Z0-9]{1,12}$/.test(plate))
      problems.push({ field: 'plate', message: `"${input.plate}" is not plate text (A-Z, 0-9)` });
  }
  const maxMs = rules.maxCameraRangeHours * 3_600_000;
  if (from !== undefined && to !== undefined && from < to && plate === undefined && to - from > maxMs) {
    problems.push({
      field: 'to',
      message: `a camera hold without --plate may span at most ${rules.maxCameraRangeHours} h (retention.holdMaxCameraRangeHours)`,
    });
  }
  if (problems.length > before || from === undefined || to === undefined) return undefined;
  const scope: HoldScope = { kind: 'camera', cameraId, from, to };
  if (plate !== undefined) scope.plate = plate;
  return scope;
}

export interface HoldReleaseInput {
  releasedBy?: string;
  reason?: string;
}

/**
 * Check a release request: who releases it and why are required.
 * @example validateHoldRelease({ releasedBy: 'lt.b', reason: 'case closed' })
 */
export function validateHoldRelease(
  input: HoldReleaseInput,
): HoldCheck<{ releasedBy: string; reason: string }> {
  const problems: HoldProblem[] = [];
  const releasedBy = requiredIdentity(input.releasedBy, 'by', 'who releases the hold (--by)', problems);
  const reason = requiredText(input.reason, 'reason', 'reason', problems);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: { releasedBy, reason } };
}

/** The audit-chain description of a hold's scope (ISO times, so a reader needs no decoding). */
export function describeScope(scope: HoldScope): Record<string, unknown> {
  if (scope.kind === 'reads') return { kind: 'reads', readIds: scope.readIds };
  return {
    kind: 'camera',
    cameraId: scope.cameraId,
    from: new Date(scope.from).toISOString(),
    to: new Date(scope.to).toISOString(),
    ...(scope.plate !== undefined ? { plate: scope.plate } : {}),
  };
}
