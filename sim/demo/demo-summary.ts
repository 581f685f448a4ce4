// What the demo shows, as data (for --json and the e2e test) and as a short text a person can read.
import path from 'node:path';
import type { PurgeReceipt } from '../../shared/policy/purge-plan.js';
import type { ReadRecord } from '../../shared/store/reads.repository.js';
import type { VerdictRecord } from '../../shared/store/verdicts.repository.js';
import type { HubPurgeOutcome, HubSearchOutcome, ReportOutcome } from './demo-hub-steps.js';
import { DEMO_CAMERAS, DEMO_VEHICLES } from './demo-scenario.js';

export interface Violation {
  siteId: string;
  category: string;
  distanceM: number;
  overlapM2: number;
}

/** @example describeViolation({ siteId: 's1', category: 'religious_observance', distanceM: 0, overlapM2: 410 }) */
export function describeViolation(v: Violation): string {
  const where =
    v.distanceM === 0
      ? `inside the view (${Math.round(v.overlapM2)} m² overlap)`
      : `${v.distanceM.toFixed(1)} m from the view`;
  return `${v.siteId} (${v.category.replace('_', ' ')}) ${where}`;
}

export interface DemoSummary {
  dir: string;
  configFile: string;
  dbFile: string;
  cameraSource: 'rtsp' | 'file';
  /** Plates in the synthetic clip. */
  clipPlates: string[];
  cameras: Array<{
    id: string;
    label: string;
    compliant: boolean;
    verdictId: number | null;
    violations: Violation[];
    storedPlates: string[];
    refusedReads: number;
  }>;
  hold: { id: number; readId: number; plate: string } | null;
  purge: { cutoff: string; rowsDeleted: number; heldSkipped: number };
  remainingAfterPurge: Array<{ id: number; plate: string; cameraId: string }>;
  audit: { ok: boolean; rows: number; anchors?: { checked: number } };
  hub: DemoHubSummary;
  seconds: number;
}

/** What happened at the hub (null parts: no read was stored, so there was nothing to search or hold). */
export interface DemoHubSummary {
  url: string;
  configFile: string;
  /** reads of the demo edge the hub holds after the edge stopped */
  forwarded: number;
  search: (HubSearchOutcome & { plate: string }) | null;
  hold: { requestId: number; holdId: number; readId: string; approvedBy: string } | null;
  purge: HubPurgeOutcome | null;
  report: ReportOutcome;
  portal: { file: string; status: number; bytes: number };
}

export function summarise(input: {
  dir: string;
  configFile: string;
  dbFile: string;
  cameraSource: 'rtsp' | 'file';
  planner: Array<{ cameraId: string; compliant: boolean }>;
  stored: ReadRecord[];
  refused: Map<string, number>;
  verdicts: Array<VerdictRecord | undefined>;
  hold: { id: number; readId: number; plate: string } | undefined;
  receipt: PurgeReceipt;
  remaining: ReadRecord[];
  audit: { ok: boolean; rows: number; anchors?: { checked: number } };
  hub: Omit<DemoHubSummary, 'search' | 'hold' | 'purge'> & {
    search: HubSearchOutcome | undefined;
    hold: DemoHubSummary['hold'] | undefined;
    purge: HubPurgeOutcome | undefined;
  };
  seconds: number;
}): DemoSummary {
  return {
    dir: input.dir,
    configFile: input.configFile,
    dbFile: input.dbFile,
    cameraSource: input.cameraSource,
    clipPlates: DEMO_VEHICLES.map((v) => v.plate),
    cameras: DEMO_CAMERAS.map((c, i) => {
      const verdict = input.verdicts[i];
      return {
        id: c.id,
        label: c.label,
        compliant: verdict?.compliant ?? false,
        verdictId: verdict?.id ?? null,
        violations: (verdict?.violations ?? []).map((v) => ({
          siteId: v.siteId,
          category: v.category,
          distanceM: v.distanceM,
          overlapM2: v.overlapM2,
        })),
        storedPlates: input.stored
          .filter((r) => r.cameraId === c.id)
          .sort((a, b) => a.capturedAt - b.capturedAt)
          .map((r) => r.plate),
        refusedReads: input.refused.get(c.id) ?? 0,
      };
    }),
    hold: input.hold ?? null,
    purge: {
      cutoff: input.receipt.cutoff,
      rowsDeleted: input.receipt.rowsDeleted,
      heldSkipped: input.receipt.heldSkipped,
    },
    remainingAfterPurge: input.remaining.map((r) => ({ id: r.id, plate: r.plate, cameraId: r.cameraId })),
    audit: input.audit,
    hub: {
      ...input.hub,
      search: input.hub.search && input.hold ? { ...input.hub.search, plate: input.hold.plate } : null,
      hold: input.hub.hold ?? null,
      purge: input.hub.purge ?? null,
    },
    seconds: Math.round(input.seconds * 10) / 10,
  };
}

