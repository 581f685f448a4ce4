// Plausibility of sites and cameras against each other: catches coordinates given in the wrong order
// ([lat, lng]) that every range check accepts while |lng| <= 90, and would make every camera look
// compliant (its sites would be on another continent). Pure: plain positions in, problems out.
import type { LngLat } from './local-frame.js';

export interface PlacementProblem {
  /** What to fix: `features[3]`, `site "ro-1"`, `cameras[0].position`, or '' for the whole registry. */
  path: string;
  message: string;
  /** The camera at fault, when it is one camera. */
  cameraId?: string;
}

export interface PlacementSite {
  id: string;
  /** A representative point (the centre of its bounds). */
  at: LngLat;
  /** Where it is in the file, when known (e.g. `features[3]`); else `site "<id>"` is named. */
  path?: string;
}

export interface PlacementCamera {
  id: string;
  at: LngLat;
  /** e.g. `cameras[0].position` */
  path?: string;
}

/** Great-circle distance in metres (mean Earth radius): plenty for a plausibility check. */
export function roughDistanceM(a: LngLat, b: LngLat): number {
  const r = Math.PI / 180;
  const h =
    Math.sin(((b[1] - a[1]) * r) / 2) ** 2 +
    Math.cos(a[1] * r) * Math.cos(b[1] * r) * Math.sin(((b[0] - a[0]) * r) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}

const nearest = (p: LngLat, others: readonly LngLat[]) =>
  others.reduce((best, q) => Math.min(best, roughDistanceM(p, q)), Number.POSITIVE_INFINITY);
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const km = (m: number) => `${Math.round(m / 1000)} km`;
const swap = (p: LngLat): LngLat | undefined => (Math.abs(p[0]) <= 90 ? [p[1], p[0]] : undefined);

/** A reading this much closer than the given one, and within range, is taken as the intended one. */
const SWAPPED_RATIO = 10;

/**
 * Problems with where sites and cameras are relative to each other (none when either list is empty or
 * `maxDistanceM` is 0): the registry as a whole reading much closer with latitude and longitude swapped
 * (relative distances cannot tell which side is swapped; GeoJSON arrays are the likelier culprit, and a
 * swapped camera is caught by node.serviceArea), then each site farther than `maxDistanceM` from every
 * camera and each camera farther than that from every site.
 * @example checkPlacement({ sites, cameras, maxDistanceM: 200_000 }) // [{ path: '', message: 'the registry's coordinates look swapped: …' }]
 */
export function checkPlacement(input: {
  sites: readonly PlacementSite[];
  cameras: readonly PlacementCamera[];
  maxDistanceM: number;
}): PlacementProblem[] {
  const { sites, cameras, maxDistanceM } = input;
  if (sites.length === 0 || cameras.length === 0 || maxDistanceM <= 0) return [];
  const camAt = cameras.map((c) => c.at);
  const siteAt = sites.map((s) => s.at);
  const given = sites.map((s) => nearest(s.at, camAt));
  const swappedSites = swappedMedian(siteAt, camAt);
  if (swappedSites !== undefined && isSwapped(median(given), swappedSites, maxDistanceM)) {
    return [
      {
        path: '',
        message: `the registry's coordinates look swapped: as given its sites lie a median ${km(median(given))} from this node's cameras, read as [latitude, longitude] a median ${km(swappedSites)} (GeoJSON order is [longitude, latitude]; if the registry is right, the cameras' positions are swapped)`,
      },
    ];
  }
  const camGiven = cameras.map((c) => nearest(c.at, siteAt));
  const problems: PlacementProblem[] = [];
  sites.forEach((s, i) => {
    if (given[i]! <= maxDistanceM) return;
    problems.push({
      path: s.path ?? `site "${s.id}"`,
      message: `site "${s.id}" lies ${km(given[i]!)} from the nearest camera of this node (more than ${km(maxDistanceM)}, sites.maxSiteCameraDistanceKm): check its coordinates`,
    });
  });
  cameras.forEach((c, i) => {
    if (camGiven[i]! <= maxDistanceM) return;
    problems.push({
      path: c.path ?? `camera "${c.id}"`,
      cameraId: c.id,
      message: `camera "${c.id}" lies ${km(camGiven[i]!)} from the nearest sensitive site (more than ${km(maxDistanceM)}, sites.maxSiteCameraDistanceKm): check its position`,
    });
  });
  return problems;
}

/** Median distance to the other set with every point of `points` swapped; undefined if any cannot be. */
function swappedMedian(points: readonly LngLat[], others: readonly LngLat[]): number | undefined {
  const swapped = points.map(swap);
  if (swapped.some((p) => p === undefined)) return undefined;
  return median(swapped.map((p) => nearest(p!, others)));
}

function isSwapped(givenM: number, swappedM: number, maxDistanceM: number): boolean {
  return givenM > maxDistanceM && swappedM <= maxDistanceM && swappedM * SWAPPED_RATIO < givenM;
}

/** The centre of a site's bounds. */
export function siteCentre(bbox: readonly [number, number, number, number]): LngLat {
  return [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2];
}

/**
 * checkPlacement for a validated registry and the node's cameras (enabled or not: a disabled camera
 * with swapped coordinates is still a mistake). `sitePaths` maps site ids to where they are in a file.
 */
export function checkRegistryPlacement(
  sites: ReadonlyArray<{ id: string; bbox: readonly [number, number, number, number] }>,
  cameras: ReadonlyArray<{ id: string; position: { lng: number; lat: number } }>,
  maxDistanceKm: number,
  options: { sitePaths?: ReadonlyMap<string, string>; cameraPaths?: boolean } = {},
): PlacementProblem[] {
  return checkPlacement({
    sites: sites.map((s) => ({ id: s.id, at: siteCentre(s.bbox), path: options.sitePaths?.get(s.id) })),
    cameras: cameras.map((c, i) => ({
      id: c.id,
      at: [c.position.lng, c.position.lat],
      path: options.cameraPaths === false ? undefined : `cameras[${i}].position`,
    })),
    maxDistanceM: maxDistanceKm * 1000,
  });
}
