// Who is acting, as the access audit records them: the signed-in user's name, role, agency (id and ORI)
// and the client address, plus the notice version the session accepted. Built once per request from the
// principal the user authenticator set; one helper makes the audit event so every entry has every SB 34
// field (accessPayload fills the rest with null).

import { NOTICE_VERSION } from '../../shared/access/notice.js';
import {
  type AccessAuditKindName,
  type AccessAuditPayload,
  accessPayload,
} from '../../shared/audit/access-audit.js';
import type { AuditEventInput } from '../../shared/audit/audit-log.js';
import type { HubSql } from '../db/hub-db.js';
import { forbidden } from '../http/http-errors.js';

/** The principal fields a service needs (request.principal of kind 'user'). */
export interface UserPrincipal {
  userId: number;
  username: string;
  agencyId: number;
  role: string;
}

export interface AccessActor extends UserPrincipal {
  agencyOri: string;
  clientAddress: string | null;
  /** The notice version in force (acknowledged routes only run after the session accepted it). */
  noticeHash: string;
}

/** Resolve the agency ORI of a principal; an agency that no longer exists is refused (fail closed). */
export async function accessActor(
  sql: HubSql,
  principal: UserPrincipal,
  clientAddress: string | null,
  /** the notice version the session accepted, when the caller knows it */
  noticeHash?: string | null,
): Promise<AccessActor> {
  const rows = await sql.query<{ ori: string }>('SELECT ori FROM agencies WHERE id = $1', [
    principal.agencyId,
  ]);
  if (!rows[0]) throw forbidden('your account belongs to no known agency', 'no_agency');
  return {
    userId: principal.userId,
    username: principal.username,
    agencyId: principal.agencyId,
    role: principal.role,
    agencyOri: rows[0].ori,
    clientAddress,
    noticeHash: noticeHash ?? NOTICE_VERSION,
  };
}

/** One access audit event by `actor`. */
export function accessEvent(
  kind: AccessAuditKindName,
  actor: AccessActor,
  fields: Partial<AccessAuditPayload> & Pick<AccessAuditPayload, 'outcome'>,
): AuditEventInput {
  return {
    kind,
    actor: actor.username,
    payload: accessPayload({
      user: actor.username,
      role: actor.role,
      agency: actor.agencyOri,
      origin: 'internal',
      clientAddress: actor.clientAddress,
      noticeHash: actor.noticeHash,
      ...fields,
    }) as unknown as Record<string, unknown>,
  };
}
