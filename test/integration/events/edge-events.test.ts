// An edge with the real parts (RTSP server, ffmpeg, compliance gate over a registry file, SQLite store)
// and both sinks (a real HTTP receiver, the real Mosquitto): a camera whose RTSP server stops produces a
// signed camera.offline webhook and MQTT message, a registry change a gate.refusing, and the camera's
// return a camera.back; none of them carries the plate the pipeline was reading all along.
import { chmodSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createComplianceGate } from '../../../edge/compliance/gate-from-config.js';
import { startEdge } from '../../../edge/edge-runtime.js';
import { createReadSink } from '../../../edge/edge-wiring.js';
import { resolveCamera } from '../../../shared/config/camera.schema.js';
import { configSchema } from '../../../shared/config/schema.js';
import { EventSinkError } from '../../../shared/events/sinks/secret-files.js';
import { ShutdownLayer } from '../../../shared/runtime/shutdown.js';
import { eventually } from '../../support/eventually.js';
import { makeCameraConfig } from '../../support/factories.js';
import { at, featureCollection, polygonSite, square } from '../../support/geofence-factories.js';
import { captureLogs } from '../../support/log-capture.js';
import { MQTT_URL, mqttSkipReason, subscribe, uniquePrefix } from '../../support/mqtt.js';
import { fixedGate, passEvery, plateEveryFrame } from '../../support/pipeline-doubles.js';
import { type ClipServerFixture, rtspServerSkipReason, startClipServer } from '../../support/rtsp-server.js';
import { ALLOW_SKIP } from '../../support/services.js';
import { startReceiver, writeSecretFile } from '../../support/webhook-receiver.js';

const skip = (await rtspServerSkipReason(ALLOW_SKIP)) ?? (await mqttSkipReason());
const PLATE = '7ABC123';
let fixture: ClipServerFixture | undefined;

function writeRegistry(file: string, features: unknown[]): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(featureCollection(features)));
  renameSync(`${file}.tmp`, file);
}

