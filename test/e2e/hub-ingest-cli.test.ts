// `alpr hub` administration and ingest as operators and edges meet them: agencies (SH-01), enrolment
// printing the secret once, the edge list, rotation and disabling, the PGlite data directory held by one
// process, bad requests over real HTTP answered with their reasons and counted in /metrics, and the
// audit chain verified against the anchors the hub wrote.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEdgeSecret, signRequest } from '../../shared/forward/request-signature.js';
import { INGEST_PATHS } from '../../shared/forward/wire.js';
import { spawnCli } from '../support/cli.js';
import { enrolWithCli, withHubDb, writeJson } from '../support/hub-e2e.js';
import { wireCamera, wireRead, wireVerdict } from '../support/hub-ingest.js';
import { type HubProcess, startHubProcess } from '../support/hub-process.js';
import { tempDir } from '../support/temp-dir.js';

let hub: HubProcess | undefined;
afterEach(async () => {
  await hub?.stop();
  hub = undefined;
});

const cli = (config: string, ...args: string[]) => spawnCli(['hub', ...args, '-c', config]);

function signedPost(
  url: string,
  pathName: string,
  body: unknown,
  edgeId: string,
  secret: string,
  nonce?: string,
) {
  const bytes = Buffer.from(JSON.stringify(body));
  return fetch(`${url}${pathName}`, {
    method: 'POST',
    body: bytes,
    headers: {
      'content-type': 'application/json',
      ...signRequest(parseEdgeSecret(secret), {
        method: 'POST',
        path: pathName,
        edgeId,
        timestamp: Date.now(),
        nonce,
        body: bytes,
      }),
    },
  });
}

describe('alpr hub agencies and edges', () => {
  it('enrols an edge (secret shown once), lists it, rotates and disables it, each in the audit chain', async () => {
    const dir = tempDir('alpr-hub-edges-');
    const config = writeJson(path.join(dir, 'hub.yaml'), { hub: { dataDir: './hub' } });
    const federal = cli(
      config,
      'agencies',
      'add',
      '--ori',
      'CA0000000',
      '--name',
      'FBI field office',
      '--type',
      'federal',
    );
    expect(federal.code).toBe(2);
    expect(federal.stderr).toMatch(/type: federal agencies may not receive ALPR data; Civil Code/);
    expect(
      cli(
        config,
        'agencies',
        'add',
        '--ori',
        'CA0430100',
        '--name',
        'San José PD',
        '--type',
        'local_le',
        '--home',
      ).code,
    ).toBe(0);

    const added = cli(config, 'edges', 'add', 'edge-01', '--agency', 'CA0430100', '--label', 'Main St');
    expect(added.code).toBe(0);
    const secret = /^ {2}([A-Za-z0-9_-]{43})$/m.exec(added.stdout)?.[1];
    expect(secret).toBeDefined();
    const key = cli(config, 'audit', 'key', '--json').json<{ publicKey: string }>();
    expect(added.stdout).toContain(key.publicKey);
    expect(cli(config, 'edges', 'add', 'edge-01', '--agency', 'CA0430100').stderr).toMatch(
      /already enrolled/,
    );

    const listed = cli(config, 'edges', 'list');
    expect(listed.stdout).toMatch(/^edge-01\s+CA0430100 {2}enabled {2}last seen never/m);
    expect(listed.stdout).not.toContain(secret);

    const rotated = cli(config, 'edges', 'rotate', 'edge-01', '--json').json<{ secret: string }>();
    expect(rotated.secret).not.toBe(secret);
    hub = await startHubProcess(config);
    const cameras = {
      cameras: [wireCamera()],
      verdicts: [wireVerdict({ evaluatedAt: Date.now() - 60_000 })],
    };
    expect((await signedPost(hub.url, INGEST_PATHS.cameras, cameras, 'edge-01', secret!)).status).toBe(401);
    expect((await signedPost(hub.url, INGEST_PATHS.cameras, cameras, 'edge-01', rotated.secret)).status).toBe(
      200,
    );

    // PGlite serves one process: administration waits until the hub stops.
    const locked = cli(config, 'edges', 'list');
    expect(locked.code).toBe(1);
    expect(locked.stderr).toMatch(new RegExp(`in use by process ${hub.child.pid}`));
    await hub.stop();
    hub = undefined;

    expect(cli(config, 'edges', 'disable', 'edge-01', '--reason', 'box replaced').stdout).toMatch(
      /edge edge-01 disabled/,
    );
    const json = cli(config, 'edges', 'list', '--json').json<Record<string, unknown>>();
    expect(json).toMatchObject({
      id: 'edge-01',
      label: 'Main St',
      lastRequest: 'cameras',
      verdictCursor: 1,
      secretReadable: true,
    });
    expect(json.disabledAt).toEqual(expect.any(Number));

    const verify = cli(config, 'audit', 'verify');
    expect(verify.code, verify.stderr).toBe(0);
    // agency.created, edge.enrolled, edge.secret_rotated, the hub's retention.run at start, edge.disabled
    expect(verify.stdout).toMatch(/hub audit chain intact: 5 row\(s\)/);
    expect(verify.stdout).toMatch(/anchors agree: \d+ head\(s\) checked/);
    const wrong = cli(config, 'audit', 'verify', '--expect-head', `2:${'0'.repeat(64)}`);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/expected head says row 2/);
  });
});

