// Writes one quarterly compliance report: anchor the hub head, gather the period's facts, verify every
// audit chain against its anchored heads, build the report (shared/oversight), write it as JSON and PDF
// with detached Ed25519 signatures, and record it in one transaction: the report row, its hashes in the
// audit chain (report.written), and when it FAILED an incident and a compliance alert (CMP-03).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AccessAuditKind, accessPayload } from '../../shared/audit/access-audit.js';
import { type ReportSignature, signReport } from '../../shared/crypto/report-signature.js';
import {
  buildQuarterlyReport,
  type ChainCheck,
  type QuarterlyReport,
} from '../../shared/oversight/quarterly-report.js';
import { storageCost } from '../../shared/oversight/storage-cost.js';
import { anchorHubHead, hubAnchorFile } from '../audit/hub-anchor.js';
import { verifyHubAudit } from '../audit/hub-audit-verify.js';
import type { HubContext } from '../hub-context.js';
import { renderReportCharts } from './report-charts.js';
import {
  auditEntries,
  cameraRows,
  edgeReceipts,
  hitRows,
  holdRows,
  homeOri,
  hubRetentionRuns,
  oldestUnheldAtHub,
  storageFacts,
} from './report-data.js';
import { renderReportPdf } from './report-pdf.js';

export type ReportContext = Pick<HubContext, 'db' | 'audit' | 'keys' | 'config' | 'clock' | 'logger'>;

export interface WrittenReport {
  id: number;
  report: QuarterlyReport;
  jsonFile: string;
  pdfFile: string;
  jsonSignature: ReportSignature;
  pdfSignature: ReportSignature;
  auditSeq: number;
  incidentId: number | null;
}

/** Where reports go unless a directory is given: <hub.dataDir>/reports. */
export function defaultReportDir(config: HubContext['config']): string {
  return path.join(config.hub.dataDir, 'reports');
}

/** Storage price for the estimate (USD per GB-month of database storage). */
const USD_PER_GB_MONTH = 0.115;

async function chainChecks(ctx: ReportContext): Promise<ChainCheck[]> {
  const verdict = await verifyHubAudit(ctx.db, ctx.audit, {
    anchorFile: hubAnchorFile(ctx.config),
    signing: ctx.keys.signing,
  });
  const checks: ChainCheck[] = [
    {
      chain: 'hub',
      ok: verdict.chain.ok && verdict.anchors.ok,
      rows: verdict.chain.rows,
      headsChecked: verdict.anchors.checked,
      latestSeq: verdict.anchors.ok ? (verdict.anchors.latest?.seq ?? null) : null,
      reason: !verdict.chain.ok
        ? `row ${verdict.chain.badSeq}: ${verdict.chain.reason}`
        : verdict.anchors.ok
          ? verdict.anchors.checked === 0
            ? 'no anchored head to compare with'
            : null
          : verdict.anchors.reason,
    },
  ];
  // An empty chain has nothing to anchor; a chain with rows but no anchored head cannot be checked (fail closed).
  if (verdict.chain.ok && verdict.chain.rows === 0) checks[0]!.reason = 'the chain is empty';
  else if (checks[0]!.ok && verdict.anchors.checked === 0) checks[0]!.ok = false;
  const edges = await ctx.db.query<{ id: string }>(
    'SELECT id FROM edges WHERE disabled_at IS NULL ORDER BY id',
  );
  for (const { id } of edges) {
    const e = verdict.edges.find((v) => v.edgeId === id);
    checks.push(
      e
        ? {
            chain: id,
            ok: e.ok,
            rows: null,
            headsChecked: e.heads,
            latestSeq: e.latest?.seq ?? null,
            reason: e.reason ?? null,
          }
        : {
            chain: id,
            ok: false,
            rows: null,
            headsChecked: 0,
            latestSeq: null,
            reason: 'no signed head received from this edge',
          },
    );
  }
  return checks;
}

/** Gather and build (no files, no writes): what `quarterly` writes and the tests inspect. */
export async function buildReport(
  ctx: ReportContext,
  period: { from: number; to: number },
): Promise<QuarterlyReport> {
  const now = ctx.clock();
  const { from, to } = period;
  const { config } = ctx;
  const retentionDays = config.retention.days;
  const [entries, holds, cameras, runs, oldest, edges, facts, ori, chains, hits] = await Promise.all([
    auditEntries(ctx.db, { before: to }),
    holdRows(ctx.db),
    cameraRows(ctx.db),
    hubRetentionRuns(ctx.db, from, to),
    oldestUnheldAtHub(ctx.db),
    edgeReceipts(ctx.db, from, to),
    storageFacts(ctx.db, now, 30),
    homeOri(ctx.db),
    chainChecks(ctx),
    hitRows(ctx.db, to),
  ]);
  return buildQuarterlyReport({
    now,
    from,
    to,
    retentionDays,
    homeOri: ori,
    caseNumberPattern: new RegExp(config.access.caseNumberPattern),
    accountRules: {
      inactiveDays: config.access.account.inactiveDisableDays,
      trainingValidDays: config.access.account.trainingValidDays,
    },
    entries,
    holds,
    cameras,
    retention: { hub: { oldestUnheldCapturedAt: oldest, runs }, edges },
    chains,
    storage: storageCost({ ...facts, windowDays: 30, retentionDays, usdPerGbMonth: USD_PER_GB_MONTH }),
    hits,
    unverifiedReportHours: config.access.hotlist.unverifiedReportHours,
  });
}

