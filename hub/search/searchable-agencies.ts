// The one place that says whose reads a user's search covers (Q-09, AC-02): the user's own agency (the
// agency its edges belong to), plus the owners of approved, unexpired California grants to it (the
// sharing feature's effective ACL, each share backed by an active command-approved grant of the same
// pair: hub/sharing/grants.repository.ts). Nothing in a request can widen it, because no request field
// reaches this function.
import type { HubSql } from '../db/hub-db.js';
import { searchableAgencyIdsFor } from '../sharing/grants.repository.js';

/**
 * The agency ids whose edges' reads a user of `agencyId` may search at `now`, own agency first.
 * @example await searchableAgencyIds(tx, 3, now) // [3], or [3, 1] with an active grant from agency 1
 */
export async function searchableAgencyIds(sql: HubSql, agencyId: number, now: number): Promise<number[]> {
  const rows = await sql.query<{ id: number }>('SELECT id FROM agencies WHERE id = $1', [agencyId]);
  // An agency that does not exist (deleted, or a stale session) searches nothing: fail closed.
  if (rows.length === 0) return [];
  return searchableAgencyIdsFor(sql, agencyId, now);
}
