// Keeps the plausibility of the registry against the gate's cameras (shared/geofence/placement-check.ts)
// current: re-checked only when the registry version or a camera position changes, logged once per
// change. Registry-level problems make the registry unusable; a camera's own problem closes that camera.
import type { ResolvedCamera } from '../../shared/config/camera.schema.js';
import { checkRegistryPlacement, type PlacementProblem } from '../../shared/geofence/placement-check.js';
import type { SiteRegistry } from '../../shared/geofence/site-registry.js';
import type { Logger } from '../../shared/logging/logger.js';

export interface PlacementFindings {
  /** Problems with the registry as a whole or with its sites: no verdict from it can be trusted. */
  registry: string | undefined;
  /** Cameras whose own position is implausible, with why. */
  cameras: Map<string, string>;
}

const NONE: PlacementFindings = { registry: undefined, cameras: new Map() };

const line = (p: PlacementProblem) => (p.path ? `${p.path}: ${p.message}` : p.message);

export class PlacementGuard {
  private key: string | undefined;
  private findings: PlacementFindings = NONE;

  constructor(
    private maxDistanceKm: number,
    private readonly logger?: Logger,
  ) {}

  setMaxDistanceKm(km: number): void {
    if (km === this.maxDistanceKm) return;
    this.maxDistanceKm = km;
    this.key = undefined;
  }

  /** Findings for this registry and these cameras (cached until either changes). */
  check(registry: SiteRegistry | undefined, cameras: readonly ResolvedCamera[]): PlacementFindings {
    if (!registry) return NONE;
    const key = `${registry.version}|${this.maxDistanceKm}|${cameras.map((c) => `${c.id}@${c.position.lng},${c.position.lat}`).join(';')}`;
    if (key === this.key) return this.findings;
    this.key = key;
    const problems = checkRegistryPlacement(registry.sites, cameras, this.maxDistanceKm, {
      cameraPaths: false,
    });
    const siteProblems = problems.filter((p) => p.cameraId === undefined);
    const cameraProblems = new Map<string, string>();
    for (const p of problems) if (p.cameraId) cameraProblems.set(p.cameraId, line(p));
    this.findings = {
      registry:
        siteProblems.length > 0
          ? `implausible site registry: ${siteProblems.slice(0, 3).map(line).join('; ')}${siteProblems.length > 3 ? ` (and ${siteProblems.length - 3} more)` : ''}`
          : undefined,
      cameras: cameraProblems,
    };
    if (problems.length > 0)
      this.logger?.error(
        { problems: problems.map(line) },
        'sites and cameras are implausibly far apart (swapped coordinates?); refusing the reads they concern',
      );
    return this.findings;
  }
}
