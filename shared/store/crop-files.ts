// The one owner of plate-crop files on disk: their layout under a crops directory, resolving a read's
// crop path inside its directory (never outside it, whatever a row says), unlinking the crops of purged
// reads and sweeping orphans a crash left behind. The edge writes through it, the purge deletes through it.
import { lstat, readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { isOrphanCrop } from '../policy/retention.js';

/** Where a crop lives: the directory it was written under (absolute) and its path relative to that. */
export interface CropLocation {
  dir: string;
  path: string;
}

const CROP_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp']);

/**
 * The relative path a new crop is written at: `<camera>/<UTC day>/<capturedAt>-<token>.jpg`.
 * @example cropRelativePath('cam-1', Date.UTC(2026, 2, 1), 'a1b2') // 'cam-1/2026-03-01/1772323200000-a1b2.jpg'
 */
export function cropRelativePath(cameraId: string, capturedAt: number, token: string): string {
  const day = new Date(capturedAt).toISOString().slice(0, 10);
  return path.join(cameraId, day, `${capturedAt}-${token}.jpg`);
}

/**
 * Absolute path of a crop inside `cropsDir`, or undefined when `cropPath` would point outside it (or at
 * the directory itself). Relative paths are taken against the directory, as the edge writes them.
 * @example resolveCropPath('/var/alpr/crops', 'cam-1/42.jpg') // '/var/alpr/crops/cam-1/42.jpg'
 * @example resolveCropPath('/var/alpr/crops', '../alpr.db') // undefined
 */
export function resolveCropPath(cropsDir: string, cropPath: string): string | undefined {
  const root = path.resolve(cropsDir);
  const file = path.resolve(root, cropPath);
  const rel = path.relative(root, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return file;
}

export interface UnlinkTally {
  deleted: number;
  /** Already gone (ENOENT): a crashed run may have removed it, or it was never where the row says. */
  missing: number;
  /** Outside its crops directory or not removable; left for an operator, counted in the receipt. */
  errors: number;
}

/** Unlink the crops of deleted reads; a missing file is counted, not an error. */
export async function unlinkCrops(
  crops: readonly CropLocation[],
  onError: (file: string, error: Error) => void,
  onMissing?: (file: string) => void,
): Promise<UnlinkTally> {
  const tally: UnlinkTally = { deleted: 0, missing: 0, errors: 0 };
  for (const crop of crops) {
    const file = resolveCropPath(crop.dir, crop.path);
    if (!file || !CROP_EXTENSIONS.has(path.extname(file).toLowerCase())) {
      tally.errors += 1;
      onError(
        path.join(crop.dir, crop.path),
        new Error('crop path is outside its crops directory or not an image; not deleted'),
      );
      continue;
    }
    try {
      await unlink(file);
      tally.deleted += 1;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        tally.missing += 1;
        onMissing?.(file);
      } else {
        tally.errors += 1;
        onError(file, error as Error);
      }
    }
  }
  return tally;
}

/**
 * Delete the orphan crop images (shared/policy/retention.ts isOrphanCrop: unreferenced, mtime before
 * `cutoff`) in every directory crops were ever written to.
 */
export async function sweepOrphanCrops(options: {
  dirs: readonly string[];
  cutoff: number;
  referenced: Iterable<CropLocation>;
  onError: (file: string, error: Error) => void;
  /** Called every few hundred files so a long sweep can renew its lease. */
  onProgress?: () => void;
}): Promise<UnlinkTally> {
  const tally: UnlinkTally = { deleted: 0, missing: 0, errors: 0 };
  const keep = new Set<string>();
  for (const crop of options.referenced) {
    const file = resolveCropPath(crop.dir, crop.path);
    if (file) keep.add(file);
  }
  let seen = 0;
  const walk = async (dir: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') options.onError(dir, error as Error);
      return;
    }
    for (const entry of entries) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(file);
        continue;
      }
      if (!entry.isFile() || !CROP_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) continue;
      if (++seen % 500 === 0) options.onProgress?.();
      if (keep.has(file)) continue;
      try {
        const stat = await lstat(file);
        if (!isOrphanCrop({ referenced: false, writtenAt: stat.mtimeMs }, options.cutoff)) continue;
        await unlink(file);
        tally.deleted += 1;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') tally.missing += 1;
        else {
          tally.errors += 1;
          options.onError(file, error as Error);
        }
      }
    }
  };
  for (const dir of new Set(options.dirs.map((d) => path.resolve(d)))) await walk(dir);
  return tally;
}
