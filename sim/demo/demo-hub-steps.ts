// What the demo does at the hub once reads are forwarded: a governed search over HTTP as the investigator
// (lawful: found; immigration: blocked, 422), a hold asked for by the investigator and approved by the
// supervisor, hub retention with a clock 31 days ahead, the quarterly report written and verified, and
// the public transparency portal saved to a file. Every step goes through the hub's own routes/services.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { anchorHubHead } from '../../hub/audit/hub-anchor.js';
import { writeQuarterlyReport } from '../../hub/oversight/report.service.js';
import { HubRetentionService } from '../../hub/retention/retention.service.js';
import { verifyReport } from '../../shared/crypto/report-signature.js';
import type { Logger } from '../../shared/logging/logger.js';
import { DAY_MS, manualClock } from '../../shared/runtime/clock.js';
import { DEMO_EDGE_ID, type DemoHub, type DemoSession, signIn } from './demo-hub.js';

export const DEMO_CASE = { caseNumber: '26-004821', crimeType: 'robbery' } as const;

export interface HubSearchOutcome {
  searchId: number;
  found: boolean;
  readsFound: number;
  blocked: { status: number; error: string; category: string | null };
}

/** The lawful search for `plate` (found among the forwarded reads) and the same with an immigration purpose. */
export async function searchAtHub(
  hub: DemoHub,
  plate: string,
  since: number,
): Promise<{ outcome: HubSearchOutcome; investigator: DemoSession }> {
  const investigator = await signIn(hub.runtime.url, hub.accounts.investigator);
  const search = (justification: string) =>
    investigator.post('/api/v1/searches', {
      plate,
      from: new Date(since).toISOString(),
      to: new Date().toISOString(),
      ...DEMO_CASE,
      justification,
    });
  const lawful = await search('armed robbery at a (fictional) gas station; the suspect left in this car');
  if (lawful.status !== 201) {
    throw new Error(`the lawful search was refused (${lawful.status}): ${String(lawful.body.message)}`);
  }
  const results = await investigator.get(String(lawful.body.results));
  const reads = (results.body.reads ?? []) as Array<{ id: string; plate: string }>;
  const blocked = await search('ICE asked us to locate the driver of this car for deportation');
  return {
    investigator,
    outcome: {
      searchId: Number(lawful.body.id),
      found: results.status === 200 && reads.some((r) => r.plate === plate),
      readsFound: reads.length,
      blocked: {
        status: blocked.status,
        error: String(blocked.body.error),
        category: typeof blocked.body.category === 'string' ? blocked.body.category : null,
      },
    },
  };
}

/** The investigator asks for a hold on one read of the search; the supervisor (another person) approves. */
export async function holdAtHub(
  hub: DemoHub,
  investigator: DemoSession,
  searchId: number,
  edgeReadId: number,
): Promise<{ requestId: number; holdId: number; readId: string; approvedBy: string }> {
  const readId = `${DEMO_EDGE_ID}/${edgeReadId}`;
  const asked = await investigator.post('/api/v1/holds', {
    searchId,
    readIds: [readId],
    reason: 'Demo: vehicle seen near a (fictional) reported robbery; keep the read as evidence',
  });
  if (asked.status !== 201)
    throw new Error(`hold request refused (${asked.status}): ${String(asked.body.message)}`);
  const supervisor = await signIn(hub.runtime.url, hub.accounts.supervisor);
  const approved = await supervisor.post(`/api/v1/holds/${Number(asked.body.id)}/approval`, {});
  if (approved.status !== 200 || typeof approved.body.holdId !== 'number') {
    throw new Error(`hold approval refused (${approved.status}): ${String(approved.body.message)}`);
  }
  return {
    requestId: Number(asked.body.id),
    holdId: approved.body.holdId,
    readId,
    approvedBy: hub.accounts.supervisor.username,
  };
}

export interface HubPurgeOutcome {
  cutoff: string;
  readsDropped: number;
  heldKept: number;
  retentionMet: boolean;
  /** the held read's plate where the hub still has it (day partition or evidence), else null */
  heldReadSurvives: string | null;
  readsLeft: number;
}