describe('alpr hub ingest over HTTP: bad requests', () => {
  it('answers each with its status and reason, stores none of it, and counts it in /metrics', async () => {
    const dir = tempDir('alpr-hub-bad-');
    const config = writeJson(path.join(dir, 'hub.yaml'), { hub: { dataDir: './hub' } });
    enrolWithCli(config, 'edge-01', path.join(dir, 'e1.key'));
    enrolWithCli(config, 'edge-02', path.join(dir, 'e2.key'));
    const secret = readFileSync(path.join(dir, 'e1.key'), 'utf8').trim();
    const other = readFileSync(path.join(dir, 'e2.key'), 'utf8').trim();
    hub = await startHubProcess(config);
    const now = Date.now();
    const ok = await signedPost(
      hub.url,
      INGEST_PATHS.cameras,
      { cameras: [wireCamera()], verdicts: [wireVerdict({ evaluatedAt: now - 60_000 })] },
      'edge-01',
      secret,
    );
    expect(ok.status).toBe(200);

    const missing = await fetch(`${hub.url}${INGEST_PATHS.reads}`, {
      method: 'POST',
      body: '{"reads":[]}',
      headers: { 'content-type': 'application/json' },
    });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ reason: 'missing_header' });
    const wrongKey = await signedPost(hub.url, INGEST_PATHS.reads, { reads: [] }, 'edge-01', other);
    expect(await wrongKey.json()).toMatchObject({ error: 'unauthorized', reason: 'bad_signature' });
    const nonce = 'feedfacefeedfacefeedfacefeedface';
    expect(
      (await signedPost(hub.url, INGEST_PATHS.reads, { reads: [] }, 'edge-01', secret, nonce)).status,
    ).toBe(200);
    const replay = await signedPost(hub.url, INGEST_PATHS.reads, { reads: [] }, 'edge-01', secret, nonce);
    expect(await replay.json()).toMatchObject({ reason: 'replay' });

    const batch = await signedPost(
      hub.url,
      INGEST_PATHS.reads,
      {
        reads: [
          { ...wireRead({ edgeReadId: 1, capturedAt: now - 1000 }), confidence: 7 },
          wireRead({ edgeReadId: 2, capturedAt: now + 3_600_000 }),
          wireRead({ edgeReadId: 3, capturedAt: now - 1000, cameraId: 'cam-x' }),
          wireRead({ edgeReadId: 4, capturedAt: now - 1000 }),
        ],
      },
      'edge-01',
      secret,
    );
    expect(batch.status).toBe(200);
    expect(await batch.json()).toMatchObject({
      accepted: [4],
      refused: [
        { edgeReadId: 1, reason: 'malformed', message: 'confidence must be a number from 0 to 1' },
        { edgeReadId: 2, reason: 'future_capture' },
        { edgeReadId: 3, reason: 'unknown_camera' },
      ],
      cursor: 4,
    });
    const metrics = await (await fetch(`${hub.url}/metrics`)).text();
    for (const [series, value] of [
      ['alpr_hub_auth_failures_total{reason="missing_header"}', 1],
      ['alpr_hub_auth_failures_total{reason="bad_signature"}', 1],
      ['alpr_hub_auth_failures_total{reason="replay"}', 1],
      ['alpr_hub_ingest_reads_accepted_total', 1],
      ['alpr_hub_ingest_reads_refused_total{reason="malformed"}', 1],
      ['alpr_hub_ingest_reads_refused_total{reason="future_capture"}', 1],
      ['alpr_hub_ingest_reads_refused_total{reason="unknown_camera"}', 1],
    ] as const) {
      expect(metrics).toContain(`${series} ${value}`);
    }
    expect(metrics).toMatch(
      /alpr_hub_http_request_duration_seconds_bucket\{le="0.2",method="POST",route="\/api\/v1\/ingest\/reads",status="200"\} \d+/,
    );
    expect(metrics).not.toContain(secret);
    await hub.stop();
    hub = undefined;
    expect(await withHubDb(config, (q) => q('SELECT count(*) AS n FROM reads'))).toBe(1);
  });
});
