// The ingest feature: the `edge` authenticator and the four ingest endpoints of docs/hub-protocol.md
// (cameras and verdicts, reads, purge receipts, audit heads), each request one transaction; plus a timer
// that forgets replay nonces once they are too old to matter.
import type { FastifyRequest } from 'fastify';
import {
  INGEST_PATHS,
  MAX_READS_PER_BATCH,
  type ReadsAnswer,
  type ReadsRequest,
  type WireReceipt,
} from '../../shared/forward/wire.js';
import { isUnavailableError } from '../db/hub-db.js';
import { touchForwarding } from '../edges/edges.repository.js';
import { publishHitsWaiting } from '../hotlists/hit-events.js';
import { type CreatedHit, HitMatcher } from '../hotlists/hit-matcher.js';
import { hotlistKey } from '../hotlists/hotlist-key.js';
import { HttpError } from '../http/http-errors.js';
import type { HubRoute, Principal } from '../http/hub-route.js';
import type { HubContext, HubFeature } from '../hub-context.js';
import { type CamerasRequest, ingestCameras } from './camera-ingest.service.js';
import {
  claimEdgeNonce,
  deferredNonce,
  edgeAuthenticator,
  pruneNonces,
  replayRefusal,
} from './edge-authenticator.js';
import { type HeadsRequest, ingestHeads } from './head-ingest.service.js';
import { camerasBodySchema, headsBodySchema, readsBodySchema, receiptsBodySchema } from './ingest-schemas.js';
import { ReadIngest, TriggerRefusal } from './read-ingest.service.js';

const PRUNE_EVERY_MS = 60_000;
const INGEST_URLS = new Set<string>(Object.values(INGEST_PATHS));

function edgeOf(request: FastifyRequest): string {
  const principal = request.principal as Extract<Principal, { kind: 'edge' }>;
  return principal.edgeId;
}

/** Count each ingest request's outcome, whatever it was. */
async function counted<T>(ctx: HubContext, endpoint: string, run: () => Promise<T>): Promise<T> {
  try {
    const value = await run();
    ctx.metrics.ingestRequests.inc({ endpoint, outcome: 'ok' });
    return value;
  } catch (error) {
    const outcome = isUnavailableError(error)
      ? 'unavailable'
      : error instanceof HttpError && error.status < 500
        ? 'refused'
        : 'error';
    ctx.metrics.ingestRequests.inc({ endpoint, outcome });
    throw error;
  }
}