describe.skipIf(skip)('edge operations events with real parts', () => {
  beforeAll(async () => {
    fixture = await startClipServer('alpr-edge-events-', {}, { seconds: 300 });
  });
  afterAll(() => fixture?.close());

  it('sends camera.offline, gate.refusing and camera.back as signed webhooks and MQTT messages, with no plate', async () => {
    const { dir, server } = fixture!;
    const receiver = await startReceiver(() => 204);
    const prefix = uniquePrefix();
    const sub = await subscribe(prefix);
    const registryPath = path.join(dir, 'sites.geojson');
    writeRegistry(registryPath, [
      polygonSite([square(2000, 2000, 30)], { id: 'ro-far', name: 'Far Chapel' }),
    ]);
    const [lng, lat] = at(0, 0);
    const config = configSchema.parse({
      store: { path: path.join(dir, 'edge.db'), cropsDir: path.join(dir, 'crops') },
      sites: { registryPath, reevaluateEveryS: 0.5 },
      ingest: {
        staleAfterS: 8,
        offlineAfterS: 1,
        backoffInitialMs: 200,
        backoffMaxMs: 1000,
        stopGraceMs: 1000,
      },
      http: { enabled: false },
      cameraDefaults: { frame: { width: 160, height: 120 }, sampleFps: 5 },
      events: {
        webhooks: [
          { name: 'ops', url: receiver.url, secretPath: writeSecretFile(dir, 'ops.whsec', receiver.secret) },
        ],
        mqtt: { url: MQTT_URL, topicPrefix: prefix, backoffInitialMs: 100, backoffMaxMs: 500 },
        rateLimit: { windowS: 1 },
      },
      cameras: [
        makeCameraConfig({
          id: 'gate-north',
          url: server.url(),
          position: { lng, lat },
          bearingDeg: 0,
          rangeM: 40,
        }),
      ],
    });
    const cameras = config.cameras.map((c) => resolveCamera(c, config.cameraDefaults));
    const logs = captureLogs('info');
    const runtime = await startEdge(
      { config, cameras, source: undefined },
      {
        logger: logs.logger,
        createStages: async (loaded, store, logger, shutdown) => {
          const gate = createComplianceGate(loaded.config, store, { logger });
          gate.start();
          shutdown.add('compliance-gate', ShutdownLayer.services, () => gate.stop());
          return {
            recognizer: plateEveryFrame(PLATE),
            tracker: passEvery(2),
            gate,
            sink: createReadSink(loaded.config, store, logger),
          };
        },
      },
    );
    // Events after the camera was seen working (a slow first connect may already have said offline/back).
    let stoppedAt = 0;
    const after = () => receiver.accepted().filter((e) => Date.parse(e.timestamp as string) >= stoppedAt);
    const types = () => after().map((e) => e.type);
    const mqttAfter = () =>
      sub.messages.filter((m) => Date.parse(JSON.parse(m.payload).timestamp) >= stoppedAt);
    try {
      // The pipeline reads and stores the plate while the camera is up.
      await eventually(
        'stored reads of the plate',
        () =>
          (
            runtime.store.db.prepare('SELECT count(*) AS n FROM reads WHERE plate = ?').get(PLATE) as {
              n: number;
            }
          ).n > 0,
        { timeoutMs: 60_000 },
      );

      stoppedAt = Date.now();
      await server.stop();
      await eventually('camera.offline webhook', () => types().includes('camera.offline'), {
        timeoutMs: 60_000,
      });
      writeRegistry(registryPath, [
        polygonSite([square(0, 20, 10)], { id: 'rh-view', category: 'reproductive_health', name: 'Clinic' }),
      ]);
      await eventually('gate.refusing webhook', () => types().includes('gate.refusing'), {
        timeoutMs: 30_000,
      });
      await server.start();
      await eventually('camera.back webhook', () => types().includes('camera.back'), { timeoutMs: 60_000 });
      await eventually('the MQTT messages', () => mqttAfter().length >= 3, { timeoutMs: 10_000 });
    } finally {
      await runtime.shutdown.run('test');
      await sub.close();
      await receiver.close();
    }

    expect(receiver.requests.every((r) => r.verification.ok)).toBe(true);
    // A start in refusing:pending (registry loading) is within the grace period: not news.
    expect(types()).toEqual(['camera.offline', 'gate.refusing', 'camera.back']);
    const offline = after().find((e) => e.type === 'camera.offline')!;
    expect(offline).toMatchObject({
      source: { kind: 'edge', nodeId: config.node.id },
      data: { cameraId: 'gate-north', reason: expect.any(String), lastFrameAt: expect.stringMatching(/Z$/) },
    });
    expect(receiver.accepted().find((e) => e.type === 'gate.refusing')).toMatchObject({
      data: { cameraId: 'gate-north', reason: 'non_compliant', previous: 'storing' },
    });
    const mqttTypes = mqttAfter().map((m) => m.topic);
    for (const type of ['camera.offline', 'gate.refusing', 'camera.back']) {
      expect(mqttTypes).toContain(`${prefix}/${config.node.id}/${type}`);
    }
    const offlineMessage = sub.messages.find((m) => JSON.parse(m.payload).id === offline.id)!;
    expect(offlineMessage.topic).toBe(`${prefix}/${config.node.id}/camera.offline`);
    expect(JSON.parse(offlineMessage.payload)).toEqual(offline);

    // Nothing that left the box carries the plate, in any spelling.
    const wire = [...receiver.requests.map((r) => r.body), ...sub.messages.map((m) => m.payload)].join('\n');
    expect(wire.toUpperCase().replace(/[^A-Z0-9]/g, '')).not.toContain(PLATE);
    expect(logs.text()).not.toContain('do-not-log');
  });

  it('refuses to start the edge when a webhook secret is readable by others, before any camera runs', async () => {
    const { dir, server } = fixture!;
    const secretPath = writeSecretFile(dir, 'loose.whsec', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    chmodSync(secretPath, 0o644);
    const config = configSchema.parse({
      store: { path: path.join(dir, 'loose.db'), cropsDir: path.join(dir, 'crops') },
      http: { enabled: false },
      events: { webhooks: [{ name: 'ops', url: 'http://127.0.0.1:9/x', secretPath }] },
      cameras: [makeCameraConfig({ id: 'gate-north', url: server.url() })],
    });
    const cameras = config.cameras.map((c) => resolveCamera(c, config.cameraDefaults));
    let built = 0;
    const started = startEdge(
      { config, cameras, source: undefined },
      {
        logger: captureLogs('silent').logger,
        createStages: async () => {
          built += 1;
          return {
            recognizer: plateEveryFrame(PLATE),
            tracker: passEvery(2),
            gate: fixedGate({}),
            sink: { store: () => [] },
          };
        },
      },
    );
    await expect(started).rejects.toThrow(`${secretPath}: webhook secret is readable by others (mode 644)`);
    await expect(started).rejects.toBeInstanceOf(EventSinkError);
    expect(built).toBe(1);
  });
});
