// Data access for the purge: chunk selection and deletion, the in-flight run record and lease (in `meta`),
// receipts already written, and the counts a receipt and /health report. Makes no retention decision.
import type Database from 'better-sqlite3';
import { AuditKind } from '../audit/audit-log.js';
import type { PurgeCandidate, PurgeProgress, PurgeReceipt } from '../policy/purge-plan.js';
import { activeHoldOn } from './active-hold.sql.js';

const ACTIVE_HOLD_ON_R = activeHoldOn('r.id');

const RUN_KEY = 'purge.run';
const LAST_KEY = 'purge.last';

/** Position after which the next chunk starts (captured_at, id order). */
export interface PurgeCursor {
  capturedAt: number;
  id: number;
}
export const CURSOR_START: PurgeCursor = { capturedAt: Number.MIN_SAFE_INTEGER, id: 0 };

export interface CheckpointResult {
  /** 1 when a reader or writer stopped the checkpoint from finishing. */
  busy: number;
  /** WAL frames left (0 after a successful TRUNCATE). */
  walFrames: number;
  checkpointed: number;
}

interface RawCandidate {
  id: number;
  capturedAt: number;
  cropPath: string | null;
  cropDirId: number | null;
  held: number;
}

export class PurgeRepository {
  private readonly candidatesStmt: Database.Statement<[Record<string, number>], RawCandidate>;
  private readonly deleteStmt: Database.Statement<[number]>;
  private readonly getMetaStmt: Database.Statement<[string], { value: string }>;
  private readonly setMetaStmt: Database.Statement<[string, string]>;
  private readonly deleteMetaStmt: Database.Statement<[string]>;
  private readonly receiptStmt: Database.Statement<[string, string], { payload: string }>;
  private readonly heldExpiredStmt: Database.Statement<[number], { n: number }>;
  private readonly expiredUnheldStmt: Database.Statement<[number], { n: number; crops: number }>;
  private readonly oldestUnheldStmt: Database.Statement<[], { capturedAt: number }>;
  private readonly cropPathsStmt: Database.Statement<[], { cropPath: string; cropDir: string | null }>;
  private readonly cropDirsStmt: Database.Statement<[], { id: number; path: string }>;
  /** crop_dirs is tiny and only ever grows: looked up here rather than joined per candidate row. */
  private cropDirById = new Map<number, string>();
  private readonly maxStoredAtStmt: Database.Statement<[], { value: number | null }>;

  constructor(private readonly db: Database.Database) {
    // Keyset pagination in index order: each run scans held rows once instead of once per chunk.
    this.candidatesStmt = db.prepare(`SELECT r.id, r.captured_at AS capturedAt, r.crop_path AS cropPath,
        r.crop_dir_id AS cropDirId, ${ACTIVE_HOLD_ON_R} AS held
      FROM reads r INDEXED BY reads_captured_at
      WHERE r.captured_at < @cutoff AND (r.captured_at, r.id) > (@afterAt, @afterId)
      ORDER BY r.captured_at, r.id LIMIT @limit`);
    this.deleteStmt = db.prepare('DELETE FROM reads WHERE id = ?');
    this.getMetaStmt = db.prepare('SELECT value FROM meta WHERE key = ?');
    this.setMetaStmt = db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
    this.deleteMetaStmt = db.prepare('DELETE FROM meta WHERE key = ?');
    this.receiptStmt = db.prepare(`SELECT payload FROM audit_events
      WHERE kind = ? AND json_extract(payload, '$.runId') = ? ORDER BY seq DESC LIMIT 1`);
    this.heldExpiredStmt = db.prepare(
      `SELECT count(*) AS n FROM reads r WHERE r.captured_at < ? AND ${ACTIVE_HOLD_ON_R}`,
    );
    this.expiredUnheldStmt = db.prepare(`SELECT count(*) AS n, count(r.crop_path) AS crops
      FROM reads r WHERE r.captured_at < ? AND NOT ${ACTIVE_HOLD_ON_R}`);
    // Walks the captured_at index from the oldest read and stops at the first one not held.
    this.oldestUnheldStmt = db.prepare(`SELECT r.captured_at AS capturedAt FROM reads r
      WHERE NOT ${ACTIVE_HOLD_ON_R} ORDER BY r.captured_at LIMIT 1`);
    this.cropPathsStmt = db.prepare(`SELECT r.crop_path AS cropPath, d.path AS cropDir
      FROM reads r LEFT JOIN crop_dirs d ON d.id = r.crop_dir_id WHERE r.crop_path IS NOT NULL`);
    this.cropDirsStmt = db.prepare('SELECT id, path FROM crop_dirs ORDER BY id');
    this.maxStoredAtStmt = db.prepare(
      "SELECT CAST(value AS INTEGER) AS value FROM meta WHERE key = 'reads.maxStoredAt'",
    );
  }

