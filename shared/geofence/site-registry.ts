// The sensitive-site registry: parse and validate a GeoJSON FeatureCollection, normalise it, and name
// it by a version (the SHA-256 of the normalised content), so a verdict says exactly which sites it saw.
//
// File format. A site is a Feature with properties `id`, `category` (reproductive_health |
// religious_observance), optional `name` (confidential) and a Polygon or MultiPolygon parcel, or a Point
// with `radiusM` (a circular parcel). An entrance or driveway is a Feature with properties
// `{ "role": "entrance", "siteId": <site id> }` and a Point, MultiPoint, LineString or MultiLineString.
import { canonicalJson, sha256Hex } from '../canonical-json.js';
import { SITE_CATEGORIES, type SiteCategory } from '../config/geofence.schema.js';
import type { LngLat } from './local-frame.js';
import { checkSiteFeatures, type RawEntrance } from './site-features.js';
import type { RegistryProblem } from './site-validation.js';

export type { RegistryProblem } from './site-validation.js';

export type Parcel =
  | {
      kind: 'polygons' /** polygons → rings (outer first) → closed [lng, lat] positions */;
      polygons: LngLat[][][];
    }
  | { kind: 'circle'; center: LngLat; radiusM: number };

export type Entrance = { kind: 'point'; at: LngLat } | { kind: 'line'; path: LngLat[] };

export interface Site {
  id: string;
  category: SiteCategory;
  /** Confidential: never written to verdicts, audit events or `--public` output. */
  name?: string;
  parcel: Parcel;
  entrances: Entrance[];
  /** [minLng, minLat, maxLng, maxLat] of parcel and entrances (circle bounds included). */
  bbox: [number, number, number, number];
}

export interface SiteRegistry {
  /** Hex SHA-256 of the normalised content. */
  version: string;
  /** Sorted by id. */
  sites: Site[];
  counts: Record<SiteCategory, number>;
  entranceCount: number;
}

export type RegistryResult =
  | { ok: true; registry: SiteRegistry }
  | { ok: false; problems: RegistryProblem[] };

const REGISTRY_FORMAT = 'alpr-sites/1';

/**
 * Parse registry text (GeoJSON). Every problem is reported, each with the path of the feature.
 * @example parseSiteRegistry('{"type":"FeatureCollection","features":[]}') // { ok: true, registry: {...} }
 */
export function parseSiteRegistry(text: string): RegistryResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [{ path: '', message: `not valid JSON: ${(error as Error).message}` }] };
  }
  return validateSiteRegistry(value);
}

/** Validate an already-parsed GeoJSON value and build the normalised registry. */
export function validateSiteRegistry(value: unknown): RegistryResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, problems: [{ path: '', message: 'expected a GeoJSON FeatureCollection object' }] };
  }
  const doc = value as { type?: unknown; features?: unknown };
  if (doc.type !== 'FeatureCollection') {
    return {
      ok: false,
      problems: [{ path: 'type', message: `expected "FeatureCollection", got ${JSON.stringify(doc.type)}` }],
    };
  }
  if (!Array.isArray(doc.features)) {
    return { ok: false, problems: [{ path: 'features', message: 'expected an array of Features' }] };
  }
  const problems: RegistryProblem[] = [];
  const checked = checkSiteFeatures(doc.features, problems);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, registry: buildRegistry(checked.sites, checked.entrances) };
}

