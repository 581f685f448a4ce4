// The hotlists feature: hotlist import, list and expiry (hotlists.manage), the agency's hits and their
// verification (hits.view, hits.verify), the /hits page, and a minute timer that expires entries past
// their date (audited) and announces hits waiting past the threshold (plate-free). Everything is scoped to
// the caller's own agency.
import type { FastifyRequest } from 'fastify';
import { isUnavailableError } from '../db/hub-db.js';
import { HttpError, notFound, unprocessable } from '../http/http-errors.js';
import type { HubRoute, Principal } from '../http/hub-route.js';
import type { HubContext, HubFeature } from '../hub-context.js';
import { publishOverdueHits } from './hit-events.js';
import { HitsService, type Verifier } from './hits.service.js';
import { pageRoutes } from './hits-page.routes.js';
import { parseHotlistCsv } from './hotlist-csv.js';
import {
  expireDueEntries,
  expireEntry,
  type HotlistServices,
  importHotlist,
} from './hotlist-import.service.js';
import { hotlistKey } from './hotlist-key.js';

const TICK_MS = 60_000;

type User = Extract<Principal, { kind: 'user' }>;

export async function caller(ctx: HubContext, request: FastifyRequest): Promise<Verifier & { ori: string }> {
  const p = request.principal as User;
  const [a] = await ctx.db.query<{ ori: string }>('SELECT ori FROM agencies WHERE id = $1', [p.agencyId]);
  return { userId: p.userId, username: p.username, role: p.role, agencyId: p.agencyId, ori: a?.ori ?? '' };
}

export function hitId(request: FastifyRequest): number {
  const id = Number((request.params as { id: string }).id);
  if (!Number.isSafeInteger(id) || id < 1) throw notFound('no such hit');
  return id;
}

export function hotlistServices(ctx: HubContext): HotlistServices {
  const h = ctx.config.access.hotlist;
  return {
    audit: ctx.audit,
    key: hotlistKey(ctx.keys),
    rules: { maxEntryDays: h.maxEntryDays, sources: h.sources },
  };
}

export function hitsService(ctx: HubContext): HitsService {
  const h = ctx.config.access.hotlist;
  return new HitsService(ctx.audit, hotlistKey(ctx.keys), {
    currencyMaxAgeMinutes: h.currencyMaxAgeMinutes,
    unverifiedReportHours: h.unverifiedReportHours,
    staleAfterHours: h.staleAfterHours,
  });
}

