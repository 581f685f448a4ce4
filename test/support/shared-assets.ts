// Finds the workplace's shared folder (models, datasets) by walking up from the project root:
// licensed material is pointed at, never copied into the repository.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../shared/runtime/paths.js';

/** Absolute path of `shared/<sub>` in the nearest ancestor that has it, or undefined. */
export function findSharedDir(sub: string): string | undefined {
  let dir = path.dirname(PROJECT_ROOT);
  for (;;) {
    const candidate = path.join(dir, 'shared', sub);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export const DATASET_DIR = findSharedDir(path.join('datasets', 'openalpr-us-dev'));
export const SHARED_MODELS_DIR = findSharedDir('models');
