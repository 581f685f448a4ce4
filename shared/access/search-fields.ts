// The field checks of a search request, each appending problems that name the field: case number
// against the configured format, times (ISO 8601 with a zone, or ms), the range against retention,
// camera ids, and an area polygon (validated by the geofence's own polygon rules).
import { CAMERA_ID_PATTERN } from '../config/camera.schema.js';
import { POLICY_RETENTION_DAYS } from '../config/retention.schema.js';
import type { LngLat } from '../geofence/local-frame.js';
import { checkPolygon, type RegistryProblem } from '../geofence/site-validation.js';
import { parseIsoTime } from '../policy/holds.js';
import { retentionCutoff } from '../policy/retention.js';
import { type AccessProblem, iso } from './problems.js';

const TEXT_LIMIT = 64;

export interface CaseNumberRules {
  caseNumberPattern: RegExp;
  /** An example that matches the pattern, for the refusal message. */
  caseNumberExample?: string;
}

/**
 * Check a case number against the configured format (trimmed; at most 64 characters).
 * @example checkCaseNumber('26-000123', DEFAULT_SEARCH_RULES, problems) // '26-000123'
 */
export function checkCaseNumber(
  input: string | undefined,
  rules: CaseNumberRules,
  problems: AccessProblem[],
  field = 'caseNumber',
): string | undefined {
  const value = (input ?? '').normalize('NFKC').trim();
  if (value === '') {
    problems.push({ field, code: 'missing', message: 'a case number is required' });
    return undefined;
  }
  if (value.length > TEXT_LIMIT || !rules.caseNumberPattern.test(value)) {
    const example = rules.caseNumberExample ? ` (e.g. ${rules.caseNumberExample})` : '';
    problems.push({
      field,
      code: 'bad_case_number',
      message: `does not match the case-number format ${rules.caseNumberPattern.source}${example}`,
    });
    return undefined;
  }
  return value;
}

/**
 * Parse a time field: ISO 8601 date or date-time with a zone, or ms since epoch.
 * @example parseTimeValue('2026-03-01T10:00:00Z', 'from', problems) // 1772359200000
 */
export function parseTimeValue(value: unknown, field: string, problems: AccessProblem[]): number | undefined {
  if (value === undefined || value === null || value === '') {
    problems.push({
      field,
      code: 'missing',
      message: 'required (ISO 8601 date-time with a zone, or ms since epoch)',
    });
    return undefined;
  }
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return value;
    problems.push({ field, code: 'bad_time', message: `${value} is not a time in ms since epoch` });
    return undefined;
  }
  if (typeof value !== 'string') {
    problems.push({ field, code: 'bad_time', message: 'must be an ISO 8601 date-time or ms since epoch' });
    return undefined;
  }
  const parsed = parseIsoTime(value);
  if (!parsed.ok) problems.push({ field, code: 'bad_time', message: parsed.message });
  return parsed.ok ? parsed.value : undefined;
}

/**
 * The time range of a search: `from` < `to` ≤ now, and `from` no earlier than the retention cutoff
 * (reads before it no longer exist; asking for them is refused rather than silently narrowed).
 * @example checkTimeRange('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z', now, 30, problems) // { from, to }
 */
export function checkTimeRange(
  fromInput: unknown,
  toInput: unknown,
  now: number,
  retentionDays: number,
  problems: AccessProblem[],
): { from: number; to: number } | undefined {
  const from = parseTimeValue(fromInput, 'from', problems);
  const to = parseTimeValue(toInput, 'to', problems);
  if (from === undefined || to === undefined) return undefined;
  const before = problems.length;
  const cutoff = retentionCutoff(now, Math.min(retentionDays, POLICY_RETENTION_DAYS));
  if (from >= to) problems.push({ field: 'to', code: 'bad_range', message: 'must be later than from' });
  if (to > now)
    problems.push({ field: 'to', code: 'future', message: `is in the future (now is ${iso(now)})` });
  if (from < cutoff) {
    problems.push({
      field: 'from',
      code: 'out_of_retention',
      message: `is before the retention cutoff ${iso(cutoff)}: reads older than ${Math.min(retentionDays, POLICY_RETENTION_DAYS)} days are deleted`,
    });
  }
  return problems.length > before ? undefined : { from, to };
}

/**
 * Camera ids named by a search: well-formed, deduplicated, at most `max`; null when none are named.
 * @example checkCameras(['cam-1', 'cam-1'], 100, problems) // ['cam-1']
 */
export function checkCameras(value: unknown, max: number, problems: AccessProblem[]): string[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.length === 0) {
    problems.push({
      field: 'cameras',
      code: 'bad_cameras',
      message: 'must be a non-empty list of camera ids, or left out',
    });
    return null;
  }
  if (value.length > max) {
    problems.push({
      field: 'cameras',
      code: 'too_many_cameras',
      message: `lists ${value.length} cameras; at most ${max}`,
    });
    return null;
  }
  const ids: string[] = [];
  value.forEach((id, i) => {
    if (typeof id !== 'string' || !CAMERA_ID_PATTERN.test(id)) {
      problems.push({ field: `cameras[${i}]`, code: 'bad_camera_id', message: 'is not a camera id' });
    } else if (!ids.includes(id)) ids.push(id);
  });
  return ids;
}

/**
 * A GeoJSON Polygon limiting a search to an area, checked like a site parcel (rings in [lng, lat]).
 * @example checkArea({ type: 'Polygon', coordinates: [ring] }, problems) // [ring]
 */
export function checkArea(value: unknown, problems: AccessProblem[]): LngLat[][] | null {
  if (value === undefined || value === null) return null;
  const geometry = value as { type?: unknown; coordinates?: unknown };
  if (typeof value !== 'object' || geometry.type !== 'Polygon') {
    problems.push({
      field: 'area',
      code: 'bad_area',
      message: 'must be a GeoJSON Polygon ({ "type": "Polygon", "coordinates": [...] })',
    });
    return null;
  }
  const found: RegistryProblem[] = [];
  const rings = checkPolygon(geometry.coordinates, 'area.coordinates', found);
  for (const p of found) problems.push({ field: p.path, code: 'bad_area', message: p.message });
  return rings ?? null;
}
