// `alpr sites import|list`: replace the sensitive-site registry atomically (validated first, audited,
// the registry in use untouched on any problem) and list what it holds.
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { AuditKind } from '../../shared/audit/audit-log.js';
import {
  parseSiteRegistry,
  registryToGeoJson,
  type Site,
  type SiteRegistry,
} from '../../shared/geofence/site-registry.js';
import { resolveFrom } from '../../shared/runtime/paths.js';
import { CliError, ExitCode } from '../cli-error.js';
import { type CliEnv, type DbOption, loadCliConfig, openCliStore, printJson } from '../context.js';
import { checkPlacementOrExit, sitePathsOf } from '../planner/placement-input.js';
import { loadRegistryOrExit } from '../planner/registry-input.js';

const short = (version: string | undefined) => (version ? `${version.slice(0, 12)}…` : 'none');
const countsText = (r: SiteRegistry) =>
  `${r.sites.length} site(s) (${Object.entries(r.counts)
    .map(([c, n]) => `${n} ${c}`)
    .join(', ')}) and ${r.entranceCount} entrance(s)`;

export function registerSitesCommands(program: Command, env: CliEnv): void {
  const sites = program
    .command('sites')
    .description('Manage the sensitive-site registry (reproductive health, religious observance)');

  sites
    .command('import')
    .argument('<file>', 'GeoJSON FeatureCollection of sites and entrances')
    .option('-c, --config <file>', 'config file (default: $ALPR_CONFIG or built-in defaults)')
    .option('--db <file>', 'SQLite store for the audit event (default: store.path from the config)')
    .option('--dry-run', 'validate and report only; change nothing')
    .option(
      '--strip-names',
      'store the registry without site names (edge boxes do not need them; the version is the same)',
    )
    .option('--json', 'print the result as one JSON line')
    .description(
      "Validate FILE (also against the config's cameras) and atomically make it the registry at sites.registryPath; exit 2 naming every problem",
    )
    .action(
      (file: string, options: DbOption & { dryRun?: boolean; stripNames?: boolean; json?: boolean }) => {
        const loaded = loadCliConfig(env, options);
        const source = resolveFrom(env.cwd, file);
        const registry = loadRegistryOrExit(source, 'site file');
        // Against this node's cameras: a registry written [lat, lng] is valid GeoJSON while |lng| <= 90.
        checkPlacementOrExit(file, registry, loaded, sitePathsOf(readFileSync(source, 'utf8')));
        const dest = loaded.config.sites.registryPath;
        const current = currentRegistry(dest);
        const content = `${JSON.stringify(registryToGeoJson(registry, { names: !options.stripNames }), null, 1)}\n`;
        const summary = {
          registryPath: dest,
          registryVersion: registry.version,
          previousVersion: current?.version ?? null,
          sites: registry.sites.length,
          counts: registry.counts,
          entrances: registry.entranceCount,
          namesStored: !options.stripNames && registry.sites.some((s) => s.name !== undefined),
        };
        if (options.dryRun || current?.text === content) {
          const what = options.dryRun
            ? 'valid (dry run, nothing changed)'
            : 'already the registry in use (nothing changed)';
          if (options.json) printJson(env, { ...summary, changed: false });
          else env.stdout(`${file}: ${what}: ${countsText(registry)}, version ${short(registry.version)}`);
          return;
        }
        // Importing the registry is how a new box is set up: it may create the store.
        const store = openCliStore(env, options, loaded, 'create');
        try {
          replaceRegistryFile(dest, content, (rename) =>
            store.transaction(() => {
              store.audit.append(
                { kind: AuditKind.sitesImported, actor: 'cli:sites-import', payload: summary },
                Date.now(),
              );
              rename();
            }),
          );
        } finally {
          store.close();
        }
        if (options.json) printJson(env, { ...summary, changed: true });
        else
          env.stdout(
            `imported ${countsText(registry)}: version ${short(registry.version)} (was ${short(current?.version)}) → ${dest}${summary.namesStored ? '' : ' (no site names stored)'}`,
          );
      },
    );

  sites
    .command('list')
    .option('-c, --config <file>', 'config file (default: $ALPR_CONFIG or built-in defaults)')
    .option('--sites <file>', 'registry file (default: sites.registryPath from the config)')
    .option('--public', 'omit confidential site names')
    .option('--json', 'print the registry summary as one JSON line')
    .description('List the sites in the registry')
    .action((options: { config?: string; sites?: string; public?: boolean; json?: boolean }) => {
      const loaded = loadCliConfig(env, options);
      const file = options.sites ? resolveFrom(env.cwd, options.sites) : loaded.config.sites.registryPath;
      const registry = loadRegistryOrExit(file);
      const rows = registry.sites.map((s) => siteRow(s, !options.public));
      if (options.json) {
        printJson(env, {
          registryPath: file,
          registryVersion: registry.version,
          counts: registry.counts,
          entrances: registry.entranceCount,
          sites: rows,
        });
        return;
      }
      env.stdout(`${file}: version ${short(registry.version)}, ${countsText(registry)}`);
      if (rows.length === 0) return;
      const head = [
        'id',
        'category',
        'parcel',
        'entrances',
        'centre (lat, lng)',
        ...(options.public ? [] : ['name']),
      ];
      const table = rows.map((r) => [
        r.id,
        r.category,
        r.parcel,
        String(r.entrances),
        `${r.centre[1].toFixed(6)}, ${r.centre[0].toFixed(6)}`,
        ...(options.public ? [] : [r.name ?? '']),
      ]);
      const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
      for (const row of [head, ...table])
        env.stdout(
          row
            .map((cell, i) => cell.padEnd(widths[i]!))
            .join('  ')
            .trimEnd(),
        );
    });
}

function siteRow(site: Site, withName: boolean) {
  const [minLng, minLat, maxLng, maxLat] = site.bbox;
  const parcel =
    site.parcel.kind === 'circle'
      ? `circle r=${site.parcel.radiusM} m`
      : site.parcel.polygons.length === 1
        ? 'polygon'
        : `multipolygon (${site.parcel.polygons.length} parts)`;
  return {
    id: site.id,
    category: site.category,
    parcel,
    entrances: site.entrances.length,
    centre: [(minLng + maxLng) / 2, (minLat + maxLat) / 2] as [number, number],
    ...(withName && site.name !== undefined ? { name: site.name } : {}),
  };
}

/** The registry file in use (its text, and its version when valid), or undefined when there is none. */
function currentRegistry(file: string): { text: string; version?: string } | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const text = readFileSync(file, 'utf8');
    const result = parseSiteRegistry(text);
    return { text, version: result.ok ? result.registry.version : undefined };
  } catch {
    return undefined;
  }
}

/**
 * Write a temporary file beside `dest`, flush it to disk, then let `commit` rename it over `dest`
 * inside the store transaction that appends the audit event: readers see the old file or the new one,
 * never a half-written one, and a failed rename rolls the audit event back.
 */
function replaceRegistryFile(dest: string, content: string, commit: (rename: () => void) => void): void {
  mkdirSync(path.dirname(dest), { recursive: true });
  const tmp = path.join(path.dirname(dest), `.${path.basename(dest)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    commit(() => renameSync(tmp, dest));
  } catch (error) {
    rmSync(tmp, { force: true });
    throw new CliError(`registry not replaced: ${(error as Error).message}`, ExitCode.failure);
  }
}
