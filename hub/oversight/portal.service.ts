// Gathers the transparency portal's live facts (TP-01) on every request: nothing is cached or entered by
// hand, so adding or revoking an agency shows on the next refresh (TP-03). Tables other features own
// (access_grants, hotlists) are read only when they exist, and the page says which basis it used. A figure
// that cannot be computed reaches buildPortal as non-finite and is published as "unavailable" (TP-02).

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

async function tableExists(sql: HubSql, name: string): Promise<boolean> {
  const rows = await sql.query<{ ok: boolean }>('SELECT to_regclass($1) IS NOT NULL AS ok', [
    `public.${name}`,
  ]);
  return rows[0]?.ok === true;
}

const pick = (row: Record<string, unknown>, names: string[]): unknown =>
  names.map((n) => row[n]).find((v) => v !== undefined && v !== null);
const timeOf = (v: unknown): number | null => {
  if (v === undefined || v === null) return null;
  const t = typeof v === 'number' ? v : Date.parse(String(v));
  return Number.isFinite(t) ? t : null;
};

interface AgencyRow {
  id: number;
  ori: string;
  name: string;
  agency_type: string;
  is_home: boolean;
}

/** Agencies with access: home + effective grantees (grants table), else home + agencies with enrolled edges. */
async function agenciesWithAccess(
  sql: HubSql,
  now: number,
): Promise<{ list: PortalFacts['agencies']; basis: PortalFacts['agenciesBasis']; ok: boolean }> {
  const agencies = await sql.query<AgencyRow>('SELECT id, ori, name, agency_type, is_home FROM agencies');
  const show = (a: AgencyRow) => ({ name: a.name, type: a.agency_type, home: a.is_home });
  const home = agencies.filter((a) => a.is_home);
  if (await tableExists(sql, 'access_grants')) {
    const rows = (
      await sql.query<{ g: Record<string, unknown> }>('SELECT to_jsonb(g) AS g FROM access_grants g')
    ).map((r) => r.g);
    let ok = true;
    const grantees = new Set<number>();
    for (const g of rows) {
      const grantee = pick(g, [
        'grantee_agency_id',
        'grantee_id',
        'agency_id',
        'grantee_ori',
        'grantee_agency',
        'grantee',
      ]);
      const agency = agencies.find((a) => a.id === Number(grantee) || a.ori === grantee);
      if (!agency) {
        ok = false;
        continue;
      }
      const approved = timeOf(pick(g, ['approved_at']));
      const expires = timeOf(pick(g, ['expires_at']));
      const revoked = timeOf(pick(g, ['revoked_at']));
      const closed = timeOf(pick(g, ['case_closed_at']));
      const status = pick(g, ['status', 'state']);
      const active =
        status !== undefined
          ? status === 'active' && (expires === null || expires > now)
          : approved !== null &&
            approved <= now &&
            expires !== null &&
            expires > now &&
            (revoked === null || revoked > now) &&
            (closed === null || closed > now);
      if (active) grantees.add(agency.id);
    }
    return {
      list: [...home, ...agencies.filter((a) => !a.is_home && grantees.has(a.id))].map(show),
      basis: 'grants',
      ok,
    };
  }
  const enrolled = new Set(
    (
      await sql.query<{ agency_id: number }>('SELECT DISTINCT agency_id FROM edges WHERE disabled_at IS NULL')
    ).map((r) => r.agency_id),
  );
  return {
    list: agencies.filter((a) => a.is_home || enrolled.has(a.id)).map(show),
    basis: 'enrolled',
    ok: true,
  };
}

async function hotlistSources(
  sql: HubSql,
  allowlist: readonly string[],
): Promise<{ list: string[]; basis: PortalFacts['hotlistBasis'] }> {
  if (await tableExists(sql, 'hotlists')) {
    const rows = (
      await sql.query<{ h: Record<string, unknown> }>('SELECT to_jsonb(h) AS h FROM hotlists h')
    ).map((r) => r.h);
    const sources = [
      ...new Set(
        rows.map((h) => pick(h, ['source', 'source_id'])).filter((s): s is string => typeof s === 'string'),
      ),
    ];
    if (sources.length > 0) return { list: sources, basis: 'hotlists' };
  }
  return { list: [...allowlist], basis: 'allowlist' };
}

/** Every figure, live. A query that fails turns its figure into NaN, which the portal shows as unavailable. */
export async function portalFacts(ctx: PortalContext): Promise<PortalFacts> {
  const now = ctx.clock();
  const since = now - 30 * DAY_MS;
  const failed = (what: string) => (error: unknown) => {
    ctx.logger.error({ err: error, figure: what }, 'transparency figure could not be computed');
    return undefined;
  };
  const [cameras, counts, recent, agencies, hotlists, report, ori, edgeHeads] = await Promise.all([
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
      kinds: [...SEARCH_KINDS, K.hitCreated, 'ingest.reads_refused'],
    }).catch(failed('audit')),
    agenciesWithAccess(ctx.db, now).catch(failed('agencies')),
    hotlistSources(ctx.db, ctx.config.access.hotlist.sources).catch(failed('hotlists')),
    lastReport(ctx.db).catch(failed('report')),
    homeOri(ctx.db).catch(failed('home agency')),
    ctx.db
      .query<{ edge_id: string; seq: number; hash: string; at: number; key_id: string }>(
        `SELECT DISTINCT ON (edge_id) edge_id, seq, hash, at, key_id FROM edge_audit_heads ORDER BY edge_id, seq DESC`,
      )
      .catch(failed('edge heads')),
  ]);
  if (agencies && !agencies.ok) ctx.logger.error('a sharing grant names an agency the hub does not know');
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
    agencies: agencies?.list ?? [],
    agenciesBasis: agencies?.basis ?? 'enrolled',
    hotlistSources: hotlists?.list ?? [],
    hotlistBasis: hotlists?.basis ?? 'allowlist',
    readsStored: counts ? counts.stored : nan,
    readsLast30Days: counts ? counts.recent : nan,
    hitsLast30Days: recent ? recent.filter((e) => e.kind === K.hitCreated).length : nan,
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
