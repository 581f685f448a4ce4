// The weekly anomaly review queue on the hub (CMP-01): run the detectors of shared/oversight/anomalies.ts
// over a week of the audit chain, queue what is new (an item's key is stable, so a re-run adds nothing
// twice), and record each review (cleared or escalated, with a note) with its audit entry.

import { AccessAuditKind } from '../../shared/audit/access-audit.js';
import { type AnomalyItem, detectAnomalies, weekStart } from '../../shared/oversight/anomalies.js';
import { DAY_MS } from '../../shared/runtime/clock.js';
import { conflict, notFound, unprocessable } from '../http/http-errors.js';
import type { HubContext } from '../hub-context.js';
import { type Actor, OversightAuditKind, type OversightContext, payload } from './oversight.service.js';
import { auditEntries, homeOri } from './report-data.js';

/** Run the detectors over the week holding `at` and add new items to the queue; returns the week's queue. */
export async function refreshAnomalies(ctx: OversightContext, actor: Actor, at: number) {
  const week = weekStart(at);
  const now = ctx.clock();
  const entries = await auditEntries(ctx.db, { after: week - 28 * DAY_MS, before: week + 7 * DAY_MS });
  const items = detectAnomalies(entries, week, undefined, await homeOri(ctx.db));
  await ctx.db.transaction(async (tx) => {
    let added = 0;
    for (const item of items) {
      const rows = await tx.query(
        `INSERT INTO oversight_anomalies (item_key, week_start, detector, subject, count, seqs, detail, found_at)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8) ON CONFLICT (item_key) DO NOTHING RETURNING id`,
        [
          item.key,
          new Date(week),
          item.detector,
          item.subject,
          item.count,
          JSON.stringify(item.seqs),
          item.detail,
          new Date(now),
        ],
      );
      added += rows.length;
    }
    await ctx.audit.append(
      tx,
      {
        kind: OversightAuditKind.anomaliesRefreshed,
        actor: actor.username,
        payload: payload(actor, 'ok', {
          week: new Date(week).toISOString().slice(0, 10),
          found: items.length,
          added,
        }),
      },
      now,
    );
  });
  return anomalyQueue(ctx, week);
}

export async function anomalyQueue(ctx: Pick<HubContext, 'db'>, week: number) {
  const rows = await ctx.db.query<Record<string, unknown>>(
    'SELECT * FROM oversight_anomalies WHERE week_start = $1 ORDER BY detector, subject, id',
    [new Date(weekStart(week))],
  );
  return {
    week: new Date(weekStart(week)).toISOString().slice(0, 10),
    items: rows.map((r) => ({
      id: r.id,
      detector: r.detector as AnomalyItem['detector'],
      subject: r.subject,
      count: r.count,
      seqs: r.seqs,
      detail: r.detail,
      status: r.status,
      reviewedBy: r.reviewed_by,
      reviewedAt: r.reviewed_at,
      note: r.review_note,
    })),
    open: rows.filter((r) => r.status === 'open').length,
  };
}

/** Review one queue item (cleared or escalated, with a note): the recorded sign-off of CMP-01. */
export async function reviewAnomaly(
  ctx: OversightContext,
  actor: Actor,
  input: { id: number; status: 'cleared' | 'escalated'; note: string },
): Promise<{ auditSeq: number }> {
  if (input.status !== 'cleared' && input.status !== 'escalated')
    throw unprocessable('bad_status', 'status must be cleared or escalated');
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    const [item] = await tx.query<{ status: string; item_key: string }>(
      'SELECT status, item_key FROM oversight_anomalies WHERE id = $1 FOR UPDATE',
      [input.id],
    );
    if (!item) throw notFound(`no anomaly item ${input.id}`);
    if (item.status !== 'open') throw conflict(`anomaly item ${input.id} was already reviewed`);
    await tx.query(
      'UPDATE oversight_anomalies SET status = $2, reviewed_by = $3, reviewed_at = $4, review_note = $5 WHERE id = $1',
      [input.id, input.status, actor.username, new Date(now), input.note],
    );
    const [row] = await ctx.audit.append(
      tx,
      {
        kind: AccessAuditKind.anomalyReviewed,
        actor: actor.username,
        payload: payload(actor, input.status, { anomalyId: input.id, key: item.item_key, note: input.note }),
      },
      now,
    );
    return { auditSeq: row!.seq };
  });
}
