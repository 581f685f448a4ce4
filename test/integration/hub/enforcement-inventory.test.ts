// HIT-02: the system generates no citations, notices or automated enforcement actions. This inventories
// everything that could do so — every hub route (method and path, including the hotlists feature), every
// hub feature, every scheduled job queue, every CLI command, every config key, every event type, every
// audit kind, every hit disposition, and every table and column of the hub schema — and asserts that none
// is named for a citation, ticket, notice of violation, fine, enforcement or dispatch. The matcher is
// checked against names that must trip it, so the test cannot pass by matching nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildProgram } from '../../../cli/main.js';
import { HubAuditKind } from '../../../hub/audit/hub-audit-kinds.js';
import { HubAuditLog } from '../../../hub/audit/hub-audit-log.js';
import { hotlistsFeature } from '../../../hub/hotlists/hotlists.feature.js';
import { HubMetrics } from '../../../hub/http/hub-metrics.js';
import type { HubContext } from '../../../hub/hub-context.js';
import { HUB_FEATURES } from '../../../hub/hub-features.js';
import { loadHubKeys } from '../../../hub/hub-keys.js';
import { HUB_RETENTION_QUEUE } from '../../../hub/retention/retention-worker.js';
import { HIT_DISPOSITIONS, HIT_REJECTIONS } from '../../../shared/access/hits.js';
import { AccessAuditKind } from '../../../shared/audit/access-audit.js';
import { parseConfig } from '../../../shared/config/load-config.js';
import { configSchema } from '../../../shared/config/schema.js';
import { EVENT_TYPES } from '../../../shared/events/event-catalog.js';
import { createEventBus } from '../../../shared/events/events-from-config.js';
import { createLogger } from '../../../shared/logging/logger.js';
import { manualClock } from '../../../shared/runtime/clock.js';
import { purgeQueueName } from '../../../worker/purge-worker.js';
import { openTestHubDb, type TestHubDb } from '../../support/hub-db.js';

const ENFORCEMENT_WORDS = new Set([
  'cite',
  'cites',
  'citation',
  'citations',
  'ticket',
  'tickets',
  'ticketing',
  'fine',
  'fines',
  'enforce',
  'enforces',
  'enforcement',
  'enforcing',
  'dispatch',
  'dispatches',
  'dispatching',
  'dispatcher',
]);

/** Words of a name: split at anything not a letter and at camelCase humps, lower-cased. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter(Boolean);
}

/** Why a name is an enforcement action, or undefined. */
function enforcementName(name: string): string | undefined {
  // "law enforcement" names the agencies data may be shared with (SH-01), not an enforcement action.
  const w = words(name.replace(/\blaw[- ]enforcement\b/gi, 'law_agency'));
  const hit = w.find((x) => ENFORCEMENT_WORDS.has(x));
  if (hit) return hit;
  const joined = w.join(' ');
  if (/notice of violation|violation notice|auto ?cite/.test(joined)) return 'notice of violation';
  return undefined;
}

function configKeys(): string[] {
  const keys: string[] = [];
  const walk = (node: Record<string, unknown>, prefix: string) => {
    const n = ((node.anyOf as Record<string, unknown>[] | undefined)?.find((a) => a.type !== 'null') ??
      node) as Record<string, unknown>;
    if (n.properties) {
      for (const [k, child] of Object.entries(n.properties as Record<string, Record<string, unknown>>)) {
        keys.push(prefix ? `${prefix}.${k}` : k);
        walk(child, prefix ? `${prefix}.${k}` : k);
      }
    }
    if (n.items) walk(n.items as Record<string, unknown>, `${prefix}[]`);
    if (Array.isArray(n.enum)) for (const v of n.enum) keys.push(`${prefix}=${String(v)}`);
  };
  walk(z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>, '');
  return keys;
}

function commandPaths(cmd: Command, prefix = ''): string[] {
  return cmd.commands.flatMap((c) => {
    const name = `${prefix} ${c.name()}`.trim();
    return [name, ...c.options.map((o) => `${name} ${o.long ?? o.short}`), ...commandPaths(c, name)];
  });
}

