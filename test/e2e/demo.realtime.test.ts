// The README's first command, end to end: real RTSP server, real ffmpeg, real ONNX models, the geofence
// gate, the SQLite store, an in-process hub on PGlite fed by the edge's forwarder, a governed search (and
// a blocked immigration one), holds and purges at edge and hub, the quarterly report and the portal, all
// through `alpr demo` as a newcomer runs it; and `--serve`, which leaves the hub up until Ctrl-C.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DemoSummary } from '../../sim/demo/demo-summary.js';
import { ALPR_BIN, spawnCli } from '../support/cli.js';
import { rtspServerSkipReason } from '../support/rtsp-server.js';
import { ALLOW_SKIP } from '../support/services.js';
import { tempDir } from '../support/temp-dir.js';

const rtspSkip = await rtspServerSkipReason(ALLOW_SKIP);

/** Processes whose command line mentions `text` (the demo's directory appears in every child it starts). */
function processesMentioning(text: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', text], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

function expectDemoOutcome(summary: DemoSummary): void {
  const [mainSt, oakAve] = summary.cameras;
  // The compliant camera stores at most one read per car, each a plate that was in the clip. On a loaded
  // machine recognition can miss a car (a frame dropped at the wrong moment), so all four are not required.
  expect(summary.clipPlates).toEqual(expect.arrayContaining(mainSt!.storedPlates));
  expect(new Set(mainSt!.storedPlates).size).toBe(mainSt!.storedPlates.length);
  expect(mainSt!.storedPlates.length).toBeGreaterThanOrEqual(1);
  // The camera aimed at the place of worship stores nothing; its reads are refused before storage.
  expect(oakAve!.compliant).toBe(false);
  expect(oakAve!.violations.map((v) => v.siteId)).toEqual(['demo-site-1']);
  expect(oakAve!.storedPlates).toEqual([]);
  expect(oakAve!.refusedReads).toBeGreaterThanOrEqual(summary.clipPlates.length);
  // 31 days later only the held read is left.
  expect(summary.hold).not.toBeNull();
  expect(summary.purge.rowsDeleted).toBe(mainSt!.storedPlates.length - 1);
  expect(summary.purge.heldSkipped).toBe(1);
  expect(summary.remainingAfterPurge).toEqual([
    { id: summary.hold!.readId, plate: summary.hold!.plate, cameraId: mainSt!.id },
  ]);
  expect(summary.audit.ok).toBe(true);
  expectHubOutcome(summary);
}

function expectHubOutcome(summary: DemoSummary): void {
  const { hub } = summary;
  const stored = summary.cameras[0]!.storedPlates.length;
  // The forwarder's last cycle on the clean stop sends what the cameras flushed as they stopped.
  expect(hub.forwarded).toBe(stored);
  // A lawful search finds the plate; the same search for immigration enforcement is refused.
  expect(hub.search).toMatchObject({ plate: summary.hold!.plate, found: true });
  expect(hub.search!.readsFound).toBeGreaterThanOrEqual(1);
  expect(hub.search!.blocked).toEqual({ status: 422, error: 'prohibited_purpose', category: 'immigration' });
  // The hold at the hub: asked for by the investigator, approved by another person (the supervisor, RET-04).
  expect(hub.hold).toMatchObject({ readId: `demo-edge/${summary.hold!.readId}`, approvedBy: 'sgt.chen' });
  // 31 days later the hub keeps only the held read, as the edge does (RET-01, RET-05).
  expect(hub.purge).toMatchObject({
    heldKept: 1,
    heldReadSurvives: summary.hold!.plate,
    readsLeft: 1,
    retentionMet: true,
  });
  expect(hub.purge!.readsDropped).toBe(stored - 1);
  // The report passes and its detached signature verifies.
  expect(hub.report).toMatchObject({ result: 'PASSED', failures: [], verified: true });
  expect(existsSync(hub.report.pdfFile)).toBe(true);
  // The public portal is written, and shows figures, never a plate.
  expect(hub.portal.status).toBe(200);
  const html = readFileSync(hub.portal.file, 'utf8');
  expect(html).toContain('transparency portal');
  for (const plate of summary.clipPlates) expect(html).not.toContain(plate);
}

describe('alpr demo', () => {
  it.skipIf(rtspSkip)(
    'serves the clip over RTSP and shows store, refusal, hub search, holds, purges and report',
    () => {
      const dir = tempDir('alpr-demo-');
      const run = spawnCli(['demo', '--dir', dir, '--json'], { timeoutMs: 150_000 });
      expect(run.code, run.stderr).toBe(0);
      const summary = run.json<DemoSummary>();
      expect(summary.cameraSource).toBe('rtsp');
      expectDemoOutcome(summary);
      expect(run.stdout).toContain('[9/10] verifying the audit chain');
      expect(processesMentioning(dir)).toEqual([]);
    },
  );

  it('falls back to the clip file through the same frame source', () => {
    const dir = tempDir('alpr-demo-');
    const run = spawnCli(['demo', '--dir', dir, '--no-rtsp', '--json'], { timeoutMs: 150_000 });
    expect(run.code, run.stderr).toBe(0);
    const summary = run.json<DemoSummary>();
    expect(summary.cameraSource).toBe('file');
    expectDemoOutcome(summary);
    expect(processesMentioning(dir)).toEqual([]);
  });

  it('--serve leaves the hub answering until Ctrl-C, with a demo login and fresh TOTP codes', async () => {
    const dir = tempDir('alpr-demo-');
    const child = spawn(process.execPath, [ALPR_BIN, 'demo', '--dir', dir, '--no-rtsp', '--serve'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no hub URL printed:\n${out}\n${err}`)), 150_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const match = /keeps running: (http:\/\/127\.0\.0\.1:\d+)\/health/.exec(out);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        });
        void exited.then((code) => reject(new Error(`demo exited ${code}:\n${out}\n${err}`)));
      });
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(out).toContain(`sign in at ${url}/login`);
      expect((await fetch(`${url}/login`)).status).toBe(200);
      const password = /investigator\s+username det\.rivera {2}password (\S{12,})/.exec(out)?.[1];
      const code = /TOTP code for det\.rivera: (\d{6})/.exec(out)?.[1];
      expect(out).toContain('otpauth://totp/');
      // The printed login works, although the demo itself signed the investigator in moments before.
      const login = await fetch(`${url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'det.rivera', password, totp: code }),
      });
      expect(login.status, await login.clone().text()).toBe(200);
      const totp = spawnCli(['demo', 'totp', '--dir', dir, '--user', 'sgt.chen']);
      expect(totp.code, totp.stderr).toBe(0);
      expect(totp.stdout).toMatch(/^\d{6} {2}\(sgt\.chen; valid for \d+ more second/);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      await expect(fetch(`${url}/health`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    }
    expect(processesMentioning(dir)).toEqual([]);
  }, 200_000);

  it('refuses to empty a directory it did not create', () => {
    const dir = tempDir('alpr-demo-');
    execFileSync('touch', [`${dir}/precious.txt`]);
    const run = spawnCli(['demo', '--dir', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('is not empty and was not made by the demo');
  });
});
