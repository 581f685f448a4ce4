// The hub's own operations events with real sinks (a webhook receiver and the Mosquitto broker):
// forwarding.lag once an edge reports reads waiting longer than forward.maxLagS and forwarding.caught_up
// when it is back under half, and retention.missed once a day partition wholly past retention is still
// there. Plate-free: every body is checked for the plate of the reads that were forwarded.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpsWatch } from '../../../hub/events/ops-watch.js';
import { ensureReadPartition } from '../../../hub/store/read-partitions.js';
import { verifyWebhook } from '../../../shared/events/webhook-signature.js';
import { INGEST_PATHS } from '../../../shared/forward/wire.js';
import { eventually } from '../../support/eventually.js';
import {
  edgePost,
  enrolTestEdge,
  HUB_T0,
  openTestHub,
  type TestHub,
  wireCamera,
  wireRead,
  wireVerdict,
} from '../../support/hub-ingest.js';
import { MQTT_URL, mqttSkipReason, type Subscriber, subscribe, uniquePrefix } from '../../support/mqtt.js';
import { startReceiver, type WebhookReceiver, writeSecretFile } from '../../support/webhook-receiver.js';

const skip = await mqttSkipReason();

describe.skipIf(skip)('hub operations events', () => {
  let hub: TestHub;
  let receiver: WebhookReceiver;
  let sub: Subscriber;
  let secretDir: string;
  let secret: string;

  beforeEach(async () => {
    receiver = await startReceiver(() => 204);
    const prefix = uniquePrefix();
    sub = await subscribe(prefix);
    secretDir = mkdtempSync(path.join(os.tmpdir(), 'alpr-hub-ops-'));
    hub = await openTestHub('pglite', {
      config: {
        forward: { maxLagS: 600 },
        retention: { days: 30 },
        events: {
          webhooks: [
            {
              name: 'ops',
              url: receiver.url,
              secretPath: writeSecretFile(secretDir, 'ops.whsec', receiver.secret),
            },
          ],
          mqtt: { url: MQTT_URL, topicPrefix: prefix, backoffInitialMs: 100, backoffMaxMs: 500 },
          rateLimit: { windowS: 1 },
        },
      },
    });
    hub.ctx.events.start();
    secret = await enrolTestEdge(hub);
    await edgePost(
      hub,
      INGEST_PATHS.cameras,
      { cameras: [wireCamera()], verdicts: [wireVerdict()] },
      { edgeId: 'edge-01', secret },
    );
  });
  afterEach(async () => {
    await hub.ctx.events.close();
    await hub.close();
    await sub.close();
    await receiver.close();
    rmSync(secretDir, { recursive: true, force: true });
  });

  // The hub's clock is the test's (March 2026): the signature is checked at the time it was signed.
  const received = () =>
    receiver.requests.map((r) => {
      expect(
        verifyWebhook(receiver.secret, r.headers, r.body, Number(r.headers['webhook-timestamp']) * 1000),
      ).toMatchObject({ ok: true });
      return JSON.parse(r.body) as Record<string, unknown>;
    });
  const types = () => received().map((e) => e.type);

  it('forwarding.lag over the threshold, caught_up under half of it, to webhook and MQTT, no plate', async () => {
    const watch = new OpsWatch(hub.ctx);
    const post = (oldest: number | null, backlog: number, id: number) =>
      edgePost(
        hub,
        INGEST_PATHS.reads,
        {
          reads: [wireRead({ edgeReadId: id, plate: '7LAG123' })],
          status: { backlogReads: backlog, oldestUnforwardedAt: oldest },
        },
        { edgeId: 'edge-01', secret },
      );
    await post(HUB_T0 - 900_000, 4200, 1); // the oldest waiting read is 15 min old
    await watch.check(hub.clock());
    await watch.check(hub.clock()); // still lagging: no second event
    await eventually('forwarding.lag webhook', () => types().includes('forwarding.lag'), {
      timeoutMs: 10_000,
    });
    const lag = received().find((e) => e.type === 'forwarding.lag')!;
    expect(lag).toMatchObject({
      source: { kind: 'hub', nodeId: 'hub' },
      data: { edgeId: 'edge-01', lagS: 900, pendingReads: 4200, thresholdS: 600 },
    });
    hub.clock.set(HUB_T0 + 2000);
    await post(null, 0, 2);
    await watch.check(hub.clock());
    await eventually('caught_up webhook', () => types().includes('forwarding.caught_up'), {
      timeoutMs: 10_000,
    });
    await eventually('MQTT', () => sub.messages.some((m) => m.topic.endsWith('/hub/forwarding.caught_up')), {
      timeoutMs: 10_000,
    });
    expect(types().filter((t) => t === 'forwarding.lag')).toHaveLength(1);
    for (const body of [...receiver.requests.map((r) => r.body), ...sub.messages.map((m) => m.payload)]) {
      expect(body).not.toContain('7LAG123');
    }
  });

  it('retention.missed once while a partition wholly past retention is still there', async () => {
    const watch = new OpsWatch(hub.ctx);
    await watch.check(hub.clock());
    await ensureReadPartition(hub.ctx.db, HUB_T0 - 40 * 86_400_000);
    await watch.check(hub.clock());
    await watch.check(hub.clock());
    await eventually('retention.missed', () => types().includes('retention.missed'), { timeoutMs: 10_000 });
    const [missed] = received().filter((e) => e.type === 'retention.missed');
    expect(missed).toMatchObject({
      data: { scope: 'hub', retentionDays: 30, overdue: 1, unit: 'partitions' },
    });
    expect((missed!.data as { overdueByS: number }).overdueByS).toBeGreaterThan(8 * 86_400);
    await eventually('MQTT', () => sub.messages.some((m) => m.topic.endsWith('/hub/retention.missed')), {
      timeoutMs: 10_000,
    });
    expect(types().filter((t) => t === 'retention.missed')).toHaveLength(1);
  });
});
