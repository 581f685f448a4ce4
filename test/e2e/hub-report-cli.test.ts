// `alpr hub report quarterly` and `alpr hub report verify` as an auditor runs them on an embedded hub:
// the report is written and signed, verify exits 0 on the files and 1 once a byte changed; an unheld read
// older than 30 days + 1 hour makes the report FAILED and the command exit 1 (CMP-03).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrateHub } from '../../hub/db/hub-migrations.js';
import { openPgliteDb } from '../../hub/db/pglite-db.js';
import { DAY_MS, HOUR_MS } from '../../shared/runtime/clock.js';
import { spawnCli } from '../support/cli.js';
import {
  insertAgency,
  insertCamera,
  insertEdge,
  insertRead,
  insertVerdict,
} from '../support/hub-factories.js';
import { edgeReceipt, edgeSignedHead } from '../support/oversight-fixtures.js';
import { tempDir } from '../support/temp-dir.js';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function embeddedHub(oldRead: boolean): Promise<{ dir: string; config: string }> {
  const dir = tempDir('alpr-hub-report-');
  const db = await openPgliteDb(path.join(dir, 'hub', 'pg'));
  await migrateHub(db);
  const now = Date.now();
  const agency = await insertAgency(db);
  await insertEdge(db, agency, 'edge-01');
  await insertCamera(db, 'edge-01');
  const verdictId = await insertVerdict(db, {
    edgeId: 'edge-01',
    cameraId: 'cam-1',
    edgeVerdictId: 1,
    evaluatedAt: now - 60 * DAY_MS,
  });
  await insertRead(db, { verdictId, edgeReadId: 1, capturedAt: now - DAY_MS });
  if (oldRead)
    await insertRead(db, { verdictId, edgeReadId: 2, capturedAt: now - 30 * DAY_MS - 2 * HOUR_MS });
  await edgeReceipt(db, 'edge-01', 3, now - 2 * DAY_MS, 20 * DAY_MS);
  await edgeSignedHead(db, 'edge-01', 4, now - DAY_MS);
  await db.close();
  const config = path.join(dir, 'alpr.json');
  writeFileSync(config, JSON.stringify({ hub: { dataDir: path.join(dir, 'hub') } }));
  return { dir, config };
}

describe('alpr hub report', () => {
  const from = day(Date.now() - 10 * DAY_MS);
  const to = day(Date.now());

  it('writes a signed quarterly report; verify passes, then fails on a changed byte', async () => {
    const { dir, config } = await embeddedHub(false);
    const out = path.join(dir, 'reports');
    const run = spawnCli(
      ['hub', 'report', 'quarterly', '--config', config, '--from', from, '--to', to, '--out', out, '--json'],
      { timeoutMs: 120_000 },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = run.json<{ result: string; jsonFile: string; pdfFile: string }>();
    expect(result.result).toBe('PASSED');
    for (const f of [result.jsonFile, result.pdfFile]) {
      expect(existsSync(f) && existsSync(`${f}.sig`)).toBe(true);
      const ok = spawnCli(['hub', 'report', 'verify', f, '--config', config]);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/verified/);
    }
    const pdf = readFileSync(result.pdfFile);
    pdf[pdf.length - 10] = pdf[pdf.length - 10]! ^ 0x01;
    writeFileSync(result.pdfFile, pdf);
    const bad = spawnCli(['hub', 'report', 'verify', result.pdfFile, '--config', config]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/NOT verified/);
    // Offline, with only the public key the hub prints.
    const key = spawnCli(['hub', 'audit', 'key', '--config', config, '--json']).json<{ publicKey: string }>()
      .publicKey;
    expect(spawnCli(['hub', 'report', 'verify', result.jsonFile, '--public-key', key]).code).toBe(0);
  }, 180_000);

  it('exits 1 with FAILED when an unheld read is older than 30 days + 1 hour', async () => {
    const { config } = await embeddedHub(true);
    const run = spawnCli(['hub', 'report', 'quarterly', '--config', config, '--from', from, '--to', to], {
      timeoutMs: 120_000,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/: FAILED/);
    expect(run.stdout).toMatch(/the hub holds an unheld read/);
    expect(run.stdout).toMatch(/incident \d+ opened/);
  }, 180_000);

  it('refuses a bad date with exit 2', async () => {
    const { config } = await embeddedHub(false);
    const run = spawnCli([
      'hub',
      'report',
      'quarterly',
      '--config',
      config,
      '--from',
      'yesterday',
      '--to',
      to,
    ]);
    expect(run.code).toBe(2);
  });
});
