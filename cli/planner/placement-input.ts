// The swapped-coordinates check for CLI commands (`alpr sites import`, `alpr config check`, `alpr edge`):
// a registry and the config's cameras that are implausibly far apart end the command with exit 2,
// naming each feature or camera.
import { existsSync, readFileSync } from 'node:fs';
import type { LoadedConfig } from '../../shared/config/load-config.js';
import { checkRegistryPlacement } from '../../shared/geofence/placement-check.js';
import { parseSiteRegistry, type SiteRegistry } from '../../shared/geofence/site-registry.js';
import { CliError, ExitCode } from '../cli-error.js';
import { problemLines } from './registry-input.js';

/** `features[i]` of each site id in a registry file's text (for naming the feature at fault). */
export function sitePathsOf(text: string): Map<string, string> {
  const paths = new Map<string, string>();
  try {
    const doc = JSON.parse(text) as { features?: unknown };
    if (!Array.isArray(doc.features)) return paths;
    doc.features.forEach((f, i) => {
      const feature = f as { id?: unknown; properties?: { id?: unknown; role?: unknown } } | null;
      const id = feature?.properties?.id ?? feature?.id;
      if (feature?.properties?.role === undefined && (typeof id === 'string' || typeof id === 'number'))
        paths.set(String(id), `features[${i}]`);
    });
  } catch {
    // unparseable text has no feature paths; the registry check reports it
  }
  return paths;
}

/**
 * End the command with exit 2 when the registry's sites and the config's cameras are implausibly far
 * apart (sites.maxSiteCameraDistanceKm), e.g. a registry written [lat, lng].
 */
export function checkPlacementOrExit(
  what: string,
  registry: SiteRegistry,
  loaded: LoadedConfig,
  sitePaths?: ReadonlyMap<string, string>,
): void {
  const problems = checkRegistryPlacement(
    registry.sites,
    loaded.config.cameras,
    loaded.config.sites.maxSiteCameraDistanceKm,
    { sitePaths },
  );
  if (problems.length > 0)
    throw new CliError(
      `${what}: sites and cameras are implausibly far apart (${problems.length} problem(s)); swapped coordinates?`,
      ExitCode.invalidInput,
      problemLines(problems),
    );
}

/** The registry at sites.registryPath when there is a valid one (with its feature paths), else undefined. */
export function registryInUse(
  loaded: LoadedConfig,
): { registry: SiteRegistry; sitePaths: Map<string, string> } | undefined {
  const file = loaded.config.sites.registryPath;
  if (!existsSync(file)) return undefined;
  try {
    const text = readFileSync(file, 'utf8');
    const result = parseSiteRegistry(text);
    return result.ok ? { registry: result.registry, sitePaths: sitePathsOf(text) } : undefined;
  } catch {
    return undefined;
  }
}
