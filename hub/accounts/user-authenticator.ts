// The `user` authenticator: the session cookie → the session, looked up by the SHA-256 of its id →
// shared/access/sessions.ts decides whether it still lives (idle 30 min, absolute lifetime, user disabled
// or revoked, clock backwards) → 401; then the route's permission for the user's role (deny by default,
// AC-01) → 403 `forbidden`; then, for search/result/export/hold routes, the current notice accepted in
// this session (ACK-01..03) → 403 `acknowledgment_required`. A live session's last-seen time (and the
// user's last activity, AC-05) move forward on every request. A dead session is ended in the database,
// and audited once, by whichever request finds it first.

import { acknowledgmentGate } from '../../shared/access/notice.js';
import { can } from '../../shared/access/roles.js';
import { sessionStatus } from '../../shared/access/sessions.js';
import { AccessAuditKind } from '../../shared/audit/access-audit.js';
import { hashToken } from '../../shared/crypto/tokens.js';
import { HttpError } from '../http/http-errors.js';
import type { Authenticator, Principal } from '../http/hub-route.js';
import type { HubContext } from '../hub-context.js';
import { accountPolicy, currentNotice, type NoticeSource } from './account-rules.js';
import { accessEntry, setActingUser, userPrincipal } from './acting-user.js';
import { readSessionCookie } from './session-cookie.js';
import { endSessions, findSession, findUserById, toAccount } from './users.repository.js';

const unauthenticated = (message: string, reason: string) =>
  new HttpError(401, 'unauthorized', message, { reason });

export function userAuthenticator(ctx: HubContext, notice: NoticeSource): Authenticator {
  const rules = accountPolicy(ctx.config).session;
  return {
    kind: 'user',
    async authenticate(request, route): Promise<Principal> {
      const token = readSessionCookie(request);
      if (!token) throw unauthenticated('sign in first (POST /api/v1/session)', 'no_session');
      const idHash = hashToken(token);
      const now = ctx.clock();
      const session = await findSession(ctx.db, idHash);
      if (!session) throw unauthenticated('this session is not known; sign in again', 'unknown_session');
      const user = await findUserById(ctx.db, session.userId);
      const status = sessionStatus(
        session,
        user && { status: user.status, sessionsNotBefore: user.sessionsNotBefore },
        now,
        rules,
      );
      if (!status.valid) {
        if (status.reason !== 'ended') await endDeadSession(ctx, idHash, status.reason, user, now);
        throw unauthenticated(`the session has ended (${status.reason}); sign in again`, status.reason);
      }
      const u = user!;
      const auth = route.auth;
      if (auth.kind !== 'user') throw new Error(`user authenticator used for a ${auth.kind} route`);
      if (auth.permission !== null && !can(u.role, auth.permission)) {
        throw new HttpError(
          403,
          'forbidden',
          `the ${u.role} role may not do this (needs ${auth.permission})`,
        );
      }
      const current = currentNotice(notice()).hash;
      if (auth.acknowledged) {
        const gate = acknowledgmentGate(
          idHash,
          session.noticeHash ? { sessionId: idHash, version: session.noticeHash, at: 0 } : null,
          current,
        );
        if (!gate.ok) {
          throw new HttpError(
            403,
            'acknowledgment_required',
            'accept the current system-use notice first (GET /api/v1/session, POST /api/v1/session/acknowledge)',
            { reason: gate.reason, noticeHash: current },
          );
        }
      }
      // GREATEST: two hub processes with slightly different clocks never move last-seen backwards.
      await ctx.db.query(
        `WITH s AS (UPDATE sessions SET last_seen_at = GREATEST(last_seen_at, $2) WHERE id_hash = $1
                    AND ended_at IS NULL RETURNING user_id)
         UPDATE users SET last_active_at = GREATEST(coalesce(last_active_at, $2), $2)
         WHERE id IN (SELECT user_id FROM s)`,
        [idHash, new Date(now)],
      );
      const acting = {
        userId: u.id,
        username: u.username,
        role: u.role,
        agencyId: u.agencyId,
        agencyOri: u.agencyOri,
        sessionId: idHash,
        noticeHash: session.noticeHash === current ? current : null,
        clientAddress: request.ip ?? null,
        account: toAccount(u),
      };
      setActingUser(request, acting);
      return userPrincipal(acting);
    },
  };
}

async function endDeadSession(
  ctx: HubContext,
  idHash: string,
  reason: string,
  user: { username: string; role: string; agencyOri: string } | undefined,
  now: number,
): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const ended = await endSessions(tx, { idHashes: [idHash] }, reason, now);
    if (ended === 0) return; // another request got there first
    await ctx.audit.append(
      tx,
      {
        kind: AccessAuditKind.sessionEnded,
        actor: user?.username ?? 'system',
        payload: accessEntry({
          user: user?.username ?? '(deleted user)',
          role: user?.role ?? null,
          agency: user?.agencyOri ?? null,
          outcome: 'ok',
          category: reason,
          detail: { by: 'system' },
        }),
      },
      now,
    );
  });
}
