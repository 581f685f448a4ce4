// The edge forwarder as an events source (docs/events.md): after each cycle it samples its outbox, and a
// backlog whose oldest read waits longer than forward.maxLagS publishes `forwarding.lag` once (not again
// while it lasts); once the hub is back and the reads are through, `forwarding.caught_up`. Through a real
// event bus and webhook receiver, so the events pass the plate-free check; none carries a plate.
import path from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/config/load-config.js';
import type { EventBus } from '../../../shared/events/event-bus.js';
import { createEventBus } from '../../../shared/events/events-from-config.js';
import { createLogger } from '../../../shared/logging/logger.js';
import { openStore, type Store } from '../../../shared/store/store.js';
import { eventually } from '../../support/eventually.js';
import {
  type InProcessHub,
  makeForwarder,
  seedGateCamera,
  seedReads,
  startInProcessHub,
} from '../../support/forward-fixtures.js';
import { tempDir } from '../../support/temp-dir.js';
import { startReceiver, type WebhookReceiver, writeSecretFile } from '../../support/webhook-receiver.js';

describe('forwarder lag events', () => {
  let dir: string;
  let store: Store;
  let hub: InProcessHub;
  let receiver: WebhookReceiver;
  let bus: EventBus;

  beforeEach(async () => {
    dir = tempDir('alpr-forward-lag-');
    store = openStore(path.join(dir, 'edge.db'), { retentionDays: 30 });
    hub = await startInProcessHub('pglite', dir);
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
    await hub.drop();
  });

  it('publishes forwarding.lag once while the hub is away, and forwarding.caught_up when it is through', async () => {
    const secret = await hub.enrol('edge-01');
    const now = Date.now();
    const verdict = seedGateCamera(store, 'cam-1', now - 3_600_000);
    seedReads(store, 20, { cameraId: 'cam-1', verdictId: verdict, from: now - 1_200_000 }); // 20 min old
    const { forwarder } = makeForwarder(store, {
      hubUrl: hub.url,
      secret,
      forward: { maxLagS: 600 },
      events: bus,
    });
    await hub.stop();
    await forwarder.runOnce(); // the hub is down: nothing forwarded, the backlog is 20 min old
    await forwarder.runOnce();
    await eventually('forwarding.lag', () => receiver.accepted().some((e) => e.type === 'forwarding.lag'), {
      timeoutMs: 10_000,
    });
    const lag = receiver.accepted().find((e) => e.type === 'forwarding.lag') as {
      data: Record<string, unknown>;
    };
    expect(lag.data).toMatchObject({ pendingReads: 20, thresholdS: 600, lastForwardedAt: null });
    expect(lag.data.lagS as number).toBeGreaterThan(1100);

    await hub.restart();
    for (let i = 0; i < 5 && (await forwarder.runOnce()) === 0; i++);
    await forwarder.runOnce();
    await eventually('caught_up', () => receiver.accepted().some((e) => e.type === 'forwarding.caught_up'), {
      timeoutMs: 10_000,
    });
    expect(receiver.accepted().find((e) => e.type === 'forwarding.caught_up')).toMatchObject({
      source: { kind: 'edge', nodeId: 'edge-01' },
      data: { lagS: 0, pendingReads: 0 },
    });
    expect(receiver.accepted().filter((e) => e.type === 'forwarding.lag')).toHaveLength(1);
    for (const r of receiver.requests) expect(r.body).not.toMatch(/P0000\d\d/);
  });
});
