// The oversight routes. Public (no login): the transparency portal as HTML, JSON and the published usage
// policy, with a strict CSP and no script. Auditors (permission reports.read, notice accepted): reports
// and their sign-off, case-number samples with pass/fail per item, the weekly anomaly queue and review.
import { Counter } from 'prom-client';
import { usagePolicy } from '../../shared/oversight/usage-policy.js';
import { badRequest, forbidden } from '../http/http-errors.js';
import type { HubRoute } from '../http/hub-route.js';
import type { HubContext } from '../hub-context.js';
import { anomalyQueue, refreshAnomalies, reviewAnomaly } from './anomaly-queue.service.js';
import {
  type Actor,
  checkSampleItem,
  drawCaseSample,
  getSample,
  listReports,
  signOffReport,
} from './oversight.service.js';
import { portalModel } from './portal.service.js';
import { PORTAL_CSP, PORTAL_CSS, PORTAL_ICON, policyHtml, portalHtml } from './portal-html.js';

const PORTAL_HEADERS = {
  'content-security-policy': PORTAL_CSP,
  'cache-control': 'no-cache',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

function unavailableCounter(ctx: HubContext): Counter<'figure'> {
  const name = 'alpr_portal_figure_unavailable_total';
  return (
    (ctx.metrics.registry.getSingleMetric(name) as Counter<'figure'> | undefined) ??
    new Counter({
      name,
      help: 'Transparency portal figures published as "unavailable" (not a non-negative integer), by figure',
      labelNames: ['figure'],
      registers: [ctx.metrics.registry],
    })
  );
}

export function portalRoutes(ctx: HubContext): HubRoute[] {
  const counter = unavailableCounter(ctx);
  const model = () => portalModel(ctx, (figure) => counter.inc({ figure }));
  const pub = { kind: 'public' } as const;
  return [
    {
      method: 'GET',
      url: '/transparency',
      auth: pub,
      summary: 'The public transparency portal (HTML), from live data',
      tag: 'transparency',
      produces: 'text/html',
      handler: async (_request, reply) =>
        reply
          .headers(PORTAL_HEADERS)
          .type('text/html; charset=utf-8')
          .send(portalHtml(await model())),
    },
    {
      method: 'GET',
      url: '/transparency.json',
      auth: pub,
      summary: 'The transparency portal figures as JSON',
      tag: 'transparency',
      handler: async (_request, reply) => reply.headers(PORTAL_HEADERS).send(await model()),
    },
    {
      method: 'GET',
      url: '/transparency/policy',
      auth: pub,
      summary: 'The published ALPR usage and privacy policy (Civil Code 1798.90.51)',
      tag: 'transparency',
      produces: 'text/html',
      handler: async (_request, reply) =>
        reply
          .headers(PORTAL_HEADERS)
          .type('text/html; charset=utf-8')
          .send(
            policyHtml(
              usagePolicy({ retentionDays: ctx.config.retention.days }),
              new Date(ctx.clock()).toISOString(),
            ),
          ),
    },
    {
      method: 'GET',
      url: '/transparency/style.css',
      auth: pub,
      summary: 'The portal stylesheet',
      tag: 'transparency',
      produces: 'text/css',
      handler: async (_request, reply) =>
        reply.header('cache-control', 'public, max-age=300').type('text/css; charset=utf-8').send(PORTAL_CSS),
    },
    {
      method: 'GET',
      url: '/transparency/icon.svg',
      auth: pub,
      summary: 'The portal icon',
      tag: 'transparency',
      produces: 'image/svg+xml',
      handler: async (_request, reply) =>
        reply.header('cache-control', 'public, max-age=86400').type('image/svg+xml').send(PORTAL_ICON),
    },
  ];
}

const AUDITOR = { kind: 'user', permission: 'reports.read', acknowledged: true } as const;
/** sign-offs, sample checks and reviews are the auditor's own record: no supervisor or command user writes them */
const AUDITOR_RECORD = { kind: 'user', permission: 'oversight.record', acknowledged: true } as const;

async function actorOf(ctx: HubContext, request: Parameters<HubRoute['handler']>[0]): Promise<Actor> {
  const p = request.principal;
  if (p.kind !== 'user') throw forbidden('an auditor account is required');
  const [agency] = await ctx.db.query<{ ori: string }>('SELECT ori FROM agencies WHERE id = $1', [
    p.agencyId,
  ]);
  return { username: p.username, role: p.role, agency: agency?.ori ?? null };
}

const idParam = (value: unknown, what: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw badRequest(`${what} must be a positive integer`);
  return n;
};

const timeField = (value: unknown, what: string): number => {
  const t = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(t)) throw badRequest(`${what} must be an ISO 8601 date or date-time`);
  return t;
};

