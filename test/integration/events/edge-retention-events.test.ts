// retention.missed from the edge, through a real bus and webhook receiver, over a real SQLite store: reads
// past retention + grace that no purge removed are announced once with their count and how overdue the
// oldest is; nothing while retention is met, and again only after it was met in between. No plate.
import path from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkEdgeRetention } from '../../../edge/events/retention-events.js';
import { parseConfig } from '../../../shared/config/load-config.js';
import type { EventBus } from '../../../shared/events/event-bus.js';
import { createEventBus } from '../../../shared/events/events-from-config.js';
import { createLogger } from '../../../shared/logging/logger.js';
import { PurgeRepository } from '../../../shared/store/purge.repository.js';
import { openStore, type Store } from '../../../shared/store/store.js';
import { eventually } from '../../support/eventually.js';
import { seedGateCamera, seedReads } from '../../support/forward-fixtures.js';
import { tempDir } from '../../support/temp-dir.js';
import { startReceiver, type WebhookReceiver, writeSecretFile } from '../../support/webhook-receiver.js';

const DAY = 86_400_000;

describe('edge retention.missed', () => {
  let dir: string;
  let store: Store;
  let receiver: WebhookReceiver;
  let bus: EventBus;

  beforeEach(async () => {
    dir = tempDir('alpr-edge-retention-');
    store = openStore(path.join(dir, 'edge.db'), { retentionDays: 30 });
    receiver = await startReceiver(() => 204);
    const parsed = parseConfig(
      {
        node: { id: 'edge-01' },
        events: {
          webhooks: [
            {
              name: 'ops',
              url: receiver.url,
              secretPath: writeSecretFile(dir, 'ops.whsec', receiver.secret),
            },
          ],
        },
      },
      dir,
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    bus = createEventBus(parsed.value.config.events, {
      kind: 'edge',
      defaultNodeId: 'edge-01',
      defaultDir: dir,
      clock: Date.now,
      logger: createLogger({ level: 'silent' }),
      registry: new Registry(),
    });
    bus.start();
  });
  afterEach(async () => {
    await bus.close();
    await receiver.close();
    store.close();
  });

  it('announces overdue reads once, and again only after retention was met in between', async () => {
    const now = Date.now();
    const verdict = seedGateCamera(store, 'cam-1', now - 40 * DAY);
    const figures = new PurgeRepository(store.db);
    let reported = checkEdgeRetention(figures, bus, { now, retentionDays: 30, reported: false });
    expect(reported).toBe(false); // no reads: retention is met
    seedReads(store, 3, { cameraId: 'cam-1', verdictId: verdict, from: now - 32 * DAY });
    seedReads(store, 2, { cameraId: 'cam-1', verdictId: verdict, from: now - DAY });
    reported = checkEdgeRetention(figures, bus, { now, retentionDays: 30, reported });
    reported = checkEdgeRetention(figures, bus, { now: now + 60_000, retentionDays: 30, reported });
    expect(reported).toBe(true);
    await eventually('retention.missed', () => receiver.accepted().length === 1, { timeoutMs: 10_000 });
    const [event] = receiver.accepted() as Array<{ type: string; data: Record<string, number | string> }>;
    expect(event).toMatchObject({
      type: 'retention.missed',
      data: { scope: 'edge', retentionDays: 30, overdue: 3, unit: 'reads' },
    });
    expect(event!.data.overdueByS as number).toBeGreaterThan(DAY / 1000);
    expect(receiver.requests[0]!.body).not.toMatch(/P0000\d\d/);
    // Purged: met again; a later miss is news again.
    store.db.prepare('DELETE FROM reads WHERE captured_at < ?').run(now - 30 * DAY);
    reported = checkEdgeRetention(figures, bus, { now, retentionDays: 30, reported });
    expect(reported).toBe(false);
  });
});