function ingestRoutes(ctx: HubContext): HubRoute[] {
  const reads = new ReadIngest(
    ctx.audit,
    {
      retentionDays: ctx.config.retention.days,
      maxCaptureSkewMs: ctx.config.hub.maxCaptureSkewS * 1000,
    },
    new HitMatcher(hotlistKey(ctx.keys), ctx.audit, ctx.config.access.hotlist.staleAfterHours),
  );
  const edge = { kind: 'edge' } as const;
  return [
    {
      method: 'POST',
      url: INGEST_PATHS.cameras,
      auth: edge,
      tag: 'ingest',
      summary: 'An edge’s camera registrations and compliance verdicts (before the reads that use them)',
      schema: { body: camerasBodySchema },
      rawBody: true,
      handler: (request) =>
        counted(ctx, 'cameras', () => {
          const now = ctx.clock();
          return ctx.db.transaction(async (tx) => {
            await claimEdgeNonce(ctx, tx, request);
            return ingestCameras(tx, edgeOf(request), request.body as CamerasRequest, now);
          });
        }),
    },
    {
      method: 'POST',
      url: INGEST_PATHS.reads,
      auth: edge,
      tag: 'ingest',
      summary: `A batch of at most ${MAX_READS_PER_BATCH} reads; idempotent on (edge, edge read id), refusals per read`,
      schema: { body: readsBodySchema },
      rawBody: true,
      handler: (request) =>
        counted(ctx, 'reads', async () => {
          const body = request.body as ReadsRequest;
          if (body.reads.length > MAX_READS_PER_BATCH) {
            throw new HttpError(
              413,
              'batch_too_large',
              `${body.reads.length} reads in one batch; at most ${MAX_READS_PER_BATCH}`,
            );
          }
          const now = ctx.clock();
          const edgeId = edgeOf(request);
          await reads.preparePartitions(ctx.db, body.reads, now);
          // Most batches: every read passes, one atomic statement writes them (ingestFast). Any refusal is
          // audited, so those batches take a transaction; a trigger refusal replays the batch read by read.
          const fast = await reads
            .ingestFast(ctx.db, edgeId, body, now, deferredNonce(request))
            .catch((error: unknown) => {
              if (error instanceof TriggerRefusal) return { kind: 'transaction' as const };
              throw error;
            });
          if (fast.kind === 'replay') throw replayRefusal(ctx);
          let answer: ReadsAnswer;
          let hits: CreatedHit[] = [];
          if (fast.kind === 'answer') answer = fast.answer;
          else {
            try {
              answer = await ctx.db.transaction(async (tx) => {
                hits = [];
                await claimEdgeNonce(ctx, tx, request);
                return reads.ingest(tx, edgeId, body, now, 'batch', hits);
              });
            } catch (error) {
              if (!(error instanceof TriggerRefusal)) throw error;
              request.log.warn(
                { edgeId },
                'the store refused a read the checks admitted: ingesting read by read',
              );
              answer = await ctx.db.transaction(async (tx) => {
                hits = [];
                await claimEdgeNonce(ctx, tx, request);
                return reads.ingest(tx, edgeId, body, now, 'one-by-one', hits);
              });
            }
          }
          // After the commit, and plate-free: ids, the wait, the staleness (HIT-01).
          publishHitsWaiting(ctx, hits);
          ctx.metrics.readsAccepted.inc(answer.accepted.length);
          ctx.metrics.readsDuplicate.inc(answer.duplicates.length);
          for (const r of answer.refused) ctx.metrics.readsRefused.inc({ reason: r.reason });
          if (answer.refused.length > 0) {
            request.log.warn(
              {
                edgeId: edgeOf(request),
                refused: answer.refused.map((r) => ({ id: r.edgeReadId, reason: r.reason })),
              },
              'reads refused',
            );
          }
          return answer;
        }),
    },
    {
      method: 'POST',
      url: INGEST_PATHS.receipts,
      auth: edge,
      tag: 'ingest',
      summary: 'An edge’s purge receipts (from its audit chain)',
      schema: { body: receiptsBodySchema },
      rawBody: true,
      handler: (request) =>
        counted(ctx, 'receipts', () => {
          const edgeId = edgeOf(request);
          const receipts = (request.body as { receipts: WireReceipt[] }).receipts;
          const now = ctx.clock();
          return ctx.db.transaction(async (tx) => {
            await claimEdgeNonce(ctx, tx, request);
            if (receipts.length > 0) {
              await tx.query(
                `INSERT INTO edge_receipts (edge_id, audit_seq, receipt, received_at)
                 SELECT $1, t.seq, t.receipt::jsonb, $2 FROM unnest($3::bigint[], $4::text[]) AS t(seq, receipt)
                 ON CONFLICT DO NOTHING`,
                [
                  edgeId,
                  new Date(now),
                  receipts.map((r) => r.auditSeq),
                  receipts.map((r) => JSON.stringify(r.receipt)),
                ],
              );
            }
            const cursor = Math.max(0, ...receipts.map((r) => r.auditSeq));
            await touchForwarding(tx, edgeId, 'receipts', now, { receiptCursor: cursor });
            return { cursor };
          });
        }),
    },
    {
      method: 'POST',
      url: INGEST_PATHS.heads,
      auth: edge,
      tag: 'ingest',
      summary: 'Signed heads of the edge’s audit chain (its external anchor); key pinned on first use',
      schema: { body: headsBodySchema },
      rawBody: true,
      handler: (request) =>
        counted(ctx, 'audit-heads', () =>
          ingestHeads(ctx.db, ctx.audit, edgeOf(request), request.body as HeadsRequest, ctx.clock(), (tx) =>
            claimEdgeNonce(ctx, tx, request),
          ),
        ),
    },
  ];
}

export const ingestFeature: HubFeature = {
  name: 'ingest',
  // The ingest routes record the request nonce in their own transaction (one commit per request).
  authenticators: (ctx) => [edgeAuthenticator(ctx, { deferNonce: (route) => INGEST_URLS.has(route.url) })],
  routes: ingestRoutes,
  async start(ctx) {
    const prune = () => {
      pruneNonces(ctx.db, ctx.clock()).catch((error: unknown) => {
        if (!isUnavailableError(error)) ctx.logger.warn({ err: error }, 'pruning replay nonces failed');
      });
    };
    const timer = setInterval(prune, PRUNE_EVERY_MS);
    timer.unref();
    return async () => clearInterval(timer);
  },
};
