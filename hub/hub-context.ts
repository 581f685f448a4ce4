// What every hub feature is given: the database, the audit chain, the validated config, a logger and
// the clock. Features keep no state of their own outside the database, so hub processes scale out.
import type { AlprConfig } from '../shared/config/schema.js';
import type { EventBus } from '../shared/events/event-bus.js';
import type { Logger } from '../shared/logging/logger.js';
import type { Clock } from '../shared/runtime/clock.js';
import type { HubAuditLog } from './audit/hub-audit-log.js';
import type { HubDb } from './db/hub-db.js';
import type { HubMetrics } from './http/hub-metrics.js';
import type { Authenticator, HubRoute } from './http/hub-route.js';
import type { HubKeys } from './hub-keys.js';

export interface HubContext {
  readonly db: HubDb;
  readonly audit: HubAuditLog;
  readonly config: AlprConfig;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly keys: HubKeys;
  /** Plate-free operations events (docs/events.md): declare edges/cameras, then publish. */
  readonly events: EventBus;
  /** this process's Prometheus registry (GET /metrics); features add their own series to it */
  readonly metrics: HubMetrics;
}

/** A slice of the hub: its routes, the authenticators it provides, and background work it runs. */
export interface HubFeature {
  name: string;
  routes?(ctx: HubContext): HubRoute[];
  authenticators?(ctx: HubContext): Authenticator[];
  /** Start background work (timers, BullMQ workers); returns how to stop it. */
  start?(ctx: HubContext): Promise<() => Promise<void>>;
}
