// The quarterly report as a PDF for people (pdfkit): the result first, in words and colour, then the
// charts, then every section as short tables. Built from the same object as the JSON, so the two cannot
// disagree; the creation date is the report's own time, so the same report renders the same bytes.
import PDFDocument from 'pdfkit';
import type { QuarterlyReport } from '../../shared/oversight/quarterly-report.js';
import type { ReportCharts } from './report-charts.js';

const hours = (ms: number | null) => (ms === null ? 'none' : `${(ms / 3_600_000).toFixed(1)} h`);
const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(1)} %`);
const mb = (b: number | null) => (b === null ? 'unavailable' : `${(b / 1e6).toFixed(2)} MB`);

export function renderReportPdf(report: QuarterlyReport, charts: ReportCharts): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: 50,
    info: {
      Title: `ALPR quarterly compliance report ${report.period.from.slice(0, 10)} to ${report.period.to.slice(0, 10)}`,
      Author: 'alpr hub',
      CreationDate: new Date(report.generatedAt),
      ModDate: new Date(report.generatedAt),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const h1 = (t: string) => doc.moveDown(0.6).font('Helvetica-Bold').fontSize(15).fillColor('#000').text(t);
  const line = (t: string) => doc.font('Helvetica').fontSize(10).fillColor('#000').text(t);
  // One run per line: pdfkit's continued text mis-measures across a font change and overprints.
  const kv = (k: string, v: string | number) => line(`${k}: ${v}`);

  doc.font('Helvetica-Bold').fontSize(20).text('ALPR quarterly compliance report');
  doc
    .font('Helvetica')
    .fontSize(11)
    .text(
      `Period ${report.period.from.slice(0, 10)} to ${report.period.to.slice(0, 10)} (exclusive); generated ${report.generatedAt}`,
    );
  doc.moveDown(0.5);
  const failed = report.result === 'FAILED';
  doc
    .font('Helvetica-Bold')
    .fontSize(28)
    .fillColor(failed ? '#a33b3b' : '#2d6a2f')
    .text(report.result);
  doc.fillColor('#000');
  for (const f of report.failures) line(`- ${f}`);
  for (const v of report.retention.violations.slice(0, 8)) line(`  * ${v.message}`);

  h1('Summary');
  const { internal, external } = report.access;
  kv(
    'Searches, internal',
    `${internal.attempts} attempts, ${internal.allowed} allowed, ${internal.refused} refused, ${internal.blocked} blocked`,
  );
  kv(
    'Searches, external',
    `${external.attempts} attempts, ${external.allowed} allowed, ${external.refused} refused, ${external.blocked} blocked`,
  );
  kv(
    'Valid case number (allowed searches)',
    `internal ${pct(internal.validCaseNumberShare)}, external ${pct(external.validCaseNumberShare)}`,
  );
  kv('Partial-plate searches', internal.partialPlate + external.partialPlate);
  kv(
    'Oldest unheld read (max seen)',
    `${hours(report.retention.maxUnheldAgeMs)} (limit ${hours(report.retention.limitMs)})`,
  );
  kv(
    'Holds',
    `${report.holds.opened} opened, ${report.holds.released} released, ${report.holds.outstanding} outstanding, ${report.holds.overdueForReview} overdue for review`,
  );
  kv(
    'Cameras',
    `${report.cameras.total}: ${report.cameras.compliant} compliant, ${report.cameras.nonCompliant} not, ${report.cameras.withoutVerdict} without verdict`,
  );
  kv(
    'Audit chains',
    report.chains.map((c) => `${c.chain} ${c.ok ? 'verified' : 'FAILED'}`).join(', ') || 'none',
  );
  doc.moveDown(0.5);
  doc.image(charts.oldestUnheld, { width: 500 });

  doc.addPage();
  h1('Charts');
  doc.image(charts.searchesPerWeek, { width: 500 });
  doc.moveDown(0.5);
  doc.image(charts.blockedByCategory, { width: 500 });

  doc.addPage();
  for (const [name, s] of [
    ['Internal access', internal],
    ['External access', external],
  ] as const) {
    h1(name);
    for (const g of s.byAgencyRole.slice(0, 15))
      line(`${g.agency} / ${g.role}: ${g.attempts} attempts, ${g.allowed} allowed`);
    line(`Refused by code: ${JSON.stringify(s.refusedByCode)}`);
    line(`Blocked by category: ${JSON.stringify(s.blockedByCategory)}`);
    line('Generic-justification rate by user:');
    for (const r of s.genericRates.byUser.slice(0, 10))
      line(`  ${r.key}: ${r.generic}/${r.attempts} (${pct(r.rate)})`);
    line('Generic-justification rate by agency:');
    for (const r of s.genericRates.byAgency.slice(0, 10))
      line(`  ${r.key}: ${r.generic}/${r.attempts} (${pct(r.rate)})`);
  }
  h1('Inquiries, sharing, exports');
  const a = report.access;
  line(
    `Inquiries: ${a.inquiries.submitted} submitted, ${a.inquiries.approved} approved, ${a.inquiries.denied} denied, ${a.inquiries.refused} refused`,
  );
  line(
    `Sharing changes: ${a.sharing.changes} (${a.sharing.refused} refused); drift incidents: ${a.sharing.drift}; compliance alerts: ${a.complianceAlerts}`,
  );
  line(
    `Exports: ${a.exports.requested} requested, ${a.exports.approved} approved, ${a.exports.denied} denied, ${a.exports.downloaded} downloaded, ${a.exports.refused} refused`,
  );
  const h = report.hotlistHits;
  h1('Hotlist hits');
  line(
    `Hits: ${h.created} in the period; ${h.confirmed} confirmed, ${h.rejected} rejected, ${h.unverified} still unverified`,
  );
  line(`Unverified longer than ${h.unverifiedReportHours} hours: ${h.unverifiedOverdue}`);
  line(`Confirmed by disposition: ${JSON.stringify(h.byDisposition)}`);
  line(`Rejected by reason: ${JSON.stringify(h.byRejectionReason)}`);
  h1('Accounts');
  line(`${report.accounts.total} account(s) in the audit chain`);
  line(`Inactive: ${report.accounts.inactive.join(', ') || 'none'}`);
  line(`Without current training: ${report.accounts.withoutCurrentTraining.join(', ') || 'none'}`);

  h1('Retention (CMP-03)');
  line(`Result: ${report.retention.result}; limit ${hours(report.retention.limitMs)}`);
  for (const s of report.retention.sources) {
    line(
      `${s.source}: ${s.receipts} receipt(s), oldest unheld ${hours(s.maxUnheldAgeMs)}, last ${s.lastAt === null ? 'never' : new Date(s.lastAt).toISOString()}`,
    );
  }
  h1('Cameras and compliance verdicts');
  for (const c of report.cameras.rows.slice(0, 40)) {
    line(
      `${c.edgeId}/${c.cameraId}: ${c.compliant === null ? 'no verdict' : c.compliant ? 'compliant' : 'NOT compliant'}${c.registryVersion ? ` (registry ${c.registryVersion})` : ''}`,
    );
  }
  h1('Audit chain verification (AUD-04)');
  for (const c of report.chains) {
    line(
      `${c.chain}: ${c.ok ? 'verified' : 'FAILED'}; ${c.rows ?? '-'} row(s), ${c.headsChecked} anchored head(s) checked${c.reason ? `; ${c.reason}` : ''}`,
    );
  }
  h1('Storage and cost');
  const st = report.storage;
  line(
    `Bytes per read: ${st.bytesPerRead ?? 'unavailable'}; reads per day: ${st.readsPerDay ?? 'unavailable'}`,
  );
  line(
    `${st.retentionDays}-day retention keeps ${mb(st.retainedBytes)}; one year would keep ${mb(st.yearBytes)}; saved ${mb(st.savedBytes)} (${pct(st.savedShare)}), about $${st.savedUsdPerMonth ?? 'n/a'} a month`,
  );
  h1('Sign-off');
  line(
    'Auditor sign-off is recorded in the hub (Reports page or POST /api/v1/oversight/reports/:id/signoff) and appended to the audit chain. This file and its JSON twin are signed (Ed25519, detached .sig files): check with `alpr hub report verify FILE`.',
  );
  doc.end();
  return done;
}
