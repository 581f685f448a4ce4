// The auditor's work on the hub: sign off a report, draw a case-number sample and record pass/fail per
// item (CMP-04); the weekly anomaly queue is in anomaly-queue.service.ts. Each action is one audit entry in
// the same transaction as what it records. Used by the auditor routes and the CLI alike.
import { randomInt } from 'node:crypto';
import { AccessAuditKind, accessPayload } from '../../shared/audit/access-audit.js';
import { OversightKind, str } from '../../shared/oversight/audit-entries.js';
import { drawSample, type SampleVerdict, sampleTally } from '../../shared/oversight/case-sample.js';
import type { HubSql } from '../db/hub-db.js';
import { conflict, notFound, unprocessable } from '../http/http-errors.js';
import type { HubContext } from '../hub-context.js';
import { auditEntries } from './report-data.js';

export type OversightContext = Pick<HubContext, 'db' | 'audit' | 'clock'>;

/** Oversight actions that are not in the access contract (reading searches is itself audited, AUD-01). */
export const OversightAuditKind = {
  sampleDrawn: 'oversight.sample_drawn',
  sampleItemChecked: 'oversight.sample_item_checked',
  anomaliesRefreshed: 'oversight.anomalies_refreshed',
} as const;

export interface Actor {
  username: string;
  role?: string | null;
  agency?: string | null;
}

export const payload = (actor: Actor, outcome: string, detail: Record<string, unknown>) => ({
  ...accessPayload({
    user: actor.username,
    role: actor.role ?? null,
    agency: actor.agency ?? null,
    outcome,
    detail,
  }),
});

/** Record an auditor's sign-off of a report (accepted or rejected, with a note). One per auditor. */
export async function signOffReport(
  ctx: OversightContext,
  actor: Actor,
  input: { reportId: number; decision: 'accepted' | 'rejected'; note: string },
): Promise<{ id: number; auditSeq: number }> {
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    const [report] = await tx.query<{ id: number; result: string }>(
      'SELECT id, result FROM oversight_reports WHERE id = $1',
      [input.reportId],
    );
    if (!report) throw notFound(`no report ${input.reportId}`);
    const done = await tx.query('SELECT 1 FROM oversight_signoffs WHERE report_id = $1 AND auditor = $2', [
      input.reportId,
      actor.username,
    ]);
    if (done.length > 0) throw conflict(`${actor.username} already signed off report ${input.reportId}`);
    const [row] = await ctx.audit.append(
      tx,
      {
        kind: AccessAuditKind.reportSignedOff,
        actor: actor.username,
        payload: payload(actor, input.decision, {
          reportId: report.id,
          result: report.result,
          note: input.note,
        }),
      },
      now,
    );
    const [inserted] = await tx.query<{ id: number }>(
      `INSERT INTO oversight_signoffs (report_id, auditor, decision, note, signed_at, audit_seq)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [report.id, actor.username, input.decision, input.note, new Date(now), row!.seq],
    );
    return { id: inserted!.id, auditSeq: row!.seq };
  });
}

export async function listReports(ctx: Pick<HubContext, 'db'>) {
  const rows = await ctx.db.query<Record<string, unknown>>(
    `SELECT r.id, r.period_from, r.period_to, r.generated_at, r.result, r.json_sha256, r.pdf_sha256, r.key_id, r.audit_seq,
            coalesce((SELECT jsonb_agg(jsonb_build_object('auditor', s.auditor, 'decision', s.decision, 'note', s.note,
                      'signedAt', s.signed_at) ORDER BY s.id) FROM oversight_signoffs s WHERE s.report_id = r.id), '[]') AS signoffs
       FROM oversight_reports r ORDER BY r.generated_at DESC, r.id DESC LIMIT 100`,
  );
  return rows.map((r) => ({
    id: r.id,
    periodFrom: r.period_from,
    periodTo: r.period_to,
    generatedAt: r.generated_at,
    result: r.result,
    jsonSha256: r.json_sha256,
    pdfSha256: r.pdf_sha256,
    keyId: r.key_id,
    auditSeq: r.audit_seq,
    signoffs: r.signoffs,
  }));
}

/**
 * Draw `size` allowed searches of [from, to) at random (crypto random), and record the sample.
 * @example await drawCaseSample(ctx, actor, { from, to, size: 25 })
 */
export async function drawCaseSample(
  ctx: OversightContext,
  actor: Actor,
  input: { from: number; to: number; size: number },
  random: () => number = () => randomInt(0, 2 ** 32) / 2 ** 32,
): Promise<{ id: number; population: number; items: SampleItem[] }> {
  if (!(input.to > input.from))
    throw unprocessable('bad_period', 'the sample period must end after it starts');
  if (!Number.isInteger(input.size) || input.size < 1 || input.size > 500) {
    throw unprocessable('bad_size', 'the sample size must be an integer from 1 to 500');
  }
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    const population = await auditEntries(tx, {
      after: input.from,
      before: input.to,
      kinds: [OversightKind.searchAllowed],
    });
    const chosen = drawSample(population, input.size, random).sort((a, b) => a.seq - b.seq);
    const [sample] = await tx.query<{ id: number }>(
      `INSERT INTO oversight_samples (period_from, period_to, drawn_by, drawn_at, population, size)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [
        new Date(input.from),
        new Date(input.to),
        actor.username,
        new Date(now),
        population.length,
        chosen.length,
      ],
    );
    for (const e of chosen) {
      await tx.query(
        `INSERT INTO oversight_sample_items (sample_id, audit_seq, case_number, agency, searched_at) VALUES ($1, $2, $3, $4, $5)`,
        [sample!.id, e.seq, str(e.payload.caseNumber), str(e.payload.agency), new Date(e.at)],
      );
    }
    await ctx.audit.append(
      tx,
      {
        kind: OversightAuditKind.sampleDrawn,
        actor: actor.username,
        payload: payload(actor, 'ok', {
          sampleId: sample!.id,
          from: new Date(input.from).toISOString(),
          to: new Date(input.to).toISOString(),
          population: population.length,
          seqs: chosen.map((e) => e.seq),
        }),
      },
      now,
    );
    return { id: sample!.id, population: population.length, items: await sampleItems(tx, sample!.id) };
  });
}

