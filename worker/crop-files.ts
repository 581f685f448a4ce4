// Crop JPEGs of purged reads: unlink them after their rows are gone, and sweep orphans a crash left behind.
// Only files inside store.cropsDir are ever touched, whatever a row's crop_path says.
import { lstat, readdir, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * Absolute path of a read's crop file, or undefined when it points outside the crops directory
 * (a relative path is taken against the crops directory, as the edge writes it).
 * @example resolveCropPath('cam-1/42.jpg', '/var/alpr/crops') // '/var/alpr/crops/cam-1/42.jpg'
 */
export function resolveCropPath(cropPath: string, cropsDir: string): string | undefined {
  const root = path.resolve(cropsDir);
  const file = path.resolve(root, cropPath);
  const rel = path.relative(root, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return file;
}

export interface UnlinkTally {
  deleted: number;
  /** Already gone: not an error (a crashed run may have removed it). */
  missing: number;
  /** Outside the crops directory or not removable; left for an operator, counted in the receipt. */
  errors: number;
}

export async function unlinkCrops(
  cropPaths: readonly string[],
  cropsDir: string,
  onError: (file: string, error: Error) => void,
): Promise<UnlinkTally> {
  const tally: UnlinkTally = { deleted: 0, missing: 0, errors: 0 };
  for (const cropPath of cropPaths) {
    const file = resolveCropPath(cropPath, cropsDir);
    if (!file) {
      tally.errors += 1;
      onError(cropPath, new Error('crop path is outside store.cropsDir; not deleted'));
      continue;
    }
    try {
      await unlink(file);
      tally.deleted += 1;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') tally.missing += 1;
      else {
        tally.errors += 1;
        onError(file, error as Error);
      }
    }
  }
  return tally;
}

const CROP_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp']);

/**
 * Delete crop images no read refers to whose mtime is before `cutoff`. A crop is written when its read is
 * captured, so an unreferenced crop older than the cutoff belongs to a purged read; newer unreferenced files
 * may be an ingest mid-write and are left alone.
 */
export async function sweepOrphanCrops(options: {
  cropsDir: string;
  cutoff: number;
  referenced: Iterable<string>;
  onError: (file: string, error: Error) => void;
  /** Called every few hundred files so a long sweep can renew its lease. */
  onProgress?: () => void;
}): Promise<UnlinkTally> {
  const tally: UnlinkTally = { deleted: 0, missing: 0, errors: 0 };
  const keep = new Set<string>();
  for (const cropPath of options.referenced) {
    const file = resolveCropPath(cropPath, options.cropsDir);
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
        if (stat.mtimeMs >= options.cutoff) continue;
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
  await walk(path.resolve(options.cropsDir));
  return tally;
}
