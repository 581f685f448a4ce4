// The workplace's shared folder (models, datasets), found above the project root: licensed material
// is pointed at, never copied into the repository.
import path from 'node:path';
import { findSharedDir } from '../../shared/runtime/paths.js';

export { findSharedDir };
export const DATASET_DIR = findSharedDir(path.join('datasets', 'openalpr-us-dev'));
export const SHARED_MODELS_DIR = findSharedDir('models');
