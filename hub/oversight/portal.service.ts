// Gathers the transparency portal's live facts (TP-01) on every request: nothing is cached or entered by
// hand, so adding or revoking an agency shows on the next refresh (TP-03). Tables other features own
// are read as their migrations define them: effective access from the sharing ACL backed by its grants
// (030), hotlist sources and hits from 050. A figure that cannot be computed reaches buildPortal as
// non-finite and is published as "unavailable" (TP-02).

import {
  categoryOf,
  OversightKind as K,
  originOf,
  SEARCH_KINDS,
} from '../../shared/oversight/audit-entries.js';
import { buildPortal, type PortalFacts, type PortalModel } from '../../shared/oversight/portal.js';
import { DAY_MS } from '../../shared/runtime/clock.js';
import { HUB_CHAIN, hubAnchorFile, lastAnchorOf } from '../audit/hub-anchor.js';
import type { HubSql } from '../db/hub-db.js';
import type { HubContext } from '../hub-context.js';
import { lastReport } from './report.service.js';
import { auditEntries, cameraRows, homeOri } from './report-data.js';

export type PortalContext = Pick<HubContext, 'db' | 'config' | 'clock' | 'logger'>;

interface AgencyRow {
  id: number;
  name: string;
  agency_type: string;
  is_home: boolean;
}

/**
 * Agencies with access (TP-01, TP-03): the home agency, agencies whose own enrolled edges report here, and
 * every grantee of an effective share, that is a row of the sharing ACL searches apply (agency_shares,
 * migration 030) still backed by its approved, unended, unexpired grant of the same pair whose case is
 * not closed. The same test hub/sharing/grants.repository.ts searchableAgencyIdsFor applies, in SQL.
 */
async function agenciesWithAccess(sql: HubSql, now: number): Promise<PortalFacts['agencies']> {
  const rows = await sql.query<AgencyRow>(
    `SELECT a.id, a.name, a.agency_type, a.is_home FROM agencies a
      WHERE a.is_home
         OR EXISTS (SELECT 1 FROM edges d WHERE d.agency_id = a.id AND d.disabled_at IS NULL)
         OR EXISTS (SELECT 1 FROM agency_shares s JOIN access_grants g ON g.id = s.grant_id
                     WHERE s.grantee_agency_id = a.id AND g.owner_agency_id = s.owner_agency_id
                       AND g.grantee_agency_id = s.grantee_agency_id AND g.approved_at IS NOT NULL
                       AND g.approved_at <= $1 AND g.ended_at IS NULL AND g.expires_at > $1
                       AND s.expires_at > $1 AND s.expires_at <= g.expires_at
                       AND (g.case_closed_at IS NULL OR g.case_closed_at > $1)
                       AND a.state = 'CA' AND a.agency_type IN ('local_le', 'state_le'))
      ORDER BY a.id`,
    [new Date(now)],
  );
  return rows.map((a) => ({ name: a.name, type: a.agency_type, home: a.is_home }));
}

/** The sources of the hotlists imported (hotlists, migration 050), else the configured allowlist. */
async function hotlistSources(
  sql: HubSql,
  allowlist: readonly string[],
): Promise<{ list: string[]; basis: PortalFacts['hotlistBasis'] }> {
  const rows = await sql.query<{ source: string }>('SELECT DISTINCT source FROM hotlists ORDER BY source');
  if (rows.length > 0) return { list: rows.map((r) => r.source), basis: 'hotlists' };
  return { list: [...allowlist], basis: 'allowlist' };
}

/** Hits created since `since`, by state (counts only: the portal never sees a plate). */
async function hitCounts(
  sql: HubSql,
  since: number,
): Promise<{ all: number; confirmed: number; unverified: number }> {
  const rows = await sql.query<{ all: number; confirmed: number; unverified: number }>(
    `SELECT count(*)::int AS all,
            (count(*) FILTER (WHERE state = 'confirmed'))::int AS confirmed,
            (count(*) FILTER (WHERE state = 'unverified'))::int AS unverified
       FROM hits WHERE created_at >= $1`,
    [new Date(since)],
  );
  return rows[0] ?? { all: 0, confirmed: 0, unverified: 0 };
}

