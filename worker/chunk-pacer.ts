// Sizes purge chunks by time, not by a fixed row count: each transaction should hold SQLite's write lock
// for about `targetLockMs`, whatever a row costs on this disk and schema, so ingest never waits long.

export interface ChunkPacerOptions {
  /** Upper bound on rows per chunk (retention.chunkSize). */
  maxRows: number;
  /** Lock time per chunk to aim for (retention.chunkMaxLockMs). */
  targetLockMs: number;
  minRows?: number;
  /** First chunk size: small, because the cost of a row is not known yet. */
  initialRows?: number;
}

/**
 * Adaptive chunk size: after each chunk, shrink at once to the size that would have taken `targetLockMs`,
 * or grow halfway towards it (at most 2x per chunk).
 * @example const pacer = new ChunkPacer({ maxRows: 5000, targetLockMs: 15 }); pacer.record(200, 3); pacer.size // 400
 */
export class ChunkPacer {
  private current: number;
  private readonly minRows: number;

  constructor(private readonly options: ChunkPacerOptions) {
    this.minRows = Math.min(options.minRows ?? 50, options.maxRows);
    this.current = clamp(options.initialRows ?? 200, this.minRows, options.maxRows);
  }

  get size(): number {
    return this.current;
  }

  /** Feed back one chunk: rows examined and how long the transaction held the lock. */
  record(rows: number, lockMs: number): void {
    if (rows <= 0) return;
    const perRowMs = Math.max(lockMs, 0.01) / rows;
    const ideal = this.options.targetLockMs / perRowMs;
    // Too slow: shrink at once (ingest is waiting). Fast enough: grow halfway, at most 2x per chunk.
    const next = ideal < this.current ? ideal : Math.min((this.current + ideal) / 2, this.current * 2);
    this.current = clamp(next, this.minRows, this.options.maxRows);
  }
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, Math.round(n)));
}
