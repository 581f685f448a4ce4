// Per-feature checks of a site registry file: properties (id, category, name, role), geometry types,
// duplicate ids, entrances that point at a missing site or lie far from it, and features whose
// coordinates look swapped. Each problem names its feature: `features[3].properties.category: ...`.
import { SITE_CATEGORIES, type SiteCategory } from '../config/geofence.schema.js';
import { type LngLat, metresPerDegree } from './local-frame.js';
import { roughDistanceM } from './placement-check.js';
import type { Entrance, Parcel, Site } from './site-registry.js';
import {
  boundsOf,
  boundsSpanM,
  checkPolygon,
  checkPosition,
  checkPositions,
  dropRepeats,
  MAX_SITE_SPAN_M,
  type RegistryProblem,
} from './site-validation.js';

/** An entrance farther than this from its site's parcel is refused as a probable typo. */
export const MAX_ENTRANCE_OFFSET_M = 1000;
export const MAX_RADIUS_M = 5000;

export interface RawEntrance {
  siteId: string;
  entrance: Entrance;
  featureIndex: number;
}

type SiteDraft = Omit<Site, 'entrances'> & { featureIndex: number };

export function checkSiteFeatures(
  features: unknown[],
  problems: RegistryProblem[],
): { sites: SiteDraft[]; entrances: RawEntrance[] } {
  const sites: SiteDraft[] = [];
  const entrances: RawEntrance[] = [];
  const firstIndexOf = new Map<string, number>();
  features.forEach((feature, i) => {
    const at = `features[${i}]`;
    if (
      feature === null ||
      typeof feature !== 'object' ||
      (feature as { type?: unknown }).type !== 'Feature'
    ) {
      problems.push({ path: at, message: 'expected a GeoJSON Feature ({"type": "Feature", ...})' });
      return;
    }
    const f = feature as { id?: unknown; properties?: unknown; geometry?: unknown };
    const props = f.properties;
    if (props === null || typeof props !== 'object' || Array.isArray(props)) {
      problems.push({
        path: `${at}.properties`,
        message: 'missing: a site needs properties id and category',
      });
      return;
    }
    const p = props as Record<string, unknown>;
    if (p.role === 'entrance') {
      for (const e of checkEntrance(p, f.geometry, at, problems)) entrances.push({ ...e, featureIndex: i });
      return;
    }
    if (p.role !== undefined) {
      problems.push({
        path: `${at}.properties.role`,
        message: `unknown role ${JSON.stringify(p.role)} (omit it for a site, or use "entrance")`,
      });
      return;
    }
    const site = checkSite(p, f, at, problems);
    if (!site) return;
    const first = firstIndexOf.get(site.id);
    if (first !== undefined) {
      problems.push({
        path: `${at}.properties.id`,
        message: `duplicate id ${JSON.stringify(site.id)} (already used by features[${first}])`,
      });
      return;
    }
    firstIndexOf.set(site.id, i);
    sites.push({ ...site, featureIndex: i });
  });
  linkEntrances(sites, entrances, problems);
  if (problems.length === 0) checkSwapped(sites, problems);
  return { sites, entrances };
}

function checkSite(
  p: Record<string, unknown>,
  f: { id?: unknown; geometry?: unknown },
  at: string,
  problems: RegistryProblem[],
): Omit<SiteDraft, 'featureIndex'> | undefined {
  const before = problems.length;
  const rawId = p.id ?? f.id;
  let id: string | undefined;
  if (typeof rawId === 'number' && Number.isFinite(rawId)) id = String(rawId);
  else if (typeof rawId === 'string' && rawId.trim() !== '' && rawId.length <= 128) id = rawId;
  else
    problems.push({
      path: `${at}.properties.id`,
      message: 'required: a non-empty string of at most 128 characters',
    });
  const category = p.category;
  if (!SITE_CATEGORIES.includes(category as SiteCategory)) {
    const got = category === undefined ? 'missing' : `unknown category ${JSON.stringify(category)}`;
    problems.push({
      path: `${at}.properties.category`,
      message: `${got} (expected one of: ${SITE_CATEGORIES.join(', ')})`,
    });
  }
  if (p.name !== undefined && typeof p.name !== 'string') {
    problems.push({ path: `${at}.properties.name`, message: 'must be a string when present' });
  }
  const parcel = checkParcel(p, f.geometry, at, problems);
  if (problems.length > before || !parcel || id === undefined) return undefined;
  const bbox = parcelBounds(parcel);
  const span = boundsSpanM(bbox);
  if (span > MAX_SITE_SPAN_M) {
    problems.push({
      path: `${at}.geometry`,
      message: `the parcel spans ${(span / 1000).toFixed(1)} km; parcels over ${MAX_SITE_SPAN_M / 1000} km across are refused as probable coordinate errors (a feature crossing the antimeridian must be split)`,
    });
    return undefined;
  }
  return { id, category: category as SiteCategory, name: p.name as string | undefined, parcel, bbox };
}

