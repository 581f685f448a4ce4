// Whose cameras a search may cover (Q-09, AC-02): the user's own agency plus the agencies that granted it
// access by an active, command-approved grant. Nothing else: no statewide or national scope exists, and
// a request naming a camera outside this scope is refused with the same words as an unknown camera.
import { type Grant, isGrantActive } from './grants.js';
import type { AccessProblem, Checked } from './problems.js';

export interface ScopedCamera {
  id: string;
  /** ORI of the agency that owns the camera. */
  agency: string;
}

/**
 * The agencies whose reads `userAgency` may search at `now`, own agency first.
 * @example searchableAgencies('CA0010000', [activeGrantFromSanJose], now) // ['CA0010000', 'CA0431100']
 */
export function searchableAgencies(userAgency: string, grants: readonly Grant[], now: number): string[] {
  const shared = grants
    .filter((g) => g.granteeAgency === userAgency && g.ownerAgency !== userAgency && isGrantActive(g, now))
    .map((g) => g.ownerAgency);
  return [userAgency, ...[...new Set(shared)].sort()];
}

/**
 * Object-level check (AC-02): may a user of `userAgency` see data owned by `ownerAgency`? Reads follow
 * the grants; everything else (searches, holds, hits, audit entries) stays within its own agency.
 * @example canAccessAgencyData('CA0010000', 'CA0431100', grants, now, 'reads') // true with an active grant
 */
export function canAccessAgencyData(
  userAgency: string,
  ownerAgency: string,
  grants: readonly Grant[],
  now: number,
  kind: 'reads' | 'records',
): boolean {
  if (userAgency === ownerAgency) return true;
  return kind === 'reads' && searchableAgencies(userAgency, grants, now).includes(ownerAgency);
}

/**
 * The cameras one search covers: those named (all of which must be in scope), or every camera in scope.
 * @example searchScope({ userAgency: 'CA0431100', grants: [], cameras, requestedCameraIds: null, now })
 *   // { ok: true, value: { agencies: ['CA0431100'], cameraIds: ['cam-1', 'cam-2'] } }
 */
export function searchScope(input: {
  userAgency: string;
  grants: readonly Grant[];
  cameras: readonly ScopedCamera[];
  requestedCameraIds: readonly string[] | null;
  now: number;
}): Checked<{ agencies: string[]; cameraIds: string[] }> {
  const agencies = searchableAgencies(input.userAgency, input.grants, input.now);
  const inScope = input.cameras.filter((c) => agencies.includes(c.agency)).map((c) => c.id);
  if (input.requestedCameraIds === null)
    return { ok: true, value: { agencies, cameraIds: [...new Set(inScope)].sort() } };
  const problems: AccessProblem[] = [];
  input.requestedCameraIds.forEach((id, i) => {
    if (!inScope.includes(id)) {
      problems.push({
        field: `cameras[${i}]`,
        code: 'camera_out_of_scope',
        message: `unknown camera "${id}" or not in your search scope`,
      });
    }
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { agencies, cameraIds: [...new Set(input.requestedCameraIds)] } };
}
