// Proposed cameras for `alpr site check --batch FILE` and the hub's batch check: a CSV with a header row, or a GeoJSON
// FeatureCollection of Points. Every bad row is reported (row and column named) before anything runs.
import type { CameraGeometry } from './sector.js';

export interface ProposedCamera {
  id: string;
  geometry: CameraGeometry;
}

export interface OpticsDefaults {
  fovDeg: number;
  frameWidthPx: number;
  minPlateWidthPx: number;
  plateWidthM: number;
}

type Fields = Record<string, unknown>;
const ALIASES: Record<string, string[]> = {
  id: ['id', 'camera', 'name'],
  lng: ['lng', 'lon', 'long', 'longitude'],
  lat: ['lat', 'latitude'],
  bearing: ['bearing', 'bearingdeg'],
  fov: ['fov', 'fovdeg'],
  range: ['range', 'rangem'],
};

/** Parse `text` (CSV or GeoJSON, by content); returns the cameras or the problems. */
export function parseProposedCameras(
  text: string,
  defaults: OpticsDefaults,
): { ok: true; cameras: ProposedCamera[] } | { ok: false; problems: string[] } {
  const trimmed = text.trimStart();
  const rows: Array<{ where: string; fields: Fields }> = [];
  const problems: string[] = [];
  if (trimmed.startsWith('{')) {
    let doc: { type?: unknown; features?: unknown };
    try {
      doc = JSON.parse(text) as typeof doc;
    } catch (error) {
      return { ok: false, problems: [`(file): not valid JSON: ${(error as Error).message}`] };
    }
    if (doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
      return {
        ok: false,
        problems: ['(file): expected a GeoJSON FeatureCollection of Point features, or a CSV'],
      };
    }
    doc.features.forEach(
      (f: { properties?: Fields; geometry?: { type?: string; coordinates?: unknown } }, i) => {
        const where = `features[${i}]`;
        if (f?.geometry?.type !== 'Point' || !Array.isArray(f.geometry.coordinates)) {
          problems.push(`${where}.geometry: a proposed camera must be a Point [longitude, latitude]`);
          return;
        }
        const [lng, lat] = f.geometry.coordinates as unknown[];
        rows.push({ where, fields: { id: `camera-${i + 1}`, ...(f.properties ?? {}), lng, lat } });
      },
    );
  } else {
    const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
    const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
    const column = (name: string) => header.findIndex((h) => ALIASES[name]!.includes(h));
    for (const required of ['lng', 'lat', 'bearing']) {
      if (column(required) < 0)
        problems.push(
          `line 1: missing column "${required}" (header needs lng, lat, bearing; optional id, fov, range)`,
        );
    }
    if (problems.length > 0) return { ok: false, problems };
    lines.slice(1).forEach((line, i) => {
      const cells = line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
      const fields: Fields = { id: `camera-${i + 1}` };
      for (const name of Object.keys(ALIASES)) {
        const c = column(name);
        if (c >= 0 && cells[c] !== undefined && cells[c] !== '') fields[name] = cells[c];
      }
      rows.push({ where: `line ${i + 2}`, fields });
    });
  }
  const cameras: ProposedCamera[] = [];
  const seen = new Set<string>();
  for (const { where, fields } of rows) {
    const get = (name: string) =>
      Object.entries(fields).find(([k]) => ALIASES[name]!.includes(k.toLowerCase()))?.[1];
    const num = (name: string, min: number, max: number, optional = false): number | undefined => {
      const raw = get(name);
      if (raw === undefined && optional) return undefined;
      const v = typeof raw === 'number' ? raw : Number(raw);
      if (raw === undefined || raw === '' || !Number.isFinite(v) || v < min || v > max) {
        problems.push(
          `${where}: ${name} must be a number from ${min} to ${max}, got ${JSON.stringify(raw ?? null)}`,
        );
        return undefined;
      }
      return v;
    };
    const id = String(get('id'));
    const [lng, lat, bearing] = [num('lng', -180, 180), num('lat', -90, 90), num('bearing', -360, 720)];
    const fov = num('fov', 0.001, 360, true);
    const range = num('range', 0.001, 2000, true);
    if (seen.has(id)) problems.push(`${where}: duplicate camera id "${id}"`);
    seen.add(id);
    if (lng === undefined || lat === undefined || bearing === undefined) continue;
    cameras.push({
      id,
      geometry: {
        ...defaults,
        position: { lng, lat },
        bearingDeg: bearing,
        fovDeg: fov ?? defaults.fovDeg,
        rangeM: range,
      },
    });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, cameras };
}
