// Sign-in, who-am-I, notice acknowledgment and sign-out (AUTH-01..06, SESS-01..05, ACK-01..03). Sign-in
// is the one public account route; its refusals name no factor (the audit has the precise reason).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccessAuditKind } from '../../shared/audit/access-audit.js';
import { badRequest, HttpError } from '../http/http-errors.js';
import type { HubRoute } from '../http/hub-route.js';
import type { HubContext } from '../hub-context.js';
import { currentNotice, type NoticeSource } from './account-rules.js';
import { accessEntry, actingUser, userAuditFields } from './acting-user.js';
import { login } from './login.service.js';
import { clearedSessionCookie, sessionCookie } from './session-cookie.js';
import { publicUser } from './user-view.js';
import { endSessions, findUserById } from './users.repository.js';

const loginBody = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'password', 'totp'],
  properties: {
    username: { type: 'string', minLength: 1, maxLength: 256 },
    password: { type: 'string', minLength: 1, maxLength: 1024 },
    totp: { type: 'string', maxLength: 16 },
  },
} as const;

const ackBody = {
  type: 'object',
  additionalProperties: false,
  required: ['noticeHash'],
  properties: { noticeHash: { type: 'string', maxLength: 128 } },
} as const;

export function sessionRoutes(ctx: HubContext, notice: NoticeSource): HubRoute[] {
  const secure = Boolean(ctx.config.hub.tls);
  const any = { kind: 'user', permission: null, acknowledged: false } as const;
  const tag = 'session';
  return [
    {
      method: 'POST',
      url: '/api/v1/session',
      auth: { kind: 'public' },
      summary: 'Sign in with username, password and TOTP code; sets the alpr_session cookie',
      tag,
      schema: { body: loginBody },
      async handler(request: FastifyRequest, reply: FastifyReply) {
        const body = request.body as { username: string; password: string; totp: string };
        const outcome = await login(ctx, {
          username: body.username,
          password: body.password,
          totp: body.totp.trim() === '' ? null : body.totp,
          clientAddress: request.ip ?? null,
        });
        if (!outcome.ok) {
          if (outcome.retryAfterS !== undefined) reply.header('retry-after', String(outcome.retryAfterS));
          throw new HttpError(outcome.status, outcome.code, outcome.message);
        }
        reply.header('set-cookie', sessionCookie(outcome.token, { secure }));
        const n = currentNotice(notice());
        return { user: publicUser(outcome.user), notice: n, acknowledged: false };
      },
    },
    {
      method: 'GET',
      url: '/api/v1/session',
      auth: any,
      summary: 'The signed-in user, the current system-use notice and whether this session accepted it',
      tag,
      async handler(request: FastifyRequest) {
        const me = actingUser(request);
        const user = await findUserById(ctx.db, me.userId);
        const n = currentNotice(notice());
        return { user: publicUser(user!), notice: n, acknowledged: me.noticeHash === n.hash };
      },
    },
    {
      method: 'POST',
      url: '/api/v1/session/acknowledge',
      auth: any,
      summary: 'Accept the current system-use notice for this session (by its hash)',
      tag,
      schema: { body: ackBody },
      async handler(request: FastifyRequest) {
        const me = actingUser(request);
        const n = currentNotice(notice());
        const { noticeHash } = request.body as { noticeHash: string };
        if (noticeHash !== n.hash) {
          throw badRequest('this is not the current notice: read it again (GET /api/v1/session)', {
            noticeHash: n.hash,
          });
        }
        const now = ctx.clock();
        await ctx.db.transaction(async (tx) => {
          await tx.query(
            'UPDATE sessions SET notice_hash = $2, acknowledged_at = $3 WHERE id_hash = $1 AND ended_at IS NULL',
            [me.sessionId, n.hash, new Date(now)],
          );
          await ctx.audit.append(
            tx,
            {
              kind: AccessAuditKind.noticeAccepted,
              actor: me.username,
              payload: accessEntry({ ...userAuditFields(request), noticeHash: n.hash, outcome: 'ok' }),
            },
            now,
          );
        });
        return { acknowledged: true, noticeHash: n.hash };
      },
    },
    {
      method: 'DELETE',
      url: '/api/v1/session',
      auth: any,
      summary: 'Sign out: end this session',
      tag,
      async handler(request: FastifyRequest, reply: FastifyReply) {
        const me = actingUser(request);
        const now = ctx.clock();
        await ctx.db.transaction(async (tx) => {
          const ended = await endSessions(tx, { idHashes: [me.sessionId] }, 'logout', now);
          if (ended === 0) return;
          await ctx.audit.append(
            tx,
            {
              kind: AccessAuditKind.sessionEnded,
              actor: me.username,
              payload: accessEntry({ ...userAuditFields(request), outcome: 'ok', category: 'logout' }),
            },
            now,
          );
        });
        reply.header('set-cookie', clearedSessionCookie({ secure }));
        return { ended: true };
      },
    },
  ];
}
