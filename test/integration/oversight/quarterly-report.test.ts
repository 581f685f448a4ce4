// The quarterly report end to end on both engines: files written and signed, hashes in the audit chain,
// tamper detected; and the FAILED path (CMP-03): an unheld read older than 30 days + 1 hour at the hub,
// or in an edge's purge receipt, fails the report and opens an incident.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeQuarterlyReport } from '../../../hub/oversight/report.service.js';
import { verifyReport } from '../../../shared/crypto/report-signature.js';
import { DAY_MS, HOUR_MS } from '../../../shared/runtime/clock.js';
import { HUB_ENGINES } from '../../support/hub-db.js';
import { openTestHub, type TestHub } from '../../support/hub-ingest.js';
import {
  appendAccess,
  edgeReceipt,
  edgeSignedHead,
  hubRead,
  OTHER_ORI,
  seedOversightHub,
} from '../../support/oversight-fixtures.js';

const FROM = Date.UTC(2026, 0, 1);
const TO = Date.UTC(2026, 3, 1);
const NOW = TO + HOUR_MS;
const LIMIT = 30 * DAY_MS + HOUR_MS;

describe.each(HUB_ENGINES)('quarterly report (%s)', (engine) => {
  let hub: TestHub;
  afterEach(async () => hub?.close());

  async function open(): Promise<{ verdictId: number }> {
    hub = await openTestHub(engine, { now: Date.UTC(2025, 11, 1) });
    const verdictId = await seedOversightHub(hub);
    hub.clock.set(NOW);
    await edgeSignedHead(hub.ctx.db, 'edge-01', 10, TO - DAY_MS);
    await appendAccess(hub.ctx, Date.UTC(2026, 1, 10), [
      {},
      { kind: 'search.blocked', outcome: 'blocked', category: 'immigration', user: 'det.b' },
      { origin: 'external', agency: OTHER_ORI, user: 'ext.c' },
    ]);
    return { verdictId };
  }
  const write = (outDir: string) =>
    writeQuarterlyReport(hub.ctx, { from: FROM, to: TO, outDir, actor: 'cli:auditor' });

  it('writes the JSON and the PDF, signs both, and appends their hashes to the audit chain', async () => {
    const { verdictId } = await open();
    await hubRead(hub.ctx.db, verdictId, NOW - 29 * DAY_MS, 1);
    await edgeReceipt(hub.ctx.db, 'edge-01', 5, TO - 2 * DAY_MS, 29 * DAY_MS);
    const out = path.join(hub.dataDir, 'out');
    const w = await write(out);
    expect(w.report.result).toBe('PASSED');
    expect(w.report.failures).toEqual([]);
    expect(w.report.access.internal.blocked).toBe(1);
    expect(w.report.access.external.allowed).toBe(1);
    expect(w.report.chains.map((c) => [c.chain, c.ok])).toEqual([
      ['hub', true],
      ['edge-01', true],
    ]);

    const json = readFileSync(w.jsonFile);
    const pdf = readFileSync(w.pdfFile);
    expect(JSON.parse(json.toString()).result).toBe('PASSED');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pub = hub.ctx.keys.signing.publicKey;
    for (const [file, bytes] of [
      [w.jsonFile, json],
      [w.pdfFile, pdf],
    ] as const) {
      const sig = JSON.parse(readFileSync(`${file}.sig`, 'utf8'));
      expect(verifyReport(bytes, sig, pub).ok).toBe(true);
    }
    const [entry] = await hub.ctx.db.query<{ kind: string; payload: string }>(
      'SELECT kind, payload FROM audit_events WHERE seq = $1',
      [w.auditSeq],
    );
    expect(entry!.kind).toBe('report.written');
    expect(JSON.parse(entry!.payload).detail).toMatchObject({
      jsonSha256: w.jsonSignature.sha256,
      pdfSha256: w.pdfSignature.sha256,
      result: 'PASSED',
    });
    const rows = await hub.ctx.db.query('SELECT result, json_sha256 FROM oversight_reports');
    expect(rows).toEqual([{ result: 'PASSED', json_sha256: w.jsonSignature.sha256 }]);
    expect((await hub.ctx.audit.verify(hub.ctx.db)).ok).toBe(true);

    // Tamper: one byte of the JSON changes; the detached signature no longer verifies.
    const tampered = json.toString().replace('"PASSED"', '"PASSEd"');
    writeFileSync(w.jsonFile, tampered);
    const check = verifyReport(
      readFileSync(w.jsonFile),
      JSON.parse(readFileSync(`${w.jsonFile}.sig`, 'utf8')),
      pub,
    );
    expect(check).toMatchObject({ ok: false, reason: expect.stringMatching(/changed/) });
  });

  it('FAILS, opens an incident and raises a compliance alert when the hub holds an unheld read older than 30 d + 1 h', async () => {
    const { verdictId } = await open();
    await hubRead(hub.ctx.db, verdictId, NOW - LIMIT - 60_000, 1);
    await edgeReceipt(hub.ctx.db, 'edge-01', 5, TO - 2 * DAY_MS, 29 * DAY_MS);
    const w = await write(path.join(hub.dataDir, 'out'));
    expect(w.report.result).toBe('FAILED');
    expect(w.report.failures[0]).toMatch(/CMP-03/);
    expect(w.report.retention.violations).toEqual([
      expect.objectContaining({ source: 'hub', ageMs: LIMIT + 60_000 }),
    ]);
    expect(w.incidentId).not.toBeNull();
    const incidents = await hub.ctx.db.query<{ kind: string; report_id: number }>(
      'SELECT kind, report_id FROM oversight_incidents',
    );
    expect(incidents).toEqual([{ kind: 'report_failed', report_id: w.id }]);
    const alerts = await hub.ctx.db.query("SELECT 1 FROM audit_events WHERE kind = 'compliance.alert'");
    expect(alerts).toHaveLength(1);
  });

  it('FAILS when an edge purge receipt shows an unheld read older than 30 d + 1 h', async () => {
    const { verdictId } = await open();
    await hubRead(hub.ctx.db, verdictId, NOW - DAY_MS, 1);
    await edgeReceipt(hub.ctx.db, 'edge-01', 5, TO - 20 * DAY_MS, 29 * DAY_MS);
    await edgeReceipt(hub.ctx.db, 'edge-01', 6, TO - 10 * DAY_MS, LIMIT + HOUR_MS);
    const w = await write(path.join(hub.dataDir, 'out'));
    expect(w.report.result).toBe('FAILED');
    expect(w.report.retention.violations).toEqual([
      expect.objectContaining({ source: 'edge:edge-01', ageMs: LIMIT + HOUR_MS }),
    ]);
  });
});
