// A lease on a hub-wide job (hub_leases), so that of several hub processes sharing one database only one
// runs it at a time. Judged by the database's clock, which every hub process shares; renewed inside each
// step's own transaction, which also fences a holder that lost it: a step whose renewal finds the lease
// gone rolls back instead of writing beside the new holder.

import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { HubSql } from '../db/hub-db.js';

/** The lease was taken over (its holder stalled past expiry): stop writing at once. */
export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
}

export interface LeaseHolder {
  owner: string;
  runId: string;
  acquiredAt: number;
  expiresAt: number;
}

/** A name for this process that no other process (here or on another host) has. */
export function processOwnerId(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

export class JobLease {
  constructor(
    private readonly name: string,
    private readonly owner: string,
    private readonly leaseMs: number,
  ) {}

  /** Take the lease for `runId` if it is free, expired or already ours; otherwise report who holds it. */
  async acquire(
    sql: HubSql,
    runId: string,
  ): Promise<{ acquired: true } | { acquired: false; holder: LeaseHolder }> {
    const rows = await sql.query<{ run_id: string }>(
      `INSERT INTO hub_leases (name, owner, run_id, acquired_at, expires_at)
       VALUES ($1, $2, $3, clock_timestamp(), clock_timestamp() + $4 * interval '1 millisecond')
       ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, run_id = EXCLUDED.run_id,
         acquired_at = EXCLUDED.acquired_at, expires_at = EXCLUDED.expires_at
       WHERE hub_leases.expires_at < clock_timestamp() OR hub_leases.owner = EXCLUDED.owner
       RETURNING run_id`,
      [this.name, this.owner, runId, this.leaseMs],
    );
    if (rows.length === 1) return { acquired: true };
    const holder = await this.holder(sql);
    // Released between our attempt and the look: try once more.
    if (!holder) return this.acquire(sql, runId);
    return { acquired: false, holder };
  }

  /** Extend the lease of `runId` inside `tx`; throws LeaseLostError when it is no longer ours. */
  async renew(tx: HubSql, runId: string): Promise<void> {
    const rows = await tx.query(
      `UPDATE hub_leases SET expires_at = clock_timestamp() + $4 * interval '1 millisecond'
        WHERE name = $1 AND owner = $2 AND run_id = $3 RETURNING 1`,
      [this.name, this.owner, runId, this.leaseMs],
    );
    if (rows.length !== 1) throw new LeaseLostError(`lease "${this.name}" of run ${runId} was taken over`);
  }

  /** Let go (a no-op when it was taken over meanwhile). */
  async release(sql: HubSql, runId: string): Promise<void> {
    await sql.query('DELETE FROM hub_leases WHERE name = $1 AND owner = $2 AND run_id = $3', [
      this.name,
      this.owner,
      runId,
    ]);
  }

  async holder(sql: HubSql): Promise<LeaseHolder | undefined> {
    const rows = await sql.query<{ owner: string; run_id: string; acquired_at: Date; expires_at: Date }>(
      'SELECT owner, run_id, acquired_at, expires_at FROM hub_leases WHERE name = $1',
      [this.name],
    );
    const r = rows[0];
    return r
      ? {
          owner: r.owner,
          runId: r.run_id,
          acquiredAt: r.acquired_at.getTime(),
          expiresAt: r.expires_at.getTime(),
        }
      : undefined;
  }
}
