// The one gate every event passes before any sink sees it: an event is sent only when it can be proven
// plate-free: plain JSON, a known type, no field the catalog does not name, every value of the declared
// kind, and every id one this process declared (its node id, its cameras, the edges it knows). Anything
// else is refused whole. Problems name the field path and a code, never the offending value or key,
// so the refusal itself can be logged without carrying what it refused (AUD-07).
import type { z } from 'zod';
import {
  type AlprEvent,
  type DeclaredIdKind,
  EVENT_CATALOG,
  type EventType,
  envelopeSchema,
} from './event-catalog.js';

export interface DeclaredIds {
  node: ReadonlySet<string>;
  camera: ReadonlySet<string>;
  edge: ReadonlySet<string>;
}

export type EventProblemCode = 'not_json' | 'unknown_field' | 'invalid' | 'undeclared_id' | 'too_large';

export interface EventProblem {
  /** Dotted path of the field (declared names and indices only; an unknown key is not named). */
  path: string;
  code: EventProblemCode;
}

export type EventCheck =
  | { ok: true; event: AlprEvent }
  | { ok: false; type: EventType | 'unknown'; problems: EventProblem[] };

/** Events are small; anything larger is not one of ours. */
export const MAX_EVENT_BYTES = 4096;
const MAX_DEPTH = 4;

/**
 * Prove `value` is a plate-free event, or say which fields could not be proven.
 * @example checkEvent(event, { node: new Set(['edge-01']), camera: new Set(['gate-north']), edge: new Set() })
 *   // { ok: true, event } — or { ok: false, type: 'camera.back', problems: [{ path: 'data', code: 'unknown_field' }] }
 */
export function checkEvent(value: unknown, ids: DeclaredIds, maxBytes = MAX_EVENT_BYTES): EventCheck {
  const typeOf = (): EventType | 'unknown' => {
    const t = (value as { type?: unknown } | null)?.type;
    return typeof t === 'string' && Object.hasOwn(EVENT_CATALOG, t) ? (t as EventType) : 'unknown';
  };
  const fail = (problems: EventProblem[]): EventCheck => ({ ok: false, type: typeOf(), problems });

  const shape = plainJsonProblem(value, '', 0);
  if (shape) return fail([shape]);
  if (JSON.stringify(value).length > maxBytes) return fail([{ path: '', code: 'too_large' }]);

  const envelope = envelopeSchema.safeParse(value);
  if (!envelope.success) return fail(toProblems(envelope.error, []));
  const type = envelope.data.type;
  const entry = EVENT_CATALOG[type];
  const data = (entry.data as z.ZodType).safeParse(envelope.data.data);
  if (!data.success) return fail(toProblems(data.error, ['data']));

  const problems: EventProblem[] = [];
  if (!ids.node.has(envelope.data.source.nodeId))
    problems.push({ path: 'source.nodeId', code: 'undeclared_id' });
  const fields = data.data as Record<string, unknown>;
  for (const [field, kind] of Object.entries(entry.ids) as Array<[string, DeclaredIdKind]>) {
    const id = fields[field];
    if (id !== undefined && !ids[kind].has(id as string))
      problems.push({ path: `data.${field}`, code: 'undeclared_id' });
  }
  if (problems.length > 0) return fail(problems);
  // What was checked is what is sent: the parsed copy, not the caller's object.
  const event = { ...envelope.data, data: fields } as AlprEvent;
  if (event.suppressed === undefined) delete event.suppressed;
  return { ok: true, event };
}

/** Only plain objects, arrays, strings, finite numbers, booleans and null, a few levels deep. */
function plainJsonProblem(value: unknown, path: string, depth: number): EventProblem | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : { path, code: 'not_json' };
  if (depth >= MAX_DEPTH || typeof value !== 'object') return { path, code: 'not_json' };
  const isArray = Array.isArray(value);
  const proto = Object.getPrototypeOf(value);
  if (!isArray && proto !== Object.prototype && proto !== null) return { path, code: 'not_json' };
  if (Object.getOwnPropertySymbols(value).length > 0) return { path, code: 'not_json' };
  const entries = isArray
    ? (value as unknown[]).map((v, i) => [String(i), v] as const)
    : Object.entries(value);
  for (const [key, child] of entries) {
    // An unknown key is reported at its parent: the key itself may be what must not be logged.
    const childPath = isArray || isSafeKey(key) ? join(path, key) : path;
    const problem = plainJsonProblem(child, childPath, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

const SAFE_KEYS = new Set(
  ['id', 'type', 'timestamp', 'source', 'kind', 'nodeId', 'suppressed', 'data'].concat(
    Object.values(EVENT_CATALOG).flatMap((e) => Object.keys((e.data as unknown as { shape: object }).shape)),
  ),
);
function isSafeKey(key: string): boolean {
  return SAFE_KEYS.has(key);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function toProblems(error: z.ZodError, prefix: string[]): EventProblem[] {
  const seen = new Set<string>();
  const problems: EventProblem[] = [];
  for (const issue of error.issues) {
    // Zod paths hold the keys it was looking for (declared names) or array indices; for an unknown
    // key it reports the parent object's path and keeps the key's name out of ours.
    const path = [...prefix, ...issue.path.map(String)].join('.');
    const code: EventProblemCode = issue.code === 'unrecognized_keys' ? 'unknown_field' : 'invalid';
    const key = `${path}\u0000${code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ path, code });
  }
  return problems;
}
