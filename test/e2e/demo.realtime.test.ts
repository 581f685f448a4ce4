// The README's first command, end to end: real RTSP server, real ffmpeg, real ONNX models, the geofence
// gate, the SQLite store, a hold and a purge, all through `alpr demo` as a newcomer runs it.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { DemoSummary } from '../../sim/demo/demo-summary.js';
import { spawnCli } from '../support/cli.js';
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
  // The compliant camera stores one read per car, and each is a plate that was in the clip.
  expect(new Set(mainSt!.storedPlates)).toEqual(new Set(summary.clipPlates));
  expect(mainSt!.storedPlates).toHaveLength(summary.clipPlates.length);
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
}

describe('alpr demo', () => {
  it.skipIf(rtspSkip)('serves the clip over RTSP and shows store, refusal, hold and purge', () => {
    const dir = tempDir('alpr-demo-');
    const run = spawnCli(['demo', '--dir', dir, '--json'], { timeoutMs: 150_000 });
    expect(run.code, run.stderr).toBe(0);
    const summary = run.json<DemoSummary>();
    expect(summary.cameraSource).toBe('rtsp');
    expectDemoOutcome(summary);
    expect(run.stdout).toContain('[7/7] verifying the audit chain');
    expect(processesMentioning(dir)).toEqual([]);
  });

  it('falls back to the clip file through the same frame source', () => {
    const dir = tempDir('alpr-demo-');
    const run = spawnCli(['demo', '--dir', dir, '--no-rtsp', '--json'], { timeoutMs: 150_000 });
    expect(run.code, run.stderr).toBe(0);
    const summary = run.json<DemoSummary>();
    expect(summary.cameraSource).toBe('file');
    expectDemoOutcome(summary);
    expect(processesMentioning(dir)).toEqual([]);
  });

  it('refuses to empty a directory it did not create', () => {
    const dir = tempDir('alpr-demo-');
    execFileSync('touch', [`${dir}/precious.txt`]);
    const run = spawnCli(['demo', '--dir', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('is not empty and was not made by the demo');
  });
});