function checkParcel(
  p: Record<string, unknown>,
  geometry: unknown,
  at: string,
  problems: RegistryProblem[],
): Parcel | undefined {
  const g = geometry as { type?: unknown; coordinates?: unknown } | null | undefined;
  const coords = `${at}.geometry.coordinates`;
  if (!g || typeof g !== 'object') {
    problems.push({
      path: `${at}.geometry`,
      message: 'missing: a site needs a Polygon, MultiPolygon or Point geometry',
    });
    return undefined;
  }
  if (g.type !== 'Point' && p.radiusM !== undefined) {
    problems.push({ path: `${at}.properties.radiusM`, message: 'only a Point site takes radiusM' });
    return undefined;
  }
  if (g.type === 'Polygon') {
    const rings = checkPolygon(g.coordinates, coords, problems);
    return rings ? { kind: 'polygons', polygons: [rings] } : undefined;
  }
  if (g.type === 'MultiPolygon') {
    if (!Array.isArray(g.coordinates) || g.coordinates.length === 0) {
      problems.push({ path: coords, message: 'a MultiPolygon needs at least one polygon' });
      return undefined;
    }
    const before = problems.length;
    const polygons = g.coordinates.map((poly, k) => checkPolygon(poly, `${coords}[${k}]`, problems));
    return problems.length === before ? { kind: 'polygons', polygons: polygons as LngLat[][][] } : undefined;
  }
  if (g.type === 'Point') {
    const center = checkPosition(g.coordinates, coords, problems);
    const r = p.radiusM;
    if (typeof r !== 'number' || !Number.isFinite(r) || r <= 0 || r > MAX_RADIUS_M) {
      problems.push({
        path: `${at}.properties.radiusM`,
        message: `a Point site needs radiusM, the parcel radius in metres (0 < radiusM <= ${MAX_RADIUS_M})${r === undefined ? '' : `, got ${JSON.stringify(r)}`}`,
      });
      return undefined;
    }
    return center ? { kind: 'circle', center, radiusM: r } : undefined;
  }
  problems.push({
    path: `${at}.geometry.type`,
    message: `unsupported site geometry ${JSON.stringify(g.type)} (use Polygon, MultiPolygon, or Point with radiusM; entrances need "role": "entrance")`,
  });
  return undefined;
}

function checkEntrance(
  p: Record<string, unknown>,
  geometry: unknown,
  at: string,
  problems: RegistryProblem[],
): Array<{ siteId: string; entrance: Entrance }> {
  if (typeof p.siteId !== 'string' && typeof p.siteId !== 'number') {
    problems.push({
      path: `${at}.properties.siteId`,
      message: 'an entrance needs siteId, the id of its site',
    });
    return [];
  }
  const siteId = String(p.siteId);
  const g = geometry as { type?: unknown; coordinates?: unknown } | null | undefined;
  const coords = `${at}.geometry.coordinates`;
  const line = (value: unknown, path: string): Entrance | undefined => {
    const positions = checkPositions(value, path, problems);
    if (!positions) return undefined;
    const distinct = dropRepeats(positions);
    if (distinct.length < 2) {
      problems.push({ path, message: 'a LineString needs at least 2 distinct positions' });
      return undefined;
    }
    return { kind: 'line', path: distinct };
  };
  const point = (value: unknown, path: string): Entrance | undefined => {
    const pos = checkPosition(value, path, problems);
    return pos ? { kind: 'point', at: pos } : undefined;
  };
  const many = (make: (v: unknown, path: string) => Entrance | undefined): Entrance[] => {
    if (!Array.isArray(g!.coordinates)) {
      problems.push({ path: coords, message: 'expected an array' });
      return [];
    }
    return g!.coordinates.map((v, k) => make(v, `${coords}[${k}]`)).filter((e) => e !== undefined);
  };
  let out: Entrance[];
  if (g?.type === 'Point') out = [point(g.coordinates, coords)].filter((e) => e !== undefined);
  else if (g?.type === 'LineString') out = [line(g.coordinates, coords)].filter((e) => e !== undefined);
  else if (g?.type === 'MultiPoint') out = many(point);
  else if (g?.type === 'MultiLineString') out = many(line);
  else {
    problems.push({
      path: `${at}.geometry`,
      message: `an entrance needs a Point, MultiPoint, LineString or MultiLineString, got ${JSON.stringify(g?.type ?? null)}`,
    });
    out = [];
  }
  return out.map((entrance) => ({ siteId, entrance }));
}