const noteSchema = { type: 'string', maxLength: 2000 } as const;

export function auditorRoutes(ctx: HubContext): HubRoute[] {
  return [
    {
      method: 'GET',
      url: '/api/v1/oversight/reports',
      auth: AUDITOR,
      summary: 'Quarterly reports, their hashes and sign-offs',
      tag: 'oversight',
      handler: async () => ({ reports: await listReports(ctx) }),
    },
    {
      method: 'POST',
      url: '/api/v1/oversight/reports/:id/signoff',
      auth: AUDITOR_RECORD,
      summary: 'Record an auditor’s sign-off of a report (CMP-02)',
      tag: 'oversight',
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['decision', 'note'],
          properties: { decision: { enum: ['accepted', 'rejected'] }, note: noteSchema },
        },
      },
      handler: async (request, reply) => {
        const body = request.body as { decision: 'accepted' | 'rejected'; note: string };
        const id = idParam((request.params as { id: string }).id, 'report id');
        const out = await signOffReport(ctx, await actorOf(ctx, request), { reportId: id, ...body });
        return reply.status(201).send(out);
      },
    },
    {
      method: 'POST',
      url: '/api/v1/oversight/samples',
      auth: AUDITOR_RECORD,
      summary: 'Draw a random sample of searches for case-number verification (CMP-04)',
      tag: 'oversight',
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['from', 'to', 'size'],
          properties: {
            from: { type: 'string' },
            to: { type: 'string' },
            size: { type: 'integer', minimum: 1, maximum: 500 },
          },
        },
      },
      handler: async (request, reply) => {
        const b = request.body as { from: string; to: string; size: number };
        const out = await drawCaseSample(ctx, await actorOf(ctx, request), {
          from: timeField(b.from, 'from'),
          to: timeField(b.to, 'to'),
          size: b.size,
        });
        return reply.status(201).send(out);
      },
    },
    {
      method: 'GET',
      url: '/api/v1/oversight/samples/:id',
      auth: AUDITOR,
      summary: 'A case-number sample with its pass/fail tally',
      tag: 'oversight',
      handler: async (request) => getSample(ctx, idParam((request.params as { id: string }).id, 'sample id')),
    },
    {
      method: 'POST',
      url: '/api/v1/oversight/samples/:id/items/:seq',
      auth: AUDITOR_RECORD,
      summary: 'Record pass or fail for one sampled search',
      tag: 'oversight',
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['verdict'],
          properties: { verdict: { enum: ['pass', 'fail'] }, note: noteSchema },
        },
      },
      handler: async (request) => {
        const params = request.params as { id: string; seq: string };
        const b = request.body as { verdict: 'pass' | 'fail'; note?: string };
        return checkSampleItem(ctx, await actorOf(ctx, request), {
          sampleId: idParam(params.id, 'sample id'),
          auditSeq: idParam(params.seq, 'item'),
          ...b,
        });
      },
    },
    {
      method: 'POST',
      url: '/api/v1/oversight/anomalies/refresh',
      auth: AUDITOR_RECORD,
      summary: 'Run the anomaly detectors over a week and queue what they find (CMP-01)',
      tag: 'oversight',
      schema: {
        body: { type: 'object', additionalProperties: false, properties: { week: { type: 'string' } } },
      },
      handler: async (request) => {
        const week = (request.body as { week?: string } | undefined)?.week;
        return refreshAnomalies(
          ctx,
          await actorOf(ctx, request),
          week ? timeField(week, 'week') : ctx.clock(),
        );
      },
    },
    {
      method: 'GET',
      url: '/api/v1/oversight/anomalies',
      auth: AUDITOR,
      summary: 'The anomaly review queue of a week (?week=YYYY-MM-DD, default this week)',
      tag: 'oversight',
      handler: async (request) => {
        const week = (request.query as { week?: string }).week;
        return anomalyQueue(ctx, week ? timeField(week, 'week') : ctx.clock());
      },
    },
    {
      method: 'POST',
      url: '/api/v1/oversight/anomalies/:id/review',
      auth: AUDITOR_RECORD,
      summary: 'Review one anomaly item: cleared or escalated, with a note (the recorded sign-off)',
      tag: 'oversight',
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['status', 'note'],
          properties: {
            status: { enum: ['cleared', 'escalated'] },
            note: { type: 'string', minLength: 1, maxLength: 2000 },
          },
        },
      },
      handler: async (request) => {
        const b = request.body as { status: 'cleared' | 'escalated'; note: string };
        return reviewAnomaly(ctx, await actorOf(ctx, request), {
          id: idParam((request.params as { id: string }).id, 'anomaly id'),
          ...b,
        });
      },
    },
  ];
}