/** The summary as a few lines of text, ending with what to run next. */
export function summaryLines(s: DemoSummary): string[] {
  const rel = (p: string) => path.relative(process.cwd(), p) || '.';
  const lines = ['', `Demo finished in ${s.seconds} s. Plates in the clip: ${s.clipPlates.join(', ')}`, ''];
  for (const c of s.cameras) {
    lines.push(`  ${c.id} — ${c.label}`);
    if (c.compliant) {
      lines.push(`    stored ${c.storedPlates.length} read(s): ${c.storedPlates.join(', ') || '(none)'}`);
    } else {
      const why = c.violations.map(describeViolation).join('; ');
      lines.push(`    refused ${c.refusedReads} read(s) before storage: ${why || 'no compliant verdict'}`);
      lines.push(`    stored ${c.storedPlates.length} read(s)`);
    }
  }
  lines.push('');
  lines.push(
    s.hold
      ? `  hold ${s.hold.id} (case DEMO-2026-0001) keeps read ${s.hold.readId} (${s.hold.plate})`
      : '  no read was stored, so no hold was placed',
  );
  lines.push(
    `  purge 31 days later: ${s.purge.rowsDeleted} read(s) deleted, ${s.purge.heldSkipped} kept under hold; ` +
      `left: ${s.remainingAfterPurge.map((r) => `${r.plate} (read ${r.id})`).join(', ') || 'nothing'}`,
  );
  lines.push(
    `  audit chain: ${s.audit.ok ? 'intact' : 'BROKEN'}, ${s.audit.rows} event(s); ` +
      `${s.audit.anchors?.checked ?? 0} signed head(s) in the anchor file agree with it`,
  );
  lines.push(...hubLines(s.hub, rel));
  lines.push('');
  lines.push(`  database: ${rel(s.dbFile)}   config: ${rel(s.configFile)}`);
  lines.push('  next:');
  lines.push(`    npx alpr audit list -c ${rel(s.configFile)}              # verdicts, holds, purge receipt`);
  lines.push(
    `    npx alpr site check -c ${rel(s.configFile)} --lng ${DEMO_CAMERAS[1]!.lng} --lat ${DEMO_CAMERAS[1]!.lat} --bearing 90 --fov 40 --range 35 --suggest --map oak-ave.png`,
  );
  lines.push(`    npx alpr hold list -c ${rel(s.configFile)}`);
  lines.push(
    `    npx alpr audit key -c ${rel(s.configFile)}                # the public key auditors verify with`,
  );
  lines.push(`    npx alpr hub report verify ${rel(s.hub.report.jsonFile)} -c ${rel(s.hub.configFile)}`);
  lines.push(
    '    npm run demo -- --serve                   # keep the hub running and click through its pages',
  );
  lines.push('    README.md, "Operations": run it on real cameras');
  return lines;
}

function hubLines(h: DemoHubSummary, rel: (p: string) => string): string[] {
  const lines = ['', `  hub: ${h.forwarded} read(s) forwarded from the edge`];
  if (h.search) {
    lines.push(
      `    lawful search for ${h.search.plate}: ${h.search.found ? 'found' : 'NOT found'} (${h.search.readsFound} read(s)); ` +
        `immigration purpose: ${h.search.blocked.status === 422 ? 'blocked' : 'NOT blocked'} (${h.search.blocked.status} ${h.search.blocked.error}, ${h.search.blocked.category})`,
    );
  }
  if (h.hold) {
    lines.push(
      `    hold ${h.hold.holdId} on ${h.hold.readId}, asked for by the investigator, approved by ${h.hold.approvedBy}`,
    );
  }
  if (h.purge) {
    lines.push(
      `    hub retention 31 days later: ${h.purge.readsDropped} read(s) dropped, ${h.purge.heldKept} kept under hold; ` +
        `held read ${h.purge.heldReadSurvives ? 'survives' : 'GONE'}; retention ${h.purge.retentionMet ? 'met' : 'NOT met'}`,
    );
  }
  const r = h.report;
  lines.push(
    `    report ${r.period.from.slice(0, 10)} .. ${r.period.to.slice(0, 10)}: ${r.result}, signature ${r.verified ? 'verified' : 'NOT verified'}: ${rel(r.pdfFile)}`,
  );
  for (const f of r.failures) lines.push(`      ${f}`);
  lines.push(`    transparency portal: ${rel(h.portal.file)}`);
  return lines;
}
