// Who is acting, for the handlers of routes behind the `user` authenticator: the principal plus what audit
// payloads need (agency ORI, role, client address, the notice version accepted) and the account itself
// (for AC-04 eligibility). Set once per request by the authenticator; read by any feature.
import type { FastifyRequest } from 'fastify';
import type { Account } from '../../shared/access/accounts.js';
import { type AccessAuditPayload, accessPayload } from '../../shared/audit/access-audit.js';
import type { Principal } from '../http/hub-route.js';

export interface ActingUser {
  userId: number;
  username: string;
  role: string;
  agencyId: number;
  agencyOri: string;
  /** the SHA-256 of the session id (the id itself is never kept) */
  sessionId: string;
  /** the notice version this session accepted, null before acknowledgment */
  noticeHash: string | null;
  clientAddress: string | null;
  /** the shared/access view: approval, training, status (checkSearchEligibility) */
  account: Account;
}

const acting = new WeakMap<FastifyRequest, ActingUser>();

export function setActingUser(request: FastifyRequest, user: ActingUser): void {
  acting.set(request, user);
}

/** The signed-in user of this request; throws when the route is not behind the `user` authenticator. */
export function actingUser(request: FastifyRequest): ActingUser {
  const user = acting.get(request);
  if (!user) throw new Error('actingUser() on a request the user authenticator did not authenticate');
  return user;
}

/**
 * The SB 34 "who" fields of an access audit payload for this request's user.
 * @example accessPayload({ ...userAuditFields(request), outcome: 'allowed', query })
 */
export function userAuditFields(
  request: FastifyRequest,
): Pick<AccessAuditPayload, 'user' | 'role' | 'agency' | 'clientAddress' | 'noticeHash'> {
  const user = actingUser(request);
  return {
    user: user.username,
    role: user.role,
    agency: user.agencyOri,
    clientAddress: user.clientAddress,
    noticeHash: user.noticeHash,
  };
}

export function userPrincipal(user: ActingUser): Extract<Principal, { kind: 'user' }> {
  return {
    kind: 'user',
    userId: user.userId,
    username: user.username,
    agencyId: user.agencyId,
    role: user.role,
    sessionId: user.sessionId,
  };
}

/**
 * accessPayload() typed as the audit chain takes it (the payload interface has no index signature).
 * @example ctx.audit.append(tx, { kind, actor, payload: accessEntry({ user: 'det.a', outcome: 'ok' }) }, now)
 */
export function accessEntry(fields: Parameters<typeof accessPayload>[0]): Record<string, unknown> {
  return { ...accessPayload(fields) };
}