function linkEntrances(sites: SiteDraft[], entrances: RawEntrance[], problems: RegistryProblem[]): void {
  const byId = new Map(sites.map((s) => [s.id, s]));
  const reported = new Set<number>();
  for (const e of entrances) {
    if (reported.has(e.featureIndex)) continue;
    const site = byId.get(e.siteId);
    const path = `features[${e.featureIndex}].properties.siteId`;
    if (!site) {
      problems.push({ path, message: `no site with id ${JSON.stringify(e.siteId)} in this file` });
      reported.add(e.featureIndex);
      continue;
    }
    const offset = offsetFromBounds(site.bbox, e.entrance);
    if (offset > MAX_ENTRANCE_OFFSET_M) {
      problems.push({
        path: `features[${e.featureIndex}].geometry`,
        message: `entrance lies ${Math.round(offset)} m from the parcel of site ${JSON.stringify(e.siteId)} (more than ${MAX_ENTRANCE_OFFSET_M} m: check its coordinates)`,
      });
      reported.add(e.featureIndex);
    }
  }
}

function parcelBounds(parcel: Parcel): [number, number, number, number] {
  if (parcel.kind === 'polygons') return boundsOf(parcel.polygons.flatMap((poly) => poly[0]!));
  // 0.5% slack: the verdict measures a circle in the camera's frame, whose scale differs slightly.
  const k = metresPerDegree(parcel.center[1]);
  const dx = (parcel.radiusM * 1.005) / k.lng;
  const dy = (parcel.radiusM * 1.005) / k.lat;
  const [x, y] = parcel.center;
  return [x - dx, y - dy, x + dx, y + dy];
}

function offsetFromBounds(b: readonly [number, number, number, number], e: Entrance): number {
  const k = metresPerDegree((b[1] + b[3]) / 2);
  let worst = 0;
  for (const [x, y] of e.kind === 'point' ? [e.at] : e.path) {
    const dx = Math.max(0, b[0] - x, x - b[2]) * k.lng;
    const dy = Math.max(0, b[1] - y, y - b[3]) * k.lat;
    worst = Math.max(worst, Math.hypot(dx, dy));
  }
  return worst;
}

/**
 * A site thousands of kilometres from all the others that would sit among them with its numbers
 * read the other way round was almost certainly written [lat, lng]. Needs at least 3 sites.
 */
function checkSwapped(sites: SiteDraft[], problems: RegistryProblem[]): void {
  if (sites.length < 3) return;
  const centres = sites.map((s) => [(s.bbox[0] + s.bbox[2]) / 2, (s.bbox[1] + s.bbox[3]) / 2] as LngLat);
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const middle: LngLat = [median(centres.map((c) => c[0])), median(centres.map((c) => c[1]))];
  centres.forEach((c, i) => {
    if (Math.abs(c[0]) > 90 || roughDistanceM(c, middle) < 200_000) return;
    if (roughDistanceM([c[1], c[0]], middle) < 50_000) {
      problems.push({
        path: `features[${sites[i]!.featureIndex}].geometry.coordinates`,
        message: `coordinates look swapped: the site lies ${Math.round(roughDistanceM(c, middle) / 1000)} km from the other sites, but read as [longitude, latitude] the other way round it sits among them (GeoJSON order is [longitude, latitude])`,
      });
    }
  });
}