/**
 * Write the report of [from, to) into `outDir` and record it. `actor` is who asked (a CLI user, the job).
 * @example await writeQuarterlyReport(ctx, { from, to, outDir, actor: 'cli:ops' })
 */
export async function writeQuarterlyReport(
  ctx: ReportContext,
  options: { from: number; to: number; outDir?: string; actor: string },
): Promise<WrittenReport> {
  if (!(options.to > options.from)) throw new RangeError('the report period must end after it starts');
  // Pin the chain as it is, so the report's own verification has a fresh anchored head to compare with.
  await anchorHubHead(ctx, 'quarterly report');
  const report = await buildReport(ctx, options);
  const outDir = path.resolve(options.outDir ?? defaultReportDir(ctx.config));
  mkdirSync(outDir, { recursive: true });
  const stamp = report.generatedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const base = `quarterly-${report.period.from.slice(0, 10)}-${report.period.to.slice(0, 10)}-${stamp}`;
  const jsonBytes = Buffer.from(`${JSON.stringify(report, null, 2)}\n`);
  const pdfBytes = await renderReportPdf(report, await renderReportCharts(report));
  const now = ctx.clock();
  const jsonFile = path.join(outDir, `${base}.json`);
  const pdfFile = path.join(outDir, `${base}.pdf`);
  const jsonSignature = signReport(jsonBytes, path.basename(jsonFile), ctx.keys.signing.privateKey, now);
  const pdfSignature = signReport(pdfBytes, path.basename(pdfFile), ctx.keys.signing.privateKey, now);
  writeFileSync(jsonFile, jsonBytes, { mode: 0o640 });
  writeFileSync(`${jsonFile}.sig`, `${JSON.stringify(jsonSignature, null, 2)}\n`);
  writeFileSync(pdfFile, pdfBytes, { mode: 0o640 });
  writeFileSync(`${pdfFile}.sig`, `${JSON.stringify(pdfSignature, null, 2)}\n`);

  const recorded = await ctx.db.transaction(async (tx) => {
    const [row] = await ctx.audit.append(
      tx,
      {
        kind: AccessAuditKind.reportWritten,
        actor: options.actor,
        payload: {
          ...accessPayload({
            user: options.actor,
            outcome: report.result === 'PASSED' ? 'ok' : 'failed',
            detail: {
              period: report.period,
              result: report.result,
              jsonFile: path.basename(jsonFile),
              jsonSha256: jsonSignature.sha256,
              pdfFile: path.basename(pdfFile),
              pdfSha256: pdfSignature.sha256,
              keyId: jsonSignature.keyId,
              failures: report.failures,
            },
          }),
        },
      },
      now,
    );
    const summary = {
      failures: report.failures,
      violations: report.retention.violations.length,
      maxUnheldAgeMs: report.retention.maxUnheldAgeMs,
    };
    const [inserted] = await tx.query<{ id: number }>(
      `INSERT INTO oversight_reports (period_from, period_to, generated_at, result, json_sha256, pdf_sha256,
                                      json_path, pdf_path, key_id, audit_seq, summary)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb) RETURNING id`,
      [
        new Date(options.from),
        new Date(options.to),
        new Date(now),
        report.result,
        jsonSignature.sha256,
        pdfSignature.sha256,
        jsonFile,
        pdfFile,
        jsonSignature.keyId,
        row!.seq,
        JSON.stringify(summary),
      ],
    );
    let incidentId: number | null = null;
    if (report.result === 'FAILED') {
      const [incident] = await tx.query<{ id: number }>(
        `INSERT INTO oversight_incidents (kind, opened_at, report_id, detail) VALUES ('report_failed', $1, $2, $3::jsonb) RETURNING id`,
        [
          new Date(now),
          inserted!.id,
          JSON.stringify({ failures: report.failures, violations: report.retention.violations.slice(0, 50) }),
        ],
      );
      incidentId = incident!.id;
      await ctx.audit.append(
        tx,
        {
          kind: AccessAuditKind.complianceAlert,
          actor: options.actor,
          payload: {
            ...accessPayload({
              user: options.actor,
              outcome: 'failed',
              category: 'report_failed',
              detail: { reportId: inserted!.id, incidentId, failures: report.failures },
            }),
          },
        },
        now,
      );
    }
    return { id: inserted!.id, auditSeq: row!.seq, incidentId };
  });
  await anchorHubHead(ctx, 'quarterly report written');
  if (report.result === 'FAILED') {
    ctx.logger.error(
      { reportId: recorded.id, failures: report.failures },
      'quarterly report FAILED; incident opened',
    );
  } else ctx.logger.info({ reportId: recorded.id, jsonFile, pdfFile }, 'quarterly report written');
  return { ...recorded, report, jsonFile, pdfFile, jsonSignature, pdfSignature };
}

/** The last written report (for the portal): its period end, result, when. */
export async function lastReport(
  sql: HubContext['db'],
): Promise<{ id: number; periodTo: number; generatedAt: number; result: string } | undefined> {
  const rows = await sql.query<{ id: number; period_to: Date; generated_at: Date; result: string }>(
    'SELECT id, period_to, generated_at, result FROM oversight_reports ORDER BY generated_at DESC, id DESC LIMIT 1',
  );
  const r = rows[0];
  return (
    r && {
      id: r.id,
      periodTo: r.period_to.getTime(),
      generatedAt: r.generated_at.getTime(),
      result: r.result,
    }
  );
}
