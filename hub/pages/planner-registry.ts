// The registry as planners see it at the hub: the current version with site names (when stored), parsed
// and prepared once per version for the verdict code the edge gate uses (shared/geofence).
import { parseSiteRegistry, type SiteRegistry } from '../../shared/geofence/site-registry.js';
import { type PreparedRegistry, prepareRegistry } from '../../shared/geofence/verdict.js';
import type { RegistryVersionRecord, SiteRegistryService } from '../registry/site-registry.service.js';

export interface PlannerRegistry {
  record: RegistryVersionRecord;
  registry: SiteRegistry;
  prepared: PreparedRegistry;
}

export class PlannerRegistryCache {
  private cached: PlannerRegistry | undefined;

  constructor(private readonly service: SiteRegistryService) {}

  /** The current registry, or undefined when none was imported yet. */
  async current(): Promise<PlannerRegistry | undefined> {
    const record = await this.service.current();
    if (!record) return undefined;
    if (this.cached?.record.seq === record.seq) return this.cached;
    const named = await this.service.namedRegistry(record.seq);
    const parsed = parseSiteRegistry(JSON.stringify(named));
    // It was validated on import; a stored registry that no longer parses is a hub fault, not input.
    if (!parsed.ok) throw new Error(`stored registry ${record.seq} does not validate`);
    this.cached = { record, registry: parsed.registry, prepared: prepareRegistry(parsed.registry) };
    return this.cached;
  }
}
