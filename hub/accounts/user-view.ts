// An account as the API shows it: never the password hash, the sealed seed or a session.
import type { UserRecord } from './users.repository.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function publicUser(u: UserRecord) {
  return {
    id: u.id,
    username: u.username,
    role: u.role,
    agency: u.agencyOri,
    status: u.status,
    approval: u.approvedBy !== null ? { by: u.approvedBy, at: iso(u.approvedAt) } : null,
    trainingCompletedAt: iso(u.trainingCompletedAt),
    lastActiveAt: iso(u.lastActiveAt),
    lockedUntil: iso(u.lockout.lockedUntil),
    createdAt: iso(u.createdAt),
  };
}