/** Hub retention with a clock `days` ahead (the same service `alpr hub retention run` runs). */
export async function purgeAtHub(
  hub: DemoHub,
  logger: Logger,
  now: number,
  edgeReadId: number,
): Promise<HubPurgeOutcome> {
  const { context: ctx } = hub.runtime;
  const clock = manualClock(now + 31 * DAY_MS);
  const service = new HubRetentionService({
    db: ctx.db,
    audit: ctx.audit,
    clock,
    logger,
    retentionDays: ctx.config.retention.days,
    partitionsAheadDays: ctx.config.hub.retention.partitionsAheadDays,
    leaseMs: ctx.config.hub.retention.leaseSeconds * 1000,
    lockTimeoutMs: ctx.config.hub.retention.lockTimeoutMs,
    afterReceipt: async () => {
      await anchorHubHead({ ...ctx, clock }, 'retention receipt');
    },
  });
  // The hub's own schedule runs retention at start; its lease is short, so wait for it to finish.
  for (let attempt = 0; ; attempt++) {
    const outcome = await service.run(`demo:${now}:${attempt}`, 'cli');
    if (outcome.kind === 'completed') {
      const r = outcome.receipt;
      const found = await ctx.db.query<{ plate: string }>(
        `SELECT plate FROM reads WHERE edge_id = $1 AND edge_read_id = $2
          UNION ALL SELECT plate FROM evidence_reads WHERE edge_id = $1 AND edge_read_id = $2`,
        [DEMO_EDGE_ID, edgeReadId],
      );
      const left = await ctx.db.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM reads)::int + (SELECT count(*) FROM evidence_reads)::int AS n`,
      );
      return {
        cutoff: r.cutoff,
        readsDropped: r.rowsDropped + r.rowsTrimmed,
        heldKept: r.heldKept,
        retentionMet: r.retentionMet,
        heldReadSurvives: found[0]?.plate ?? null,
        readsLeft: Number(left[0]?.n ?? 0),
      };
    }
    if (attempt >= 50) throw new Error(`hub retention stayed busy (${outcome.holder.owner})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface ReportOutcome {
  result: 'PASSED' | 'FAILED';
  failures: string[];
  period: { from: string; to: string };
  jsonFile: string;
  pdfFile: string;
  verified: boolean;
  verifyReason: string | null;
}

/**
 * The quarterly report over the demo's period (the demo day to the day of the purges 31 days later),
 * written as of that later day, then checked against its detached signature as `alpr hub report verify`.
 */
export async function reportAtHub(
  hub: DemoHub,
  logger: Logger,
  now: number,
  dir: string,
): Promise<ReportOutcome> {
  const { context: ctx } = hub.runtime;
  const later = now + 31 * DAY_MS;
  const from = Math.floor(now / DAY_MS) * DAY_MS;
  const to = Math.floor(later / DAY_MS) * DAY_MS + DAY_MS;
  const written = await writeQuarterlyReport(
    { ...ctx, logger, clock: manualClock(later + 60_000) },
    { from, to, outDir: path.join(dir, 'reports'), actor: 'demo' },
  );
  const check = verifyReport(
    readFileSync(written.jsonFile),
    JSON.parse(readFileSync(`${written.jsonFile}.sig`, 'utf8')),
    ctx.keys.signing.publicKey,
  );
  return {
    result: written.report.result,
    failures: written.report.failures,
    period: written.report.period,
    jsonFile: written.jsonFile,
    pdfFile: written.pdfFile,
    verified: check.ok,
    verifyReason: check.ok ? null : check.reason,
  };
}

/** The public transparency portal as anyone sees it (GET /transparency), saved to `<dir>/transparency.html`. */
export async function savePortal(
  hub: DemoHub,
  dir: string,
): Promise<{ file: string; status: number; bytes: number }> {
  const response = await fetch(`${hub.runtime.url}/transparency`);
  const html = await response.text();
  const file = path.join(dir, 'transparency.html');
  writeFileSync(file, html);
  return { file, status: response.status, bytes: Buffer.byteLength(html) };
}

/** Reads the hub holds from the demo edge. */
export async function forwardedReads(hub: DemoHub): Promise<number> {
  const rows = await hub.runtime.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM reads WHERE edge_id = $1',
    [DEMO_EDGE_ID],
  );
  return Number(rows[0]?.n ?? 0);
}
