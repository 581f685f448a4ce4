// The one retention filter of every hub query over reads: a read captured before the cutoff is never
// returned, whether or not retention has dropped its day yet (RET-02). Search, holds, exports and reports
// build their WHERE clause from here, so the rule lives in one place. Held reads past the cutoff are
// reached only through their hold (evidence), never through a search.
import { retentionCutoff } from '../../shared/policy/retention.js';

/**
 * The cutoff at `now` as a query parameter (reads captured strictly before it are expired).
 * @example hubRetentionCutoff(Date.UTC(2026, 0, 31), 30) // Date for 2026-01-01T00:00:00Z
 */
export function hubRetentionCutoff(now: number, retentionDays: number): Date {
  return new Date(retentionCutoff(now, retentionDays));
}

/**
 * SQL condition that `alias` (a reads row) is within retention, given the cutoff as parameter `$param`.
 * It compares captured_at directly, so PostgreSQL prunes whole expired partitions from the plan.
 * @example `SELECT … FROM reads r WHERE ${withinRetentionSql('r', 2)} AND r.plate_key = $1`
 */
export function withinRetentionSql(alias: string, param: number): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(alias)) throw new TypeError(`not a SQL alias: ${alias}`);
  if (!Number.isInteger(param) || param < 1) throw new TypeError(`not a parameter number: ${param}`);
  return `${alias}.captured_at >= $${param}::timestamptz`;
}

/** SQL condition that an active hold pins `alias` (a reads row) in its partition. */
export function pinnedInPartitionSql(alias: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(alias)) throw new TypeError(`not a SQL alias: ${alias}`);
  return `EXISTS (SELECT 1 FROM hold_reads p WHERE p.edge_id = ${alias}.edge_id
    AND p.edge_read_id = ${alias}.edge_read_id AND p.live_at = ${alias}.captured_at)`;
}
