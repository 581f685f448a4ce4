// Loading a site registry file for CLI commands: every problem becomes its own `path: message` line
// and the command ends with exit 2.
import { readFileSync } from 'node:fs';
import { parseSiteRegistry, type SiteRegistry } from '../../shared/geofence/site-registry.js';
import { CliError, ExitCode } from '../cli-error.js';

/** Problems as lines, `features[3].properties.category: ...`; the whole-file ones as `(file): ...`. */
export function problemLines(
  problems: ReadonlyArray<{ path: string; message: string }>,
  limit = 200,
): string[] {
  const lines = problems.slice(0, limit).map((p) => `${p.path || '(file)'}: ${p.message}`);
  if (problems.length > limit) lines.push(`… and ${problems.length - limit} more problem(s)`);
  return lines;
}

/** Read and validate a registry file, or end the command with exit 2 naming each problem. */
export function loadRegistryOrExit(file: string, what = 'site registry'): SiteRegistry {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new CliError(
      missing
        ? `no ${what} at ${file}${what === 'site registry' ? ': import one with `alpr sites import FILE`, or pass --sites FILE' : ''}`
        : `cannot read ${file}: ${(error as Error).message}`,
      ExitCode.invalidInput,
    );
  }
  const result = parseSiteRegistry(text);
  if (!result.ok) {
    throw new CliError(
      `${file}: ${result.problems.length} problem(s)`,
      ExitCode.invalidInput,
      problemLines(result.problems),
    );
  }
  return result.registry;
}