/** Every figure, live. A query that fails turns its figure into NaN, which the portal shows as unavailable. */
export async function portalFacts(ctx: PortalContext): Promise<PortalFacts> {
  const now = ctx.clock();
  const since = now - 30 * DAY_MS;
  const failed = (what: string) => (error: unknown) => {
    ctx.logger.error({ err: error, figure: what }, 'transparency figure could not be computed');
    return undefined;
  };
  const [cameras, counts, recent, agencies, hotlists, hits, report, ori, edgeHeads] = await Promise.all([
    cameraRows(ctx.db).catch(failed('cameras')),
    ctx.db
      .query<{ stored: number; recent: number }>(
        `SELECT (SELECT count(*) FROM reads) + (SELECT count(*) FROM evidence_reads) AS stored,
                (SELECT count(*) FROM reads WHERE captured_at >= $1) AS recent`,
        [new Date(since)],
      )
      .then((r) => r[0])
      .catch(failed('reads')),
    auditEntries(ctx.db, {
      after: since,
      kinds: [...SEARCH_KINDS, 'ingest.reads_refused'],
    }).catch(failed('audit')),
    agenciesWithAccess(ctx.db, now).catch(failed('agencies')),
    hotlistSources(ctx.db, ctx.config.access.hotlist.sources).catch(failed('hotlists')),
    hitCounts(ctx.db, since).catch(failed('hits')),
    lastReport(ctx.db).catch(failed('report')),
    homeOri(ctx.db).catch(failed('home agency')),
    ctx.db
      .query<{ edge_id: string; seq: number; hash: string; at: number; key_id: string }>(
        `SELECT DISTINCT ON (edge_id) edge_id, seq, hash, at, key_id FROM edge_audit_heads ORDER BY edge_id, seq DESC`,
      )
      .catch(failed('edge heads')),
  ]);
  const searches = recent?.filter((e) => SEARCH_KINDS.includes(e.kind));
  const blocked: Record<string, number> = {};
  for (const e of searches ?? [])
    if (e.kind === K.searchBlocked) blocked[categoryOf(e)] = (blocked[categoryOf(e)] ?? 0) + 1;
  let refused = 0;
  for (const e of recent ?? []) {
    if (e.kind !== 'ingest.reads_refused') continue;
    const by = (e.payload.byReason ?? {}) as Record<string, unknown>;
    refused += Number(by.no_compliant_verdict ?? 0) + Number(by.stale_verdict ?? 0);
  }
  const hubHead = (() => {
    try {
      return lastAnchorOf(hubAnchorFile(ctx.config), HUB_CHAIN);
    } catch (error) {
      failed('hub anchor')(error);
      return undefined;
    }
  })();
  const nan = Number.NaN;
  return {
    retentionDays: ctx.config.retention.days,
    camerasActive: cameras ? cameras.length : nan,
    camerasCompliant: cameras ? cameras.filter((c) => c.compliant === true).length : nan,
    readsRefusedSensitive: recent ? refused : nan,
    agencies: agencies ?? [],
    agenciesBasis: 'grants',
    hotlistSources: hotlists?.list ?? [],
    hotlistBasis: hotlists?.basis ?? 'allowlist',
    readsStored: counts ? counts.stored : nan,
    readsLast30Days: counts ? counts.recent : nan,
    hitsLast30Days: hits ? hits.all : nan,
    hitsConfirmed30d: hits ? hits.confirmed : nan,
    hitsUnverified30d: hits ? hits.unverified : nan,
    searchesInternal30d: searches ? searches.filter((e) => originOf(e, ori) === 'internal').length : nan,
    searchesExternal30d: searches ? searches.filter((e) => originOf(e, ori) === 'external').length : nan,
    blockedByCategory: recent ? blocked : { all: nan },
    lastAudit: report
      ? { date: new Date(report.generatedAt).toISOString().slice(0, 10), result: report.result }
      : null,
    heads: [
      ...(hubHead ? [hubHead] : []),
      ...(edgeHeads ?? []).map((h) => ({
        chain: h.edge_id,
        seq: h.seq,
        hash: h.hash,
        at: h.at,
        keyId: h.key_id,
      })),
    ],
    updatedAt: now,
  };
}

/** The portal model, with one error log per figure that failed validation (the alert, TP-02). */
export async function portalModel(
  ctx: PortalContext,
  onAlert?: (figure: string) => void,
): Promise<PortalModel> {
  const { model, alerts } = buildPortal(await portalFacts(ctx));
  for (const figure of alerts) {
    ctx.logger.error({ figure }, 'transparency portal figure unavailable (not a non-negative integer)');
    onAlert?.(figure);
  }
  return model;
}