export interface SampleItem {
  auditSeq: number;
  caseNumber: string | null;
  agency: string | null;
  searchedAt: string;
  verdict: SampleVerdict | null;
  checkedBy: string | null;
  note: string | null;
}

async function sampleItems(sql: HubSql, id: number): Promise<SampleItem[]> {
  const rows = await sql.query<{
    audit_seq: number;
    case_number: string | null;
    agency: string | null;
    searched_at: Date;
    verdict: SampleVerdict | null;
    checked_by: string | null;
    note: string | null;
  }>('SELECT * FROM oversight_sample_items WHERE sample_id = $1 ORDER BY audit_seq', [id]);
  return rows.map((r) => ({
    auditSeq: r.audit_seq,
    caseNumber: r.case_number,
    agency: r.agency,
    searchedAt: new Date(r.searched_at).toISOString(),
    verdict: r.verdict,
    checkedBy: r.checked_by,
    note: r.note,
  }));
}

export async function getSample(ctx: Pick<HubContext, 'db'>, id: number) {
  const [s] = await ctx.db.query<Record<string, unknown>>('SELECT * FROM oversight_samples WHERE id = $1', [
    id,
  ]);
  if (!s) throw notFound(`no sample ${id}`);
  const items = await sampleItems(ctx.db, id);
  return {
    id,
    drawnBy: s.drawn_by,
    drawnAt: s.drawn_at,
    population: s.population,
    items,
    tally: sampleTally(items),
  };
}

/** Record pass or fail for one item of a sample (once). */
export async function checkSampleItem(
  ctx: OversightContext,
  actor: Actor,
  input: { sampleId: number; auditSeq: number; verdict: SampleVerdict; note?: string },
): Promise<{ auditSeq: number }> {
  if (input.verdict !== 'pass' && input.verdict !== 'fail')
    throw unprocessable('bad_verdict', 'verdict must be pass or fail');
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    const [item] = await tx.query<{ verdict: string | null }>(
      'SELECT verdict FROM oversight_sample_items WHERE sample_id = $1 AND audit_seq = $2 FOR UPDATE',
      [input.sampleId, input.auditSeq],
    );
    if (!item) throw notFound(`no item ${input.auditSeq} in sample ${input.sampleId}`);
    if (item.verdict !== null)
      throw conflict(`item ${input.auditSeq} of sample ${input.sampleId} was already checked`);
    await tx.query(
      `UPDATE oversight_sample_items SET verdict = $3, checked_by = $4, checked_at = $5, note = $6
        WHERE sample_id = $1 AND audit_seq = $2`,
      [input.sampleId, input.auditSeq, input.verdict, actor.username, new Date(now), input.note ?? null],
    );
    const [row] = await ctx.audit.append(
      tx,
      {
        kind: OversightAuditKind.sampleItemChecked,
        actor: actor.username,
        payload: payload(actor, input.verdict, {
          sampleId: input.sampleId,
          searchSeq: input.auditSeq,
          note: input.note ?? null,
        }),
      },
      now,
    );
    return { auditSeq: row!.seq };
  });
}
