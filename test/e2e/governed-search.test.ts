// Done-when of issue 12: an `alpr edge` on a real RTSP camera (synthetic traffic, real recognition)
// forwards its reads to an `alpr hub`; an investigator enrolled with `alpr hub users add` signs in with
// password + TOTP, accepts the notice and finds a forwarded read by a lawful search; the same search with
// an immigration purpose is blocked (422); the auditor sees both in GET /api/v1/audit. Then the logs of
// every process and the hub's whole audit chain are searched for the passwords, TOTP codes, seeds and
// session ids the run used: none may appear.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openHubDb } from '../../hub/db/open-hub-db.js';
import { loadConfig } from '../../shared/config/load-config.js';
import { base32Decode } from '../../shared/crypto/base32.js';
import { hotp, totpStep } from '../../shared/crypto/totp.js';
import { renderTrafficClip } from '../../sim/camera/traffic-clip.js';
import { ALPR_BIN, spawnCli } from '../support/cli.js';
import { eventually } from '../support/eventually.js';
import { makeCameraConfig } from '../support/factories.js';
import { enrolWithCli, writeJson } from '../support/hub-e2e.js';
import { type HubProcess, startHubProcess } from '../support/hub-process.js';
import { RtspClipServer, rtspServerSkipReason } from '../support/rtsp-server.js';
import { ALLOW_SKIP } from '../support/services.js';
import { tempDir } from '../support/temp-dir.js';

const skip = await rtspServerSkipReason(ALLOW_SKIP);
const PLATE = '7DMV482';

interface Enrolled {
  user: string;
  password: string;
  seed: string;
  step?: number;
}

function addUser(config: string, username: string, role: string): Enrolled {
  const run = spawnCli([
    'hub',
    'users',
    'add',
    '--username',
    username,
    '--role',
    role,
    '--agency',
    'CA0430100',
    '--json',
    '-c',
    config,
  ]);
  if (run.code !== 0) throw new Error(`users add ${username}: ${run.stdout} ${run.stderr}`);
  const out = run.json<{ user: string; otpauthUri: string; password: string }>();
  const seed = new URL(out.otpauthUri).searchParams.get('secret')!;
  return { user: out.user, password: out.password, seed };
}

const secrets = {
  passwords: [] as string[],
  seeds: [] as string[],
  codes: [] as string[],
  sessions: [] as string[],
};

/** Sign in with password + TOTP and accept the notice; returns the Cookie header value. */
async function signIn(url: string, who: Enrolled): Promise<string> {
  const seed = base32Decode(who.seed);
  if (!seed.ok) throw new Error('bad seed');
  const step = totpStep(Date.now());
  const code = hotp(seed.bytes, step);
  secrets.codes.push(code);
  const login = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: who.user, password: who.password, totp: code }),
  });
  expect(login.status, await login.clone().text()).toBe(200);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  secrets.sessions.push(cookie.split('=')[1]!);
  const { notice } = (await login.json()) as { notice: { hash: string } };
  const ack = await fetch(`${url}/api/v1/session/acknowledge`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ noticeHash: notice.hash }),
  });
  expect(ack.status).toBe(200);
  return cookie;
}

