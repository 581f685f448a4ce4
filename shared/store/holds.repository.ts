// Evidentiary holds and their links to reads. The schema refuses deleting a held read, deleting or
// replacing a hold or a link, editing an active hold other than releasing it, and creating, linking or
// releasing a hold except right after its audit event (migration 2); this repository is plain data
// access (the rules live in shared/policy, the order of writes in shared/holds/hold.service.ts).
import type Database from 'better-sqlite3';
import type { HoldScope, NewHold } from '../policy/holds.js';
import { activeHoldOn } from './active-hold.sql.js';

// The hold's shape is the policy's (shared/policy/holds.ts); re-exported for the repositories built on it.
export type { HoldScope, NewHold } from '../policy/holds.js';

export interface HoldRecord extends Required<NewHold> {
  id: number;
  createdAt: number;
  releasedAt: number | null;
  releasedBy: string | null;
  releaseReason: string | null;
  readCount: number;
}

interface Raw {
  id: number;
  case_number: string;
  crime_type: string;
  reason: string;
  requested_by: string;
  approved_by: string;
  scope: string;
  created_at: number;
  review_by: number | null;
  released_at: number | null;
  released_by: string | null;
  release_reason: string | null;
  read_count: number;
}
const toRecord = (r: Raw): HoldRecord => ({
  id: r.id,
  caseNumber: r.case_number,
  crimeType: r.crime_type,
  reason: r.reason,
  requestedBy: r.requested_by,
  approvedBy: r.approved_by,
  scope: JSON.parse(r.scope) as HoldScope,
  createdAt: r.created_at,
  reviewBy: r.review_by,
  releasedAt: r.released_at,
  releasedBy: r.released_by,
  releaseReason: r.release_reason,
  readCount: r.read_count,
});

const SELECT_HOLD = `SELECT h.*, (SELECT count(*) FROM hold_reads hr WHERE hr.hold_id = h.id) AS read_count
  FROM holds h`;

export class HoldsRepository {
  private readonly insertStmt: Database.Statement;
  private readonly linkStmt: Database.Statement;
  private readonly releaseStmt: Database.Statement;
  private readonly getStmt: Database.Statement<[number], Raw>;
  private readonly listStmt: Database.Statement<[number], Raw>;
  private readonly heldStmt: Database.Statement<[number], { n: number }>;
  private readonly linkTx: (holdId: number, readIds: number[]) => number;
  private readonly nextIdStmt: Database.Statement<[], { id: number }>;

  constructor(db: Database.Database) {
    this.insertStmt = db.prepare(`INSERT INTO holds
      (id, case_number, crime_type, reason, requested_by, approved_by, scope, created_at, review_by)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    // No conflict clause: the schema refuses every REPLACE/IGNORE form on hold_reads, so skip a link
    // that exists instead of letting the insert conflict.
    this.linkStmt = db.prepare(`INSERT INTO hold_reads (hold_id, read_id) SELECT @holdId, @readId
      WHERE NOT EXISTS (SELECT 1 FROM hold_reads WHERE hold_id = @holdId AND read_id = @readId)`);
    this.nextIdStmt = db.prepare('SELECT coalesce(max(id), 0) + 1 AS id FROM holds');
    this.releaseStmt = db.prepare(
      'UPDATE holds SET released_at = ?, released_by = ?, release_reason = ? WHERE id = ? AND released_at IS NULL',
    );
    this.getStmt = db.prepare(`${SELECT_HOLD} WHERE h.id = ?`);
    this.listStmt = db.prepare(`${SELECT_HOLD} WHERE (? = 0 OR h.released_at IS NULL) ORDER BY h.id`);
    this.heldStmt = db.prepare(`SELECT ${activeHoldOn('?')} AS n`);
    this.linkTx = db.transaction((holdId: number, readIds: number[]) => {
      let linked = 0;
      for (const readId of readIds) linked += this.linkStmt.run({ holdId, readId }).changes;
      return linked;
    });
  }

  /** The id the next hold gets (inside the caller's write transaction): its audit event names it first. */
  nextId(): number {
    return this.nextIdStmt.get()!.id;
  }

  /** Insert hold `id` (from nextId); the schema requires its hold.created event to be the last audit row. */
  insert(hold: NewHold, createdAt: number, id: number): number {
    const info = this.insertStmt.run(
      id,
      hold.caseNumber,
      hold.crimeType,
      hold.reason,
      hold.requestedBy,
      hold.approvedBy,
      JSON.stringify(hold.scope),
      createdAt,
      hold.reviewBy ?? null,
    );
    return Number(info.lastInsertRowid);
  }

  /** Link reads to a hold; returns how many links were new. */
  link(holdId: number, readIds: number[]): number {
    return this.linkTx(holdId, readIds);
  }

  /** Release an active hold; returns false when it does not exist or was already released. */
  release(id: number, by: string, reason: string, at: number): boolean {
    return this.releaseStmt.run(at, by, reason, id).changes === 1;
  }

  get(id: number): HoldRecord | undefined {
    const row = this.getStmt.get(id);
    return row ? toRecord(row) : undefined;
  }

  list(options: { activeOnly?: boolean } = {}): HoldRecord[] {
    return this.listStmt.all(options.activeOnly ? 1 : 0).map(toRecord);
  }

  isHeld(readId: number): boolean {
    return this.heldStmt.get(readId)!.n > 0;
  }
}
