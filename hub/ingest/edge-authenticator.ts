// The `edge` authenticator: checks the HMAC request signature of docs/hub-protocol.md. Headers well formed,
// timestamp within 300 s of the hub clock, edge enrolled and enabled, signature right (constant time), and
// then the nonce recorded in the database: a nonce seen before from that edge is a replay. The hub keeps no
// state outside the database, so any hub process can check any request. Every refusal is a 401 with the
// reason, counted, and stores nothing. Routes that write in one transaction anyway (ingest) defer the
// nonce into it (claimEdgeNonce), so a request costs one commit, not two; every other edge route has it
// recorded here, before its handler runs.
import type { FastifyRequest } from 'fastify';
import {
  EDGE_HEADERS,
  SIGNATURE_WINDOW_MS,
  signatureMatches,
} from '../../shared/forward/request-signature.js';
import { ID_PATTERN } from '../../shared/forward/wire.js';
import type { HubSql } from '../db/hub-db.js';
import { openEdgeSecret } from '../edges/edge-enrolment.service.js';
import { findEdgeAuth } from '../edges/edges.repository.js';
import { HttpError } from '../http/http-errors.js';
import type { AuthFailureReason } from '../http/hub-metrics.js';
import type { Authenticator, HubRoute, Principal } from '../http/hub-route.js';
import type { HubContext } from '../hub-context.js';

/** Nonces are kept long enough that any request still inside the window can be recognised as a replay. */
export const NONCE_KEEP_MS = 3 * SIGNATURE_WINDOW_MS;

const TIMESTAMP = /^\d{1,16}$/;
const NONCE = /^[0-9a-f]{32}$/;
const SIGNATURE = /^v1=[0-9a-f]{64}$/;

