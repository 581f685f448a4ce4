// Which running cameras an invalid config edit touches, so the gate can close exactly those (or all of
// them when that cannot be told). Pure: compares the raw documents (as parsed from YAML/JSON, before
// validation) of the last valid file and the new one, plus the new file's validation issues.
import type { ConfigIssue } from './format-issues.js';

/** Sections whose change affects every camera's geometry or verdict. */
const SECTIONS_FOR_ALL_CAMERAS = ['cameraDefaults', 'sites', 'node'] as const;

export type TouchedCameras = { all: true; why: string } | { all: false; cameraIds: string[] };

/**
 * The running cameras an invalid edit touches: those whose entry changed (or vanished) and those its
 * issues name; all of them when the file could not be parsed, its camera list cannot be matched by id,
 * or a section every camera depends on (cameraDefaults, sites, node) changed.
 * @example touchedCameras(lastRaw, newRaw, issues, ['cam-1', 'cam-2']) // { all: false, cameraIds: ['cam-2'] }
 */
export function touchedCameras(
  lastValid: unknown,
  next: unknown,
  issues: readonly ConfigIssue[],
  runningIds: readonly string[],
): TouchedCameras {
  if (!isRecord(next)) return { all: true, why: 'the file could not be parsed' };
  const last = isRecord(lastValid) ? lastValid : {};
  for (const section of SECTIONS_FOR_ALL_CAMERAS) {
    if (stableJson(last[section]) !== stableJson(next[section]))
      return { all: true, why: `section "${section}" changed` };
  }
  const lastById = camerasById(last.cameras);
  const nextById = camerasById(next.cameras);
  if (!nextById) return { all: true, why: 'the camera list cannot be matched by camera id' };
  const touched = new Set<string>();
  for (const id of runningIds) {
    if (stableJson(lastById?.get(id)) !== stableJson(nextById.get(id))) touched.add(id);
  }
  const entries = Array.isArray(next.cameras) ? next.cameras : [];
  for (const issue of issues) {
    const m = /^cameras\[(\d+)\]/.exec(issue.path);
    if (!m) continue;
    const entry = entries[Number(m[1])];
    const id = isRecord(entry) && typeof entry.id === 'string' ? entry.id : undefined;
    if (id === undefined) return { all: true, why: `${issue.path} names no camera id` };
    if (runningIds.includes(id)) touched.add(id);
  }
  return { all: false, cameraIds: runningIds.filter((id) => touched.has(id)) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Camera entries by their id; undefined when the list is not an array or ids are missing or repeated. */
function camerasById(cameras: unknown): Map<string, unknown> | undefined {
  if (cameras === undefined) return new Map();
  if (!Array.isArray(cameras)) return undefined;
  const out = new Map<string, unknown>();
  for (const entry of cameras) {
    if (!isRecord(entry) || typeof entry.id !== 'string' || out.has(entry.id)) return undefined;
    out.set(entry.id, entry);
  }
  return out;
}

/** JSON with object keys sorted, so key order and formatting never count as a change. */
export function stableJson(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (isRecord(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'undefined';
}
