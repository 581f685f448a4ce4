// Rows of `users` and `sessions` (migration 20) as typed records, and the few statements every account
// path shares. Times are ms since epoch at this boundary; SQL stays here, rules stay in shared/access.
import type { Account, AccountStatus } from '../../shared/access/accounts.js';
import type { LockoutState } from '../../shared/access/lockout.js';
import type { SessionRecord } from '../../shared/access/sessions.js';
import type { HubSql } from '../db/hub-db.js';

export interface UserRecord {
  id: number;
  agencyId: number;
  agencyOri: string;
  username: string;
  role: string;
  status: AccountStatus;
  passwordHash: string;
  totpSeedSealed: string;
  lastTotpStep: number | null;
  lockout: LockoutState;
  approvedBy: string | null;
  approvedAt: number | null;
  trainingCompletedAt: number | null;
  lastActiveAt: number | null;
  sessionsNotBefore: number | null;
  disabledAt: number | null;
  createdAt: number;
}

interface RawUser {
  id: number;
  agency_id: number;
  agency_ori: string;
  username: string;
  role: string;
  status: AccountStatus;
  password_hash: string;
  totp_seed_sealed: string;
  last_totp_step: number | null;
  failed_logins: number;
  locked_until: Date | null;
  approved_by: string | null;
  approved_at: Date | null;
  training_completed_at: Date | null;
  last_active_at: Date | null;
  sessions_not_before: Date | null;
  disabled_at: Date | null;
  created_at: Date;
}

const ms = (d: Date | null): number | null => (d === null ? null : d.getTime());

export const USER_COLUMNS = `u.id, u.agency_id, a.ori AS agency_ori, u.username, u.role, u.status, u.password_hash,
  u.totp_seed_sealed, u.last_totp_step, u.failed_logins, u.locked_until, u.approved_by, u.approved_at,
  u.training_completed_at, u.last_active_at, u.sessions_not_before, u.disabled_at, u.created_at`;

export function toUser(r: RawUser): UserRecord {
  return {
    id: r.id,
    agencyId: r.agency_id,
    agencyOri: r.agency_ori,
    username: r.username,
    role: r.role,
    status: r.status,
    passwordHash: r.password_hash,
    totpSeedSealed: r.totp_seed_sealed,
    lastTotpStep: r.last_totp_step,
    lockout: { failures: r.failed_logins, lockedUntil: ms(r.locked_until) },
    approvedBy: r.approved_by,
    approvedAt: ms(r.approved_at),
    trainingCompletedAt: ms(r.training_completed_at),
    lastActiveAt: ms(r.last_active_at),
    sessionsNotBefore: ms(r.sessions_not_before),
    disabledAt: ms(r.disabled_at),
    createdAt: r.created_at.getTime(),
  };
}

/** The shared/access view of an account (eligibility, inactivity). */
export function toAccount(user: UserRecord): Account {
  return {
    username: user.username,
    role: user.role,
    agency: user.agencyOri,
    status: user.status,
    createdAt: user.createdAt,
    supervisorApproval:
      user.approvedBy !== null && user.approvedAt !== null
        ? { by: user.approvedBy, at: user.approvedAt }
        : null,
    trainingCompletedAt: user.trainingCompletedAt,
    lastActiveAt: user.lastActiveAt,
  };
}

/** One user by its folded key; `forUpdate` locks the row for the rest of the transaction. */
export async function findUserByKey(
  sql: HubSql,
  usernameKey: string,
  forUpdate = false,
): Promise<UserRecord | undefined> {
  const rows = await sql.query<RawUser>(
    `SELECT ${USER_COLUMNS} FROM users u JOIN agencies a ON a.id = u.agency_id WHERE u.username_key = $1
     ${forUpdate ? 'FOR UPDATE OF u' : ''}`,
    [usernameKey],
  );
  return rows[0] ? toUser(rows[0]) : undefined;
}

export async function findUserById(
  sql: HubSql,
  id: number,
  forUpdate = false,
): Promise<UserRecord | undefined> {
  const rows = await sql.query<RawUser>(
    `SELECT ${USER_COLUMNS} FROM users u JOIN agencies a ON a.id = u.agency_id WHERE u.id = $1
     ${forUpdate ? 'FOR UPDATE OF u' : ''}`,
    [id],
  );
  return rows[0] ? toUser(rows[0]) : undefined;
}

export async function listUsers(sql: HubSql, agencyId?: number): Promise<UserRecord[]> {
  const rows = await sql.query<RawUser>(
    `SELECT ${USER_COLUMNS} FROM users u JOIN agencies a ON a.id = u.agency_id
     WHERE ($1::bigint IS NULL OR u.agency_id = $1) ORDER BY a.ori, u.username`,
    [agencyId ?? null],
  );
  return rows.map(toUser);
}

export interface StoredSession extends SessionRecord {
  userId: number;
  noticeHash: string | null;
  clientAddress: string | null;
}

interface RawSession {
  id_hash: string;
  user_id: number;
  username: string;
  created_at: Date;
  last_seen_at: Date;
  ended_at: Date | null;
  notice_hash: string | null;
  client_address: string | null;
}

const toSession = (r: RawSession): StoredSession => ({
  // SessionRecord.id: here the id's hash, never the id itself
  id: r.id_hash,
  userId: r.user_id,
  username: r.username,
  createdAt: r.created_at.getTime(),
  lastSeenAt: r.last_seen_at.getTime(),
  endedAt: ms(r.ended_at),
  noticeHash: r.notice_hash,
  clientAddress: r.client_address,
});

const SESSION_COLUMNS = `s.id_hash, s.user_id, u.username, s.created_at, s.last_seen_at, s.ended_at, s.notice_hash,
  s.client_address`;

export async function findSession(sql: HubSql, idHash: string): Promise<StoredSession | undefined> {
  const rows = await sql.query<RawSession>(
    `SELECT ${SESSION_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1`,
    [idHash],
  );
  return rows[0] ? toSession(rows[0]) : undefined;
}

export async function openSessionsOf(sql: HubSql, userId: number): Promise<StoredSession[]> {
  const rows = await sql.query<RawSession>(
    `SELECT ${SESSION_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.user_id = $1 AND s.ended_at IS NULL`,
    [userId],
  );
  return rows.map(toSession);
}

/** End sessions (by hash) still open; returns how many this call ended. */
export async function endSessions(
  sql: HubSql,
  where: { idHashes: readonly string[] } | { userId: number },
  reason: string,
  now: number,
): Promise<number> {
  const rows =
    'userId' in where
      ? await sql.query(
          `UPDATE sessions SET ended_at = $2, end_reason = $3 WHERE user_id = $1 AND ended_at IS NULL
           RETURNING 1`,
          [where.userId, new Date(now), reason],
        )
      : await sql.query(
          `UPDATE sessions SET ended_at = $2, end_reason = $3 WHERE id_hash = ANY($1::text[]) AND ended_at IS NULL
           RETURNING 1`,
          [where.idHashes, new Date(now), reason],
        );
  return rows.length;
}