  /** Run `fn` in one BEGIN IMMEDIATE transaction (the write lock is taken up front, so no upgrade deadlock). */
  immediate<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** The next chunk of reads captured before `cutoff`, after `cursor`, with their hold state read now. */
  candidates(cutoff: number, cursor: PurgeCursor, limit: number): PurgeCandidate[] {
    return this.candidatesStmt
      .all({ cutoff, afterAt: cursor.capturedAt, afterId: cursor.id, limit })
      .map((r) => ({
        id: r.id,
        capturedAt: r.capturedAt,
        cropPath: r.cropPath,
        cropDir: r.cropDirId === null ? null : this.cropDirPath(r.cropDirId),
        held: r.held === 1,
      }));
  }

  /** Delete reads by id; the schema's trigger still refuses any read under an active hold. */
  deleteReads(ids: readonly number[]): number {
    let deleted = 0;
    for (const id of ids) deleted += this.deleteStmt.run(id).changes;
    return deleted;
  }

  progress(): PurgeProgress | undefined {
    const row = this.getMetaStmt.get(RUN_KEY);
    return row ? (JSON.parse(row.value) as PurgeProgress) : undefined;
  }

  saveProgress(progress: PurgeProgress): void {
    this.setMetaStmt.run(RUN_KEY, JSON.stringify(progress));
  }

  clearProgress(): void {
    this.deleteMetaStmt.run(RUN_KEY);
  }

  /** The receipt already written for `runId`, if any (a retried job must not be receipted twice). */
  receiptFor(runId: string): PurgeReceipt | undefined {
    const row = this.receiptStmt.get(AuditKind.purgeReceipt, runId);
    return row ? (JSON.parse(row.payload) as PurgeReceipt) : undefined;
  }

  /** The newest completed run's receipt, kept beside the chain for /health and /metrics. */
  lastCompleted(): PurgeReceipt | undefined {
    const row = this.getMetaStmt.get(LAST_KEY);
    return row ? (JSON.parse(row.value) as PurgeReceipt) : undefined;
  }

  saveLastCompleted(receipt: PurgeReceipt): void {
    this.setMetaStmt.run(LAST_KEY, JSON.stringify(receipt));
  }

  /** Reads past `cutoff` kept only because an active hold covers them. */
  countHeldExpired(cutoff: number): number {
    return this.heldExpiredStmt.get(cutoff)!.n;
  }

  /** Reads past `cutoff` with no active hold (what a purge at that cutoff deletes), and how many have crops. */
  countExpiredUnheld(cutoff: number): { reads: number; crops: number } {
    const row = this.expiredUnheldStmt.get(cutoff)!;
    return { reads: row.n, crops: row.crops };
  }

  /** Capture time of the oldest read no active hold covers; null when every read is held or none exist. */
  oldestUnheldCapturedAt(): number | null {
    return this.oldestUnheldStmt.get()?.capturedAt ?? null;
  }

  /** Every crop still referenced by a read (streamed); `dir` null: written under store.cropsDir. */
  *referencedCrops(): Generator<{ dir: string | null; path: string }> {
    for (const row of this.cropPathsStmt.iterate()) yield { dir: row.cropDir, path: row.cropPath };
  }

  /** Every directory crops were ever written under (store.cropsDir as it was at the time). */
  cropDirs(): string[] {
    return this.cropDirsStmt.all().map((r) => r.path);
  }

  private cropDirPath(id: number): string | null {
    if (!this.cropDirById.has(id))
      this.cropDirById = new Map(this.cropDirsStmt.all().map((r) => [r.id, r.path]));
    return this.cropDirById.get(id) ?? null;
  }

  /** The newest stored_at ever written (kept after its read is purged); null before the first read. */
  maxStoredAt(): number | null {
    const value = this.maxStoredAtStmt.get()?.value ?? null;
    return value === null || value <= 0 ? null : value;
  }

  /**
   * Checkpoint the WAL; TRUNCATE also cuts the WAL file to zero bytes so old page images do not linger.
   * `wait: false` skips the busy handler (a reader holding a snapshot makes it return busy at once
   * instead of blocking this thread for busy_timeout).
   */
  checkpoint(mode: 'PASSIVE' | 'TRUNCATE', options: { wait?: boolean } = {}): CheckpointResult {
    const busyTimeout =
      options.wait === false ? (this.db.pragma('busy_timeout', { simple: true }) as number) : 0;
    if (options.wait === false) this.db.pragma('busy_timeout = 0');
    try {
      const [row] = this.db.pragma(`wal_checkpoint(${mode})`) as {
        busy: number;
        log: number;
        checkpointed: number;
      }[];
      return { busy: row?.busy ?? 1, walFrames: row?.log ?? -1, checkpointed: row?.checkpointed ?? 0 };
    } finally {
      if (options.wait === false) this.db.pragma(`busy_timeout = ${busyTimeout}`);
    }
  }

  /**
   * Per-connection settings while purging: synchronous=NORMAL (a chunk lost to a power cut is deleted
   * again by the next run) and no automatic checkpoint inside commits (the purge checkpoints between
   * chunks, outside the write lock). `false` restores the store's defaults: FULL and autocheckpoint.
   */
  tuneForPurge(on: boolean): void {
    this.db.pragma(`synchronous = ${on ? 'NORMAL' : 'FULL'}`);
    this.db.pragma(`wal_autocheckpoint = ${on ? 0 : 1000}`);
  }
}
