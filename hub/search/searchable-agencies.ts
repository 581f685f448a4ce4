// The one place that says whose reads a user's search covers (Q-09, AC-02): the user's own agency (the
// agency its edges belong to). Approved California shares join here later (the sharing feature adds the
// agencies of active, command-approved grants); nothing in a request can widen it, because no request
// field reaches this function.
import type { HubSql } from '../db/hub-db.js';

/**
 * The agency ids whose edges' reads a user of `agencyId` may search at `now`, own agency first.
 * @example await searchableAgencyIds(tx, 3, now) // [3]
 */
export async function searchableAgencyIds(sql: HubSql, agencyId: number, _now: number): Promise<number[]> {
  const rows = await sql.query<{ id: number }>('SELECT id FROM agencies WHERE id = $1', [agencyId]);
  // An agency that does not exist (deleted, or a stale session) searches nothing: fail closed.
  return rows.map((r) => r.id);
}
