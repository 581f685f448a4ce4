// The ReadSink over the SQLite store: inserts the gate-allowed passes of one camera in one transaction,
// with the gate's verdict id and the recognizer's model id. Plate crops are written only when
// recognition.storeCrops is on (laid out by shared/store/crop-files.ts, each read recording the directory
// it was written under), and in an order that never leaves an orphan file or a read pointing at a
// missing file: crop staged as *.partial → reads committed → partial renamed; a crash in between is
// repaired by recoverStagedCrops() at the next start.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { Logger } from '../shared/logging/logger.js';
import { passToNewRead } from '../shared/plates/pass-read.js';
import type { PassRead } from '../shared/plates/pass-tracker.js';
import { cropRelativePath, resolveCropPath } from '../shared/store/crop-files.js';
import type { NewRead } from '../shared/store/reads.repository.js';
import type { Store } from '../shared/store/store.js';
import type { ReadSink } from './pipeline/stages.js';

const PARTIAL = '.partial';

export interface StoreReadSinkOptions {
  /** Absolute directory for crop JPEGs; reads store paths relative to it. */
  cropsDir: string;
  storeCrops: boolean;
  logger: Logger;
  /** ingest.maxClockSkewS in ms, written into the store so its trigger enforces the same bound. */
  maxClockSkewMs?: number;
  /** Time the crops directory is first recorded at (default: now). */
  now?: number;
}

export class StoreReadSink implements ReadSink {
  private readonly log: Logger;
  private readonly cropReferenced: Database.Statement<[string], { n: number }>;
  private cropDirId: number | undefined;

  constructor(
    private readonly db: Store,
    private readonly options: StoreReadSinkOptions,
  ) {
    this.log = options.logger.child({ component: 'read-sink' });
    this.cropReferenced = db.db.prepare('SELECT count(*) AS n FROM reads WHERE crop_path = ?');
    if (options.maxClockSkewMs !== undefined) db.reads.setMaxClockSkewMs(options.maxClockSkewMs);
    if (options.storeCrops)
      this.cropDirId = db.reads.registerCropDir(path.resolve(options.cropsDir), options.now ?? Date.now());
  }

  store(passes: PassRead[], verdictId: number, modelId: string, now: number): number[] {
    if (passes.length === 0) return [];
    const staged: string[] = [];
    const reads: NewRead[] = passes.map((pass) => {
      const cropPath = this.stageCrop(pass, staged);
      return { ...passToNewRead(pass, { verdictId, modelId, cropPath }), cropDirId: this.cropDirId };
    });
    let ids: number[];
    try {
      ids = this.db.reads.insertMany(reads, now);
    } catch (error) {
      // Nothing was stored (one transaction), so no crop may stay behind either.
      for (const partial of staged) removeIfPresent(partial);
      throw error;
    }
    for (const partial of staged) renameSync(partial, partial.slice(0, -PARTIAL.length));
    return ids;
  }

  /**
   * After a crash: a staged crop whose read was committed is renamed into place, any other is deleted.
   * Returns how many of each.
   */
  recoverStagedCrops(): { restored: number; removed: number } {
    const result = { restored: 0, removed: 0 };
    if (!existsSync(this.options.cropsDir)) return result;
    for (const entry of readdirSync(this.options.cropsDir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith(PARTIAL)) continue;
      const partial = path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
      const final = partial.slice(0, -PARTIAL.length);
      const relative = path.relative(this.options.cropsDir, final);
      if (this.cropReferenced.get(relative)!.n > 0) {
        renameSync(partial, final);
        result.restored += 1;
      } else {
        rmSync(partial, { force: true });
        result.removed += 1;
      }
    }
    if (result.restored + result.removed > 0) this.log.info(result, 'recovered staged plate crops');
    return result;
  }

  /** Write the crop as *.partial; returns the relative path the read will carry, or null. */
  private stageCrop(pass: PassRead, staged: string[]): string | null {
    if (!this.options.storeCrops || !pass.cropJpeg) return null;
    const relative = cropRelativePath(pass.cameraId, pass.capturedAt, randomBytes(6).toString('hex'));
    const file = resolveCropPath(this.options.cropsDir, relative);
    if (!file) {
      this.log.warn({ camera: pass.cameraId }, 'camera id makes no crop path inside store.cropsDir');
      return null;
    }
    const partial = `${file}${PARTIAL}`;
    try {
      mkdirSync(path.dirname(partial), { recursive: true, mode: 0o700 });
      const fd = openSync(partial, 'wx', 0o600);
      try {
        writeSync(fd, pass.cropJpeg);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      // The read matters more than its picture: store it without a crop rather than lose it.
      removeIfPresent(partial);
      this.log.warn(
        { camera: pass.cameraId, err: error },
        'could not write plate crop; storing the read without it',
      );
      return null;
    }
    staged.push(partial);
    return relative;
  }
}

/** Delete a file that may not exist (or whose directory may not be one). */
function removeIfPresent(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error;
  }
}
