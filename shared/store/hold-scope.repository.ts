// Which reads a new hold may cover: those that exist and are visible (within retention or already held)
// when the hold is created. Expired, unheld reads are treated as gone even before the purge deletes them.
import type Database from 'better-sqlite3';
import type { HoldScope } from '../policy/holds.js';
import { activeHoldOn } from './active-hold.sql.js';
import { VISIBLE_READ_SQL } from './reads.repository.js';

export class HoldScopeRepository {
  private readonly byIdStmt: Database.Statement<[{ ids: string; cutoff: number }], { id: number }>;
  private readonly byCameraStmt: Database.Statement<[Record<string, unknown>], { id: number }>;
  private readonly unprotectedStmt: Database.Statement<[{ holdId: number; cutoff: number }], { n: number }>;

  constructor(db: Database.Database) {
    this.byIdStmt = db.prepare(`SELECT r.id FROM reads r
      WHERE r.id IN (SELECT value FROM json_each(@ids)) AND ${VISIBLE_READ_SQL} ORDER BY r.id`);
    // Half-open range [from, to), like every time range in the store.
    this.byCameraStmt = db.prepare(`SELECT r.id FROM reads r
      WHERE r.camera_id = @cameraId AND r.captured_at >= @from AND r.captured_at < @to
        AND (@plate IS NULL OR r.plate = @plate) AND ${VISIBLE_READ_SQL} ORDER BY r.id`);
    // Reads of a hold about to be released that are past retention and covered by no other active hold
    // (counted before the release, which the schema lets happen only right after its audit event).
    this.unprotectedStmt = db.prepare(`SELECT count(*) AS n FROM hold_reads x JOIN reads r ON r.id = x.read_id
      WHERE x.hold_id = @holdId AND r.captured_at < @cutoff
        AND NOT ${activeHoldOn('r.id', { exceptHoldId: '@holdId' })}`);
  }

  /** Ids of the reads in `scope` that are visible at `cutoff` (retention cutoff of the hold's `now`). */
  visibleReadIds(scope: HoldScope, cutoff: number): number[] {
    const rows =
      scope.kind === 'reads'
        ? this.byIdStmt.all({ ids: JSON.stringify(scope.readIds), cutoff })
        : this.byCameraStmt.all({
            cameraId: scope.cameraId,
            from: scope.from,
            to: scope.to,
            plate: scope.plate ?? null,
            cutoff,
          });
    return rows.map((r) => r.id);
  }

  /** Once this hold is released: how many of its reads the next purge will delete. */
  countNoLongerProtected(holdId: number, cutoff: number): number {
    return this.unprotectedStmt.get({ holdId, cutoff })!.n;
  }
}
