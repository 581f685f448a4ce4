import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge } from '../../../edge/edge-runtime.js';
import { ModelFileError, manifestEntry } from '../../../models/manifest.js';
import { readAnchors } from '../../../shared/audit/anchor-file.js';
import { verifySignedHead } from '../../../shared/audit/signed-head.js';
import { loadSigningKey } from '../../../shared/audit/signing-key.js';
import { createLogger } from '../../../shared/logging/logger.js';
import { ALPR_VERSION } from '../../../shared/runtime/version.js';
import { edgeTestConfig } from '../../support/edge-config.js';
import { seedCompliantCamera } from '../../support/factories.js';
import { fixedGate, passEvery, plateEveryFrame } from '../../support/pipeline-doubles.js';
import { isAlive } from '../../support/processes.js';
import {
  type ClipServerFixture,
  freePort,
  type RtspClipServer,
  rtspServerSkipReason,
  startClipServer,
} from '../../support/rtsp-server.js';
import { ALLOW_SKIP } from '../../support/services.js';

const skip = await rtspServerSkipReason(ALLOW_SKIP);
const logger = createLogger({ level: 'silent' });
let dir: string;
let server: RtspClipServer;
let fixture: ClipServerFixture | undefined;

describe.skipIf(skip)('startEdge (config → cameras, /health, /metrics, layered shutdown)', () => {
  beforeAll(async () => {
    fixture = await startClipServer('alpr-runtime-', {}, { seconds: 300 });
    ({ dir: dir, server } = fixture);
  });
  afterAll(() => fixture?.close());

  it('serves /health (503 once a camera stays offline) and /metrics, and leaves no ffmpeg after shutdown', async () => {
    const { config, cameras } = edgeTestConfig(
      [
        { id: 'good', url: server.url() },
        { id: 'dead', url: `rtsp://127.0.0.1:${await freePort()}/stream` },
      ],
      {
        store: { path: path.join(dir, 'runtime.db'), cropsDir: path.join(dir, 'crops') },
        ingest: { offlineAfterS: 1, backoffInitialMs: 200, backoffMaxMs: 500, stopGraceMs: 1000 },
        http: { unhealthyAfterOfflineS: 1 },
      },
    );
    const runtime = await startEdge(
      { config, cameras, source: undefined },
      {
        logger,
        httpPort: 0,
        createStages: async (_config, store) => {
          // An audit event after the start anchor: only the shutdown anchor covers it.
          store.audit.append({ kind: 'test.stages', actor: 'test', payload: {} }, Date.now());
          return {
            recognizer: plateEveryFrame(),
            tracker: passEvery(2),
            gate: fixedGate({ good: { allow: true, verdictId: seedCompliantCamera(store, 'good') } }),
            sink: { store: (passes) => passes.map((_, i) => i + 1) },
          };
        },
      },
    );
    const pids = new Set<number>();
    const collectPids = () => {
      for (const s of runtime.service.statuses()) if (s.pid) pids.add(s.pid);
    };
    const url = runtime.server!.url;
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      let health:
        | {
            status: number;
            body: { status: string; version: string; cameras: Array<{ id: string; state: string }> };
          }
        | undefined;
      // Poll over HTTP as a monitoring system would.
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        collectPids();
        const res = await fetch(`${url}/health`);
        health = { status: res.status, body: (await res.json()) as NonNullable<typeof health>['body'] };
        if (health.status === 503 && health.body.cameras.find((c) => c.id === 'good')?.state === 'online')
          break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(health?.status).toBe(503);
      expect(health?.body.status).toBe('degraded');
      expect(health?.body.version).toBe(ALPR_VERSION);
      expect(health?.body.cameras.map((c) => [c.id, c.state])).toEqual([
        ['good', 'online'],
        ['dead', 'offline'],
      ]);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toContain('alpr_camera_state{camera="dead",state="offline"} 1');
      expect(metrics).toMatch(/alpr_reads_stored_total\{camera="good"\} \d+/);
      // Every frame the sample rate called for is counted, and what recognition never analysed is lost.
      const expected = Number(/alpr_camera_frames_expected_total\{camera="good"\} (\d+)/.exec(metrics)?.[1]);
      const analysed = Number(/alpr_camera_frames_analysed_total\{camera="good"\} (\d+)/.exec(metrics)?.[1]);
      expect(expected).toBeGreaterThan(0);
      expect(metrics).toMatch(/alpr_camera_frames_lost\{camera="good"\} \d+/);
      expect(Number(/alpr_camera_frames_lost\{camera="good"\} (\d+)/.exec(metrics)?.[1])).toBe(
        Math.max(0, expected - analysed),
      );
      expect(metrics).toContain('process_resident_memory_bytes');
      expect(metrics).toContain(`alpr_build_info{version="${ALPR_VERSION}"} 1`);
    } finally {
      collectPids();
      await runtime.shutdown.run('test');
    }
    expect(pids.size).toBeGreaterThanOrEqual(2);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    expect(runtime.store.db.open).toBe(false);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
    // Shutdown signed the final head into the anchor file beside the store (chain name: node.id).
    const { anchors } = readAnchors(path.join(dir, 'audit-anchors.jsonl'));
    const last = anchors.at(-1)!;
    expect(last).toMatchObject({ chain: config.node.id, seq: 1 });
    expect(
      verifySignedHead(last, loadSigningKey(path.join(dir, 'keys', 'audit-head.key')).publicKey),
    ).toEqual({
      ok: true,
    });
  });

  it('refuses to start when a model file is missing, naming the file and its expected hash', async () => {
    const missing = path.join(dir, 'no-such-model.onnx');
    const { config, cameras } = edgeTestConfig([{ id: 'good', url: server.url() }], {
      store: { path: path.join(dir, 'unwired.db') },
      models: { recognizer: missing },
    });
    const started = startEdge({ config, cameras, source: undefined }, { logger, httpPort: 0 });
    await expect(started).rejects.toThrow(ModelFileError);
    await expect(started).rejects.toThrow(
      new RegExp(
        `${missing.replaceAll('/', '\\/')} is missing; expected sha256 ${manifestEntry('recognizer').sha256}`,
      ),
    );
  });
});
