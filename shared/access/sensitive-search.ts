// Sensitive-site screening at query time: a search limited to cameras, or to an area, whose
// capture sectors come within the query buffer of a registered sensitive site (or whose area meets a
// site) needs a command approval; the API audits it either way. The geometry is the geofence's own
// (evaluateCamera, search-area.ts); this module only decides. No registry, or a camera the hub cannot
// place, refuses the search outright: fail closed.
import type { SiteCategory } from '../config/geofence.schema.js';
import { areaMeetsSite, type SearchArea, sectorReachesArea } from '../geofence/search-area.js';
import type { CameraGeometry } from '../geofence/sector.js';
import { evaluateCamera, type PreparedRegistry, type SiteBuffers } from '../geofence/verdict.js';

export interface SearchCamera {
  id: string;
  geometry: CameraGeometry;
}

/** A site the search touches: ids and categories only (site names are confidential). */
export interface SiteTouch {
  siteId: string;
  category: SiteCategory;
  via: 'camera' | 'area';
  /** The camera whose sector reaches the site (via camera). */
  cameraId?: string;
  /** Metres from the sector to the site (via camera). */
  distanceM?: number;
}

export type SensitiveSearchDecision =
  | { decision: 'allow'; cameraIds: string[]; registryVersion: string }
  | { decision: 'needs_command_approval'; cameraIds: string[]; sites: SiteTouch[]; registryVersion: string }
  | { decision: 'refuse'; reason: 'registry_unavailable' | 'unknown_camera'; detail: string };

export interface SensitiveSearchInput {
  /** Cameras the request named (already inside the user's scope), or null. */
  cameraIds: readonly string[] | null;
  /** The request's area, or null. */
  area: SearchArea | null;
  /** Every camera in the user's scope, with its geometry. */
  cameras: readonly SearchCamera[];
  /** The registry in force; null when it is missing, invalid or stale. */
  registry: PreparedRegistry | null;
  /** Query-time buffers per category, metres (at least the installation buffers). */
  buffersM: SiteBuffers;
}

/**
 * Decide whether a search touches a sensitive site. Cameras searched: those named, else those whose
 * sector reaches the area, else every camera in scope.
 * @example screenSensitiveSearch({ cameraIds: ['cam-7'], area: null, cameras, registry, buffersM: { reproductive_health: 100, religious_observance: 100 } })
 *   // { decision: 'needs_command_approval', sites: [{ siteId: 'rh-1', category: 'reproductive_health', via: 'camera', cameraId: 'cam-7', distanceM: 42.1 }], ... }
 */
export function screenSensitiveSearch(input: SensitiveSearchInput): SensitiveSearchDecision {
  const { registry, area } = input;
  if (!registry) {
    return {
      decision: 'refuse',
      reason: 'registry_unavailable',
      detail: 'no current sensitive-site registry to screen the search against',
    };
  }
  const byId = new Map(input.cameras.map((c) => [c.id, c]));
  let searched: SearchCamera[];
  if (input.cameraIds !== null) {
    const unknown = input.cameraIds.filter((id) => !byId.has(id));
    if (unknown.length > 0) {
      return {
        decision: 'refuse',
        reason: 'unknown_camera',
        detail: `no position is known for camera(s) ${unknown.join(', ')}`,
      };
    }
    searched = input.cameraIds.map((id) => byId.get(id)!);
    if (area) searched = searched.filter((c) => sectorReachesArea(c.geometry, area));
  } else {
    searched = area ? input.cameras.filter((c) => sectorReachesArea(c.geometry, area)) : [...input.cameras];
  }
  const sites: SiteTouch[] = [];
  for (const camera of searched) {
    for (const v of evaluateCamera(camera.geometry, registry, input.buffersM).violations) {
      sites.push({
        siteId: v.siteId,
        category: v.category,
        via: 'camera',
        cameraId: camera.id,
        distanceM: v.distanceM,
      });
    }
  }
  if (area) {
    for (const site of registry.registry.sites) {
      if (areaMeetsSite(area, site)) sites.push({ siteId: site.id, category: site.category, via: 'area' });
    }
  }
  const cameraIds = searched.map((c) => c.id);
  const registryVersion = registry.registry.version;
  return sites.length === 0
    ? { decision: 'allow', cameraIds, registryVersion }
    : { decision: 'needs_command_approval', cameraIds, sites, registryVersion };
}