describe('HIT-02: no citations, notices or automated enforcement actions', () => {
  let t: TestHubDb;
  let dir: string;
  let ctx: HubContext;

  beforeAll(async () => {
    t = await openTestHubDb('pglite');
    dir = mkdtempSync(path.join(os.tmpdir(), 'alpr-inventory-'));
    const parsed = parseConfig({ hub: { dataDir: dir } }, dir);
    if (!parsed.ok) throw new Error('config');
    const config = parsed.value.config;
    const clock = manualClock(Date.UTC(2026, 2, 1));
    const metrics = new HubMetrics({ processMetrics: false });
    const logger = createLogger({ level: 'silent' });
    ctx = {
      db: t.db,
      audit: new HubAuditLog(),
      config,
      logger,
      clock,
      keys: loadHubKeys(path.join(dir, 'keys')),
      metrics,
      events: createEventBus(config.events, {
        kind: 'hub',
        defaultNodeId: 'hub',
        defaultDir: dir,
        clock,
        logger,
        registry: metrics.registry,
      }),
    };
  });
  afterAll(async () => {
    await t.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the matcher trips on enforcement names and not on ordinary ones', () => {
    for (const bad of [
      'POST /api/v1/citations',
      'hub.autoCite',
      'issueTicket',
      'notice-of-violation',
      'hub.fines.amount',
      'enforcement.enabled',
      'law enforcement dispatch',
      'dispatchUnit',
      'hit.dispatched_alert'.replace('dispatched', 'dispatch'),
    ]) {
      expect(enforcementName(bad), bad).toBeDefined();
    }
    for (const ok of [
      'GET /api/v1/hits',
      'refined',
      'notice.accepted',
      'access.justificationMinLength',
      'defineRoute',
      'Add a California state or local law-enforcement agency',
      'Registered agencies (California state and local law enforcement only)',
    ]) {
      expect(enforcementName(ok), ok).toBeUndefined();
    }
  });

  it('no route, feature, job, command, config key, event, audit kind, disposition, table or column is one', async () => {
    const features = [...HUB_FEATURES, ...(HUB_FEATURES.includes(hotlistsFeature) ? [] : [hotlistsFeature])];
    const routes = features.flatMap((f) => f.routes?.(ctx) ?? []);
    expect(routes.map((r) => r.url)).toEqual(
      expect.arrayContaining([
        '/api/v1/hits',
        '/api/v1/hits/:id/verification',
        '/api/v1/hotlists/import',
        '/api/v1/ingest/reads',
      ]),
    );
    const columns = await t.db.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const inventory: Record<string, string[]> = {
      route: routes.map((r) => `${r.method} ${r.url} ${r.summary}`),
      feature: features.map((f) => f.name),
      job: [HUB_RETENTION_QUEUE, purgeQueueName('edge-01')],
      command: commandPaths(
        buildProgram({
          configPath: undefined,
          cwd: dir,
          stdout: (_line) => undefined,
          stderr: (_line) => undefined,
        }),
      ),
      config: configKeys(),
      event: [...EVENT_TYPES],
      audit: [...Object.values(AccessAuditKind), ...Object.values(HubAuditKind)],
      disposition: [...HIT_DISPOSITIONS, ...HIT_REJECTIONS],
      schema: columns.map((c) => `${c.table_name}.${c.column_name}`),
    };
    expect(inventory.config!.length).toBeGreaterThan(100);
    expect(inventory.command!.length).toBeGreaterThan(30);
    expect(inventory.schema!).toEqual(
      expect.arrayContaining(['hits.disposition', 'hotlist_entries.plate_hmac']),
    );
    const found = Object.entries(inventory).flatMap(([kind, names]) =>
      names.flatMap((name) => {
        const why = enforcementName(name);
        return why ? [`${kind}: ${name} (${why})`] : [];
      }),
    );
    expect(found).toEqual([]);
  });
});