describe.skipIf(skip)('governed search end to end (real RTSP camera, real recognition, TOTP sign-in)', () => {
  it('finds a forwarded read by a lawful search, blocks an immigration purpose, and the auditor sees both', async () => {
    const dir = tempDir('alpr-e2e-search-');
    const clip = await renderTrafficClip({
      file: path.join(dir, 'traffic.mp4'),
      ffmpegPath: 'ffmpeg',
      width: 640,
      height: 360,
      fps: 10,
      seconds: 5,
      vehicles: [
        { plate: PLATE, enterAtS: 0.2, crossingS: 3, laneY: 0.5, plateWidth: 0.2, direction: 'ltr' },
      ],
    });
    const camera = new RtspClipServer({ file: clip.file, path: '/traffic' });
    await camera.start();
    const hubConfig = writeJson(path.join(dir, 'hub.yaml'), {
      hub: { dataDir: './hub' },
      log: { level: 'debug' },
    });
    const keyFile = path.join(dir, 'hub-edge.key');
    enrolWithCli(hubConfig, 'edge-main-st', keyFile);
    // Accounts before the hub starts (embedded PGlite has one process at a time).
    const det = addUser(hubConfig, 'det.alvarez', 'investigator');
    const sgt = addUser(hubConfig, 'sgt.lee', 'supervisor');
    const aud = addUser(hubConfig, 'aud.kim', 'auditor');
    for (const u of [det, sgt, aud]) {
      secrets.passwords.push(u.password);
      secrets.seeds.push(u.seed);
    }
    const today = new Date().toISOString().slice(0, 10);
    expect(spawnCli(['hub', 'users', 'approve', det.user, '--by', sgt.user, '-c', hubConfig]).code).toBe(0);
    expect(spawnCli(['hub', 'users', 'training', det.user, '--date', today, '-c', hubConfig]).code).toBe(0);

    let hub: HubProcess | undefined;
    let edgeLog = '';
    const edge: { kill?: (s: NodeJS.Signals) => void; exit?: Promise<number | null> } = {};
    const since = new Date(Date.now() - 60 * 60_000).toISOString();
    try {
      hub = await startHubProcess(hubConfig);
      writeJson(path.join(dir, 'sites.geojson'), { type: 'FeatureCollection', features: [] });
      const edgeConfig = writeJson(path.join(dir, 'edge.yaml'), {
        node: { id: 'edge-main-st' },
        store: { path: './edge.db' },
        sites: { registryPath: './sites.geojson' },
        cameraDefaults: { frame: { width: 640, height: 360 } },
        cameras: [makeCameraConfig({ id: 'cam-1', url: camera.url(), fovDeg: 60, rangeM: 30 })],
        forward: { enabled: true, hubUrl: hub.url, edgeKeyPath: keyFile, everyMs: 500 },
      });
      expect(
        spawnCli(['sites', 'import', path.join(dir, 'sites.geojson'), '--config', edgeConfig]).code,
      ).toBe(0);
      const child = spawn(process.execPath, [ALPR_BIN, 'edge', '--config', edgeConfig, '--http-port', '0'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      edge.kill = (s) => child.kill(s);
      edge.exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
      child.stderr.on('data', (d: Buffer) => {
        edgeLog += d.toString();
      });
      const healthUrl = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${edgeLog}`)), 90_000);
        child.stdout.on('data', (d: Buffer) => {
          edgeLog += d.toString();
          const match = /(http:\/\/127\.0\.0\.1:\d+\/health)/.exec(edgeLog);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        });
      });
      const backlog = async () =>
        (
          (await (await fetch(healthUrl)).json()) as {
            forward?: { backlogReads: number; lastSuccessAt: string | null };
          }
        ).forward;
      const stored = async () => {
        const text = await (await fetch(healthUrl.replace('/health', '/metrics'))).text();
        return Number(/alpr_reads_stored_total\{camera="cam-1"\} (\d+)/.exec(text)?.[1] ?? 0);
      };
      await eventually('the edge to store the plate', async () => (await stored()) >= 1, {
        timeoutMs: 90_000,
      });
      await eventually(
        'the edge to forward it',
        async () => {
          const f = await backlog();
          return f?.backlogReads === 0 && f.lastSuccessAt !== null;
        },
        { timeoutMs: 60_000 },
      );

      const investigator = await signIn(hub.url, det);
      const search = (justification: string) =>
        fetch(`${hub!.url}/api/v1/searches`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: investigator },
          body: JSON.stringify({
            plate: PLATE,
            from: since,
            to: new Date().toISOString(),
            crimeType: 'robbery',
            caseNumber: '26-004821',
            justification,
          }),
        });
      const lawful = await search(
        'armed robbery at the Valero on King Rd; the suspect left in a white Civic',
      );
      expect(lawful.status, await lawful.clone().text()).toBe(201);
      const { results } = (await lawful.json()) as { results: string };
      const view = await fetch(`${hub.url}${results}`, { headers: { cookie: investigator } });
      expect(view.status).toBe(200);
      const reads = (
        (await view.json()) as { reads: Array<{ plate: string; edgeId: string; cameraId: string }> }
      ).reads;
      expect(reads.length).toBeGreaterThan(0);
      expect(
        reads.every((r) => r.plate === PLATE && r.edgeId === 'edge-main-st' && r.cameraId === 'cam-1'),
      ).toBe(true);

      const blocked = await search('ICE asked us to locate the driver of the white Civic for deportation');
      expect(blocked.status).toBe(422);
      const refusal = (await blocked.json()) as Record<string, unknown>;
      expect(refusal).toMatchObject({ error: 'prohibited_purpose', category: 'immigration' });
      expect(JSON.stringify(refusal)).not.toContain('edge-main-st');

      const auditor = await signIn(hub.url, aud);
      const log = await fetch(`${hub.url}/api/v1/audit?kind=search.`, { headers: { cookie: auditor } });
      expect(log.status).toBe(200);
      const entries = (
        (await log.json()) as {
          entries: Array<{ kind: string; actor: string; payload: Record<string, unknown> }>;
        }
      ).entries;
      expect(entries.map((e) => [e.kind, e.actor, e.payload.outcome])).toEqual([
        ['search.blocked', 'det.alvarez', 'blocked'],
        ['search.allowed', 'det.alvarez', 'allowed'],
      ]);
      expect(entries[0]!.payload).toMatchObject({
        category: 'immigration',
        caseNumber: '26-004821',
        crimeType: 'robbery',
      });
      const asInvestigator = await fetch(`${hub.url}/api/v1/audit`, { headers: { cookie: investigator } });
      expect(asInvestigator.status).toBe(403);
      child.kill('SIGTERM');
      expect(await edge.exit).toBe(0);
    } finally {
      edge.kill?.('SIGKILL');
      await edge.exit;
      await camera.stop();
      await hub?.stop();
    }

    // No secret of the run reaches a log line or the audit chain (AUTH, AUD: secrets never logged).
    const db = await openHubDb(loadConfig(hubConfig).config.hub, { migrate: false });
    let chain = '';
    try {
      const rows = await db.query<{ kind: string; actor: string; payload: string }>(
        'SELECT kind, actor, payload FROM audit_events ORDER BY seq',
      );
      chain = rows.map((r) => `${r.kind} ${r.actor} ${r.payload}`).join('\n');
      expect(rows.map((r) => r.kind)).toEqual(
        expect.arrayContaining(['login.succeeded', 'notice.accepted', 'results.viewed']),
      );
    } finally {
      await db.close();
    }
    const logs = `${hub!.output().stdout}\n${hub!.output().stderr}\n${edgeLog}`;
    expect(logs).toContain('"route":"/api/v1/searches"');
    for (const [name, haystack] of [
      ['logs', logs],
      ['audit chain', chain],
    ] as const) {
      for (const s of [...secrets.passwords, ...secrets.seeds, ...secrets.sessions]) {
        expect(haystack.includes(s), `${name} contain a password, seed or session id`).toBe(false);
      }
      for (const code of secrets.codes) {
        expect(new RegExp(`(^|[^0-9])${code}([^0-9]|$)`).test(haystack), `${name} contain a TOTP code`).toBe(
          false,
        );
      }
    }
    expect(secrets.codes.length).toBe(2);
    expect(secrets.sessions.every((s) => s.length >= 22)).toBe(true);
  }, 300_000);
});
