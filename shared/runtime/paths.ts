// Where the installed project lives, so defaults (models, demo assets) work from any working directory.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the project root (the directory holding package.json). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Resolve `p` against `base` unless it is already absolute. */
export function resolveFrom(base: string, p: string): string {
  return path.isAbsolute(p) ? p : path.resolve(base, p);
}

/**
 * `shared/<sub>` in the nearest ancestor of the project that has one (a workplace's shared folder of
 * licensed models and datasets, which are pointed at, never copied into the repository).
 * @example findSharedDir('models') // '/opt/site/shared/models' or undefined
 */
export function findSharedDir(sub: string, from = PROJECT_ROOT): string | undefined {
  let dir = path.dirname(from);
  for (;;) {
    const candidate = path.join(dir, 'shared', sub);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