function routes(ctx: HubContext): HubRoute[] {
  const hits = hitsService(ctx);
  const services = hotlistServices(ctx);
  const view = { kind: 'user', permission: 'hits.view', acknowledged: true } as const;
  const verify = { kind: 'user', permission: 'hits.verify', acknowledged: true } as const;
  const manage = { kind: 'user', permission: 'hotlists.manage', acknowledged: true } as const;
  const idParams = {
    type: 'object',
    properties: { id: { type: 'string', pattern: '^[0-9]{1,15}$' } },
    required: ['id'],
  };
  const hours = ctx.config.access.hotlist.unverifiedReportHours;
  return [
    {
      method: 'GET',
      url: '/api/v1/hits',
      auth: view,
      tag: 'hits',
      summary:
        'Hotlist hits of your agency (no plates); `overdue` counts those unverified past the threshold',
      schema: {
        querystring: {
          type: 'object',
          properties: { state: { type: 'string', enum: ['unverified', 'confirmed', 'rejected'] } },
          additionalProperties: false,
        },
      },
      handler: async (request) => {
        const who = await caller(ctx, request);
        const now = ctx.clock();
        const state = (request.query as { state?: string }).state;
        return {
          hits: await hits.list(ctx.db, who.agencyId, now, state),
          overdue: await hits.overdueCount(ctx.db, who.agencyId, now),
          overdueAfterHours: hours,
        };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/hits/:id',
      auth: view,
      tag: 'hits',
      summary: 'One hit: the read (and its crop reference), the entry, the state (the view is audited)',
      schema: { params: idParams },
      handler: async (request) => {
        const who = await caller(ctx, request);
        const now = ctx.clock();
        const hit = await ctx.db.transaction((tx) => hits.get(tx, who, hitId(request), now));
        if (!hit) throw notFound('no such hit in your agency');
        return hit;
      },
    },
    {
      method: 'POST',
      url: '/api/v1/hits/:id/verification',
      auth: verify,
      tag: 'hits',
      summary: 'Confirm (visual match, entry still listed, disposition) or reject a hit; final and audited',
      schema: {
        params: idParams,
        body: {
          type: 'object',
          required: ['confirmed', 'entryCurrent'],
          additionalProperties: false,
          properties: {
            confirmed: { type: 'boolean' },
            entryCurrent: { type: 'boolean' },
            disposition: { type: 'string', maxLength: 64 },
            rejectionReason: { type: 'string', maxLength: 64 },
            checkedWith: { type: 'string', maxLength: 100 },
            checkedAt: { type: 'integer' },
            note: { type: 'string', maxLength: 1000 },
          },
        },
      },
      handler: async (request) => {
        const who = await caller(ctx, request);
        const now = ctx.clock();
        const result = await ctx.db.transaction((tx) =>
          hits.verify(tx, who, hitId(request), request.body as Parameters<HitsService['verify']>[3], now),
        );
        if (!result.ok) {
          if (result.status === 404) throw notFound('no such hit in your agency');
          const first = result.problems[0]!;
          throw new HttpError(
            result.status,
            first.code ?? 'invalid',
            result.problems.map((p) => `${p.field}: ${p.message}`).join('; '),
            {
              problems: result.problems,
            },
          );
        }
        return {
          id: hitId(request),
          state: result.hit.state,
          confirmation: result.hit.confirmation ?? null,
          rejection: result.hit.rejection ?? null,
        };
      },
    },
    {
      method: 'POST',
      url: '/api/v1/hotlists/import',
      auth: manage,
      tag: 'hotlists',
      summary:
        'Import (refresh) your agency’s list from one allowlisted source: CSV text; refusals name the line',
      schema: {
        body: {
          type: 'object',
          required: ['source', 'csv'],
          additionalProperties: false,
          properties: {
            source: { type: 'string', maxLength: 64 },
            csv: { type: 'string', maxLength: 8_000_000 },
          },
        },
      },
      handler: async (request) => {
        const who = await caller(ctx, request);
        const body = request.body as { source: string; csv: string };
        const parsed = parseHotlistCsv(body.csv);
        if (!parsed.ok)
          throw unprocessable('bad_csv', `line ${parsed.line}: ${parsed.message}`, { line: parsed.line });
        const now = ctx.clock();
        const result = await ctx.db.transaction((tx) =>
          importHotlist(
            tx,
            services,
            {
              ori: who.ori,
              source: body.source.trim(),
              rows: parsed.rows,
              actor: { user: who.username, role: who.role, userId: who.userId },
            },
            now,
          ),
        );
        if (!result.ok) throw unprocessable(result.code, result.message, { refused: result.refused });
        return { ...result, refreshedAt: new Date(result.refreshedAt).toISOString() };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/hotlists',
      auth: manage,
      tag: 'hotlists',
      summary: 'Your agency’s lists: source, when refreshed, stale or not, active entries',
      handler: async (request) => {
        const who = await caller(ctx, request);
        const now = ctx.clock();
        const rows = await ctx.db.query<{
          id: number;
          source: string;
          imported_at: Date;
          refreshed_at: Date;
          active: number;
        }>(
          `SELECT l.id, l.source, l.imported_at, l.refreshed_at,
                  (SELECT count(*)::int FROM hotlist_entries e WHERE e.hotlist_id = l.id AND e.expired_at IS NULL AND e.expires_at > $2) AS active
             FROM hotlists l WHERE l.agency_id = $1 ORDER BY l.source`,
          [who.agencyId, new Date(now)],
        );
        const staleMs = ctx.config.access.hotlist.staleAfterHours * 3_600_000;
        return {
          hotlists: rows.map((r) => ({
            id: r.id,
            source: r.source,
            importedAt: r.imported_at.toISOString(),
            refreshedAt: r.refreshed_at.toISOString(),
            stale: now - r.refreshed_at.getTime() > staleMs,
            activeEntries: r.active,
          })),
        };
      },
    },
    {
      method: 'POST',
      url: '/api/v1/hotlists/entries/:id/expire',
      auth: manage,
      tag: 'hotlists',
      summary: 'Expire one entry of your agency now (it stops matching); audited',
      schema: {
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { note: { type: 'string', maxLength: 500 } },
        },
      },
      handler: async (request) => {
        const who = await caller(ctx, request);
        const entryId = Number((request.params as { id: string }).id);
        const note = (request.body as { note?: string } | undefined)?.note?.trim() || null;
        const now = ctx.clock();
        const outcome = await ctx.db.transaction((tx) =>
          expireEntry(
            tx,
            ctx.audit,
            {
              entryId,
              agencyId: who.agencyId,
              agencyOri: who.ori,
              actor: { user: who.username, role: who.role, userId: who.userId },
              note,
            },
            now,
          ),
        );
        if (outcome === 'not_found') throw notFound('no such entry in your agency');
        return { id: entryId, outcome };
      },
    },
    ...pageRoutes(ctx, hits, { caller, hitId }),
  ];
}

/** One pass of the timer's work; exported so tests drive it with their own clock. */
export async function hotlistTick(ctx: HubContext): Promise<void> {
  const now = ctx.clock();
  await ctx.db.transaction((tx) => expireDueEntries(tx, ctx.audit, now));
  await publishOverdueHits(ctx, now);
}

export const hotlistsFeature: HubFeature = {
  name: 'hotlists',
  routes,
  async start(ctx) {
    let running = false;
    const tick = () => {
      if (running) return;
      running = true;
      hotlistTick(ctx)
        .catch((error: unknown) => {
          if (!isUnavailableError(error)) ctx.logger.warn({ err: error }, 'hotlist timer failed');
        })
        .finally(() => {
          running = false;
        });
    };
    const timer = setInterval(tick, TICK_MS);
    timer.unref();
    return async () => clearInterval(timer);
  },
};