export class EdgeAuthError extends HttpError {
  constructor(
    readonly reason: AuthFailureReason,
    message: string,
  ) {
    super(401, 'unauthorized', message, { reason });
    this.name = 'EdgeAuthError';
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** Record a nonce; false when this edge already used it (a replay). */
export async function recordNonce(sql: HubSql, edgeId: string, nonce: string, now: number): Promise<boolean> {
  const rows = await sql.query(
    'INSERT INTO edge_nonces (edge_id, nonce, seen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING nonce',
    [edgeId, nonce, new Date(now)],
  );
  return rows.length === 1;
}

/** Forget nonces too old to matter; any hub process may run it, and running it twice is harmless. */
export async function pruneNonces(sql: HubSql, now: number): Promise<number> {
  const rows = await sql.query<{ n: number }>(
    'WITH gone AS (DELETE FROM edge_nonces WHERE seen_at < $1 RETURNING 1) SELECT count(*)::int AS n FROM gone',
    [new Date(now - NONCE_KEEP_MS)],
  );
  return rows[0]?.n ?? 0;
}

/** Nonces checked but not yet recorded: their route records them in its own transaction. */
const deferred = new WeakMap<FastifyRequest, { edgeId: string; nonce: string; at: number }>();

/** The request's nonce when its route records it itself (undefined when the authenticator already did). */
export function deferredNonce(request: FastifyRequest): { nonce: string; at: number } | undefined {
  const pending = deferred.get(request);
  return pending ? { nonce: pending.nonce, at: pending.at } : undefined;
}

/** The 401 for a replayed request, counted. */
export function replayRefusal(ctx: Pick<HubContext, 'metrics'>): EdgeAuthError {
  ctx.metrics.authFailures.inc({ reason: 'replay' });
  return new EdgeAuthError('replay', 'this nonce was already used: a replayed request');
}

/**
 * Record the request's nonce inside `tx` (the route's own transaction), refusing a replay with 401. A
 * no-op for requests whose nonce the authenticator already recorded. Call it first in the transaction.
 */
export async function claimEdgeNonce(
  ctx: Pick<HubContext, 'metrics'>,
  tx: HubSql,
  request: FastifyRequest,
): Promise<void> {
  const pending = deferred.get(request);
  if (!pending) return;
  if (!(await recordNonce(tx, pending.edgeId, pending.nonce, pending.at))) throw replayRefusal(ctx);
}

export function edgeAuthenticator(
  ctx: HubContext,
  options: { deferNonce?: (route: HubRoute) => boolean } = {},
): Authenticator {
  const fail = (reason: AuthFailureReason, message: string): never => {
    ctx.metrics.authFailures.inc({ reason });
    throw new EdgeAuthError(reason, message);
  };
  return {
    kind: 'edge',
    async authenticate(request, route): Promise<Principal> {
      const edgeId = header(request, EDGE_HEADERS.edge);
      const stamp = header(request, EDGE_HEADERS.timestamp);
      const nonce = header(request, EDGE_HEADERS.nonce);
      const signature = header(request, EDGE_HEADERS.signature);
      const missing = [
        [EDGE_HEADERS.edge, edgeId],
        [EDGE_HEADERS.timestamp, stamp],
        [EDGE_HEADERS.nonce, nonce],
        [EDGE_HEADERS.signature, signature],
      ].filter(([, v]) => v === undefined);
      if (missing.length > 0) {
        return fail('missing_header', `missing ${missing.map(([h]) => h).join(', ')}`);
      }
      if (!ID_PATTERN.test(edgeId!))
        return fail('malformed_header', `${EDGE_HEADERS.edge} is not an edge id`);
      if (!TIMESTAMP.test(stamp!))
        return fail('malformed_header', `${EDGE_HEADERS.timestamp} must be ms since epoch`);
      if (!NONCE.test(nonce!))
        return fail('malformed_header', `${EDGE_HEADERS.nonce} must be 32 lowercase hex digits`);
      if (!SIGNATURE.test(signature!))
        return fail('malformed_header', `${EDGE_HEADERS.signature} must be v1=<64 hex>`);
      const timestamp = Number(stamp);
      const now = ctx.clock();
      const skew = timestamp - now;
      if (Math.abs(skew) > SIGNATURE_WINDOW_MS) {
        return fail(
          'clock_skew',
          `request timestamp is ${Math.round(Math.abs(skew) / 1000)} s ${skew > 0 ? 'ahead of' : 'behind'} the hub clock (at most ${SIGNATURE_WINDOW_MS / 1000} s): check the edge's time sync`,
        );
      }
      const edge = await findEdgeAuth(ctx.db, edgeId!);
      if (!edge) return fail('unknown_edge', `edge ${edgeId} is not enrolled at this hub`);
      if (edge.disabledAt !== null) return fail('disabled_edge', `edge ${edgeId} is disabled`);
      if (!edge.secretSealed) return fail('no_secret', `edge ${edgeId} has no secret: rotate it`);
      let secret: Buffer;
      try {
        secret = openEdgeSecret(ctx.keys.secretsKey, edge.id, edge.secretSealed);
      } catch (error) {
        // The hub's own fault (another secrets key than the one that sealed it): say so in the log.
        ctx.logger.error(
          { edgeId: edge.id, err: error },
          'edge secret does not open with this hub’s secrets key',
        );
        return fail('no_secret', `edge ${edgeId}: the hub cannot open its secret (hub keys mismatch)`);
      }
      const good = signatureMatches(
        secret,
        {
          method: request.method,
          path: request.url,
          edgeId: edge.id,
          timestamp,
          nonce: nonce!,
          body: request.rawBody ?? Buffer.alloc(0),
        },
        signature!,
      );
      if (!good) return fail('bad_signature', 'signature does not match this edge’s key, path and body');
      if (options.deferNonce?.(route)) {
        deferred.set(request, { edgeId: edge.id, nonce: nonce!, at: now });
      } else if (!(await recordNonce(ctx.db, edge.id, nonce!, now))) {
        return fail('replay', 'this nonce was already used: a replayed request');
      }
      return { kind: 'edge', edgeId: edge.id, agencyId: edge.agencyId };
    },
  };
}