function buildRegistry(raw: Array<Omit<Site, 'entrances'>>, rawEntrances: RawEntrance[]): SiteRegistry {
  const bySite = new Map<string, Entrance[]>();
  for (const e of rawEntrances) {
    const list = bySite.get(e.siteId) ?? [];
    list.push(e.entrance);
    bySite.set(e.siteId, list);
  }
  const sites: Site[] = raw
    .map(({ id, category, name, parcel, bbox }) => {
      const entrances = sortByJson((bySite.get(id) ?? []).map(normaliseEntrance));
      const site: Site = {
        id,
        category,
        parcel: normaliseParcel(parcel),
        entrances,
        bbox: extendBounds(bbox, entrances),
      };
      if (name !== undefined) site.name = name;
      return site;
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const counts = Object.fromEntries(SITE_CATEGORIES.map((c) => [c, 0])) as Record<SiteCategory, number>;
  for (const s of sites) counts[s.category] += 1;
  return { version: registryVersion(sites), sites, counts, entranceCount: rawEntrances.length };
}

/**
 * Hex SHA-256 of the normalised content a verdict depends on: ids, categories, parcels, entrances.
 * Names are left out on purpose: they never change a verdict, so a copy with names stripped (for an
 * edge box, or a public listing) has the same version as the planner's confidential copy.
 */
export function registryVersion(sites: readonly Site[]): string {
  const content = sites.map((s) => ({
    id: s.id,
    category: s.category,
    parcel: s.parcel,
    entrances: s.entrances,
  }));
  return sha256Hex(canonicalJson({ format: REGISTRY_FORMAT, sites: content }));
}

/** The normalised registry as a GeoJSON FeatureCollection (what `alpr sites import` writes). */
export function registryToGeoJson(
  registry: SiteRegistry,
  options: { names?: boolean } = {},
): Record<string, unknown> {
  const features: unknown[] = [];
  for (const site of registry.sites) {
    const props: Record<string, unknown> = { id: site.id, category: site.category };
    if (site.name !== undefined && options.names !== false) props.name = site.name;
    let geometry: unknown;
    if (site.parcel.kind === 'circle') {
      props.radiusM = site.parcel.radiusM;
      geometry = { type: 'Point', coordinates: site.parcel.center };
    } else if (site.parcel.polygons.length === 1) {
      geometry = { type: 'Polygon', coordinates: site.parcel.polygons[0] };
    } else geometry = { type: 'MultiPolygon', coordinates: site.parcel.polygons };
    features.push({ type: 'Feature', properties: props, geometry });
    for (const e of site.entrances) {
      features.push({
        type: 'Feature',
        properties: { role: 'entrance', siteId: site.id },
        geometry:
          e.kind === 'point'
            ? { type: 'Point', coordinates: e.at }
            : { type: 'LineString', coordinates: e.path },
      });
    }
  }
  return { type: 'FeatureCollection', features };
}

// --- normalisation: the same sites always give the same bytes, whatever order or winding they came in.

function sortByJson<T>(items: T[]): T[] {
  return items
    .map((item) => [canonicalJson(item), item] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, item]) => item);
}

function normaliseParcel(parcel: Parcel): Parcel {
  if (parcel.kind === 'circle') return parcel;
  const polygons = parcel.polygons.map(([outer, ...holes]) => [
    normaliseRing(outer!, true),
    ...sortByJson(holes.map((h) => normaliseRing(h, false))),
  ]);
  return { kind: 'polygons', polygons: sortByJson(polygons) };
}

/** RFC 7946 winding (outer counter-clockwise, holes clockwise), starting at the smallest corner. */
function normaliseRing(ring: readonly LngLat[], outer: boolean): LngLat[] {
  const open = ring.slice(0, -1);
  let area = 0;
  for (let i = 0; i < open.length; i++) {
    const a = open[i]!;
    const b = open[(i + 1) % open.length]!;
    area += a[0] * b[1] - b[0] * a[1];
  }
  if (area > 0 !== outer) open.reverse();
  let start = 0;
  open.forEach((p, i) => {
    const s = open[start]!;
    if (p[0] < s[0] || (p[0] === s[0] && p[1] < s[1])) start = i;
  });
  const rotated = [...open.slice(start), ...open.slice(0, start)];
  return [...rotated, rotated[0]!];
}

function normaliseEntrance(e: Entrance): Entrance {
  if (e.kind === 'point') return e;
  const [a, b] = [e.path[0]!, e.path[e.path.length - 1]!];
  const reversed = a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);
  return { kind: 'line', path: reversed ? e.path.slice().reverse() : e.path };
}

function extendBounds(
  b: [number, number, number, number],
  entrances: readonly Entrance[],
): [number, number, number, number] {
  const out: [number, number, number, number] = [...b];
  for (const e of entrances) {
    for (const [x, y] of e.kind === 'point' ? [e.at] : e.path) {
      out[0] = Math.min(out[0], x);
      out[1] = Math.min(out[1], y);
      out[2] = Math.max(out[2], x);
      out[3] = Math.max(out[3], y);
    }
  }
  return out;
}
