// Plate reads. Every query takes `now` and returns only reads within retention or under an active
// hold, so no query path can return a read past retention even before the purge has run.
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { PixelBox } from '../plates/box-geometry.js';
import { retentionCutoff } from '../policy/retention.js';
import { activeHoldOn } from './active-hold.sql.js';

export interface NewRead {
  cameraId: string;
  plate: string;
  rawText: string;
  confidence: number;
  charConfidences: number[];
  /** ms since epoch, UTC */
  capturedAt: number;
  box: PixelBox;
  cropPath?: string | null;
  /** The crop_dirs row of the directory `cropPath` is relative to (registerCropDir). */
  cropDirId?: number | null;
  modelId: string;
  verdictId: number;
  /** Frames seen, per-frame reads: how the tracker arrived at this read. */
  evidence?: Record<string, unknown>;
}

export interface ReadRecord extends Required<Omit<NewRead, 'cropPath' | 'cropDirId'>> {
  id: number;
  cropPath: string | null;
  storedAt: number;
}

export interface ReadQuery {
  cameraId?: string;
  plate?: string;
  from?: number;
  to?: number;
  limit?: number;
}

interface Raw {
  id: number;
  camera_id: string;
  plate: string;
  raw_text: string;
  confidence: number;
  char_confidences: string;
  captured_at: number;
  box_x: number;
  box_y: number;
  box_w: number;
  box_h: number;
  crop_path: string | null;
  model_id: string;
  verdict_id: number;
  evidence: string;
  stored_at: number;
}

const toRecord = (r: Raw): ReadRecord => ({
  id: r.id,
  cameraId: r.camera_id,
  plate: r.plate,
  rawText: r.raw_text,
  confidence: r.confidence,
  charConfidences: JSON.parse(r.char_confidences) as number[],
  capturedAt: r.captured_at,
  box: { x: r.box_x, y: r.box_y, width: r.box_w, height: r.box_h },
  cropPath: r.crop_path,
  modelId: r.model_id,
  verdictId: r.verdict_id,
  evidence: JSON.parse(r.evidence) as Record<string, unknown>,
  storedAt: r.stored_at,
});

/** SQL condition: the read `r` is within retention (cutoff bound as @cutoff) or under an active hold. */
export const VISIBLE_READ_SQL = `(r.captured_at >= @cutoff OR ${activeHoldOn('r.id')})`;

export class ReadsRepository {
  private readonly insertStmt: Database.Statement;
  private readonly getStmt: Database.Statement<[{ id: number; cutoff: number }], Raw>;
  private readonly searchStmt: Database.Statement<[Record<string, unknown>], Raw>;
  private readonly countStmt: Database.Statement<[], { n: number }>;
  private readonly addCropDirStmt: Database.Statement<[string, number]>;
  private readonly cropDirIdStmt: Database.Statement<[string], { id: number }>;
  private readonly setMetaStmt: Database.Statement<[string, string]>;
  private readonly insertManyTx: (reads: NewRead[], storedAt: number) => number[];

  constructor(
    db: Database.Database,
    private readonly retentionDays: number,
  ) {
    this.insertStmt = db.prepare(`INSERT INTO reads (camera_id, plate, raw_text, confidence, char_confidences,
      captured_at, box_x, box_y, box_w, box_h, crop_path, crop_dir_id, model_id, verdict_id, evidence, stored_at)
      VALUES (@cameraId, @plate, @rawText, @confidence, @charConfidences, @capturedAt, @x, @y, @width, @height,
      @cropPath, @cropDirId, @modelId, @verdictId, @evidence, @storedAt)`);
    this.addCropDirStmt = db.prepare(
      'INSERT INTO crop_dirs (path, first_used_at) VALUES (?, ?) ON CONFLICT(path) DO NOTHING',
    );
    this.cropDirIdStmt = db.prepare('SELECT id FROM crop_dirs WHERE path = ?');
    this.setMetaStmt = db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
    this.getStmt = db.prepare(`SELECT r.* FROM reads r WHERE r.id = @id AND ${VISIBLE_READ_SQL}`);
    this.searchStmt = db.prepare(`SELECT r.* FROM reads r
      WHERE ${VISIBLE_READ_SQL}
        AND (@cameraId IS NULL OR r.camera_id = @cameraId)
        AND (@plate IS NULL OR r.plate = @plate)
        AND (@from IS NULL OR r.captured_at >= @from)
        AND (@to IS NULL OR r.captured_at < @to)
      ORDER BY r.captured_at DESC, r.id DESC LIMIT @limit`);
    this.countStmt = db.prepare('SELECT count(*) AS n FROM reads');
    const tx = db.transaction((reads: NewRead[], storedAt: number) =>
      reads.map((read) => {
        const info = this.insertStmt.run({
          cameraId: read.cameraId,
          plate: read.plate,
          rawText: read.rawText,
          confidence: read.confidence,
          charConfidences: JSON.stringify(read.charConfidences),
          capturedAt: read.capturedAt,
          x: Math.round(read.box.x),
          y: Math.round(read.box.y),
          width: Math.round(read.box.width),
          height: Math.round(read.box.height),
          cropPath: read.cropPath ?? null,
          cropDirId: read.cropPath ? (read.cropDirId ?? null) : null,
          modelId: read.modelId,
          verdictId: read.verdictId,
          evidence: JSON.stringify(read.evidence ?? {}),
          storedAt,
        });
        return Number(info.lastInsertRowid);
      }),
    );
    this.insertManyTx = (reads, storedAt) => tx.immediate(reads, storedAt);
  }

  /** Insert reads in one transaction; all or none. Returns their ids in order. */
  insertMany(reads: NewRead[], storedAt: number): number[] {
    return reads.length === 0 ? [] : this.insertManyTx(reads, storedAt);
  }

  insert(read: NewRead, storedAt: number): number {
    return this.insertManyTx([read], storedAt)[0]!;
  }

  /** A read by id, if it is still within retention (or held) at `now`. */
  findById(id: number, now: number): ReadRecord | undefined {
    const row = this.getStmt.get({ id, cutoff: retentionCutoff(now, this.retentionDays) });
    return row ? toRecord(row) : undefined;
  }

  /** Reads visible at `now`, newest first. */
  search(query: ReadQuery, now: number): ReadRecord[] {
    return this.searchStmt
      .all({
        cutoff: retentionCutoff(now, this.retentionDays),
        cameraId: query.cameraId ?? null,
        plate: query.plate ?? null,
        from: query.from ?? null,
        to: query.to ?? null,
        limit: query.limit ?? 100,
      })
      .map(toRecord);
  }

  /**
   * The id of the crops directory `dir` (absolute), recorded on first use and never forgotten, so the
   * purge finds a crop where it was written even after store.cropsDir changes.
   */
  registerCropDir(dir: string, now: number): number {
    if (!path.isAbsolute(dir)) throw new RangeError(`crops directory must be absolute, got ${dir}`);
    const resolved = path.resolve(dir);
    this.addCropDirStmt.run(resolved, now);
    return this.cropDirIdStmt.get(resolved)!.id;
  }

  /** The bound the schema's future-capture trigger enforces (ingest.maxClockSkewS), set by the edge. */
  setMaxClockSkewMs(ms: number): void {
    this.setMetaStmt.run('ingest.maxClockSkewMs', String(Math.trunc(ms)));
  }

  /** Physical row count, expired rows included (for metrics and tests, not for queries). */
  countAll(): number {
    return this.countStmt.get()!.n;
  }
}
