// The version of this build, read once from the project's package.json: what `alpr --version`, every
// /health answer and the alpr_build_info metric report, so an operator can tell which code ran.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './paths.js';

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' && pkg.version.length > 0 ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** e.g. "0.1.0"; "unknown" if package.json cannot be read (never throws). */
export const ALPR_VERSION = readVersion();
