// `alpr hub sites import|list|history`: the city's one sensitive-site registry at the hub. Validation is
// `alpr sites import`'s own (shared/geofence, exit 2 naming every problem); signing, history and the audit
// entry are in hub/registry/site-registry.service.ts. Every edge fetches the new version on its next re-check.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadHubKeys } from '../../hub/hub-keys.js';
import { SiteRegistryService } from '../../hub/registry/site-registry.service.js';
import { SigningKeyError } from '../../shared/audit/signing-key.js';
import { parseSiteRegistry } from '../../shared/geofence/site-registry.js';
import { resolveFrom } from '../../shared/runtime/paths.js';
import { CliError, ExitCode } from '../cli-error.js';
import { type CliEnv, type ConfigOption, printJson } from '../context.js';
import { problemLines } from '../planner/registry-input.js';
import { type HubCliContext, withHubDb } from './hub-cli-db.js';

const short = (version: string | null | undefined) => (version ? `${version.slice(0, 12)}…` : 'none');

function service(ctx: HubCliContext): SiteRegistryService {
  let signing: ReturnType<typeof loadHubKeys>['signing'];
  try {
    signing = loadHubKeys(ctx.loaded.config.hub.keysDir!, { create: false }).signing;
  } catch (error) {
    if (error instanceof SigningKeyError) {
      throw new CliError(
        `${error.message}: start the hub once (alpr hub) to create its keys`,
        ExitCode.failure,
      );
    }
    throw error;
  }
  return new SiteRegistryService(ctx.db, ctx.audit, signing);
}

export function registerHubSitesCommands(hub: Command, env: CliEnv): void {
  const sites = hub
    .command('sites')
    .description('The city’s sensitive-site registry: imported here once, signed, fetched by every edge');
  const common = (cmd: Command) =>
    cmd
      .option('-c, --config <file>', 'config file (default: $ALPR_CONFIG or built-in defaults)')
      .option('--json', 'print the result as one JSON line (the last line of stdout)');

  common(
    sites
      .command('import')
      .argument('<file>', 'GeoJSON FeatureCollection of sites and entrances')
      .option('--by <user>', 'who imports it (recorded in the audit chain)', 'cli:hub-sites-import')
      .option('--dry-run', 'validate and report only; change nothing')
      .option('--strip-names', 'keep no site names at the hub either (edges never get them)')
      .description(
        'Validate FILE and make it the city registry (a new signed version); exit 2 naming every problem',
      ),
  ).action(
    (
      file: string,
      options: ConfigOption & { by: string; dryRun?: boolean; stripNames?: boolean; json?: boolean },
    ) => {
      const source = resolveFrom(env.cwd, file);
      let text: string;
      try {
        text = readFileSync(source, 'utf8');
      } catch (error) {
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        throw new CliError(
          missing ? `no site file at ${source}` : `cannot read ${source}: ${(error as Error).message}`,
          ExitCode.invalidInput,
        );
      }
      // Validated before the database is opened: a bad file never touches the hub.
      const checked = parseSiteRegistry(text);
      if (!checked.ok) {
        throw new CliError(
          `${file}: ${checked.problems.length} problem(s)`,
          ExitCode.invalidInput,
          problemLines(checked.problems),
        );
      }
      return withHubDb(env, options, async (ctx) => {
        const result = await service(ctx).import(text, {
          importedBy: options.by,
          now: Date.now(),
          stripNames: options.stripNames,
          dryRun: options.dryRun,
        });
        if (!result.ok)
          throw new CliError(`${file}: invalid`, ExitCode.invalidInput, problemLines(result.problems));
        const r = checked.registry;
        const counts = `${r.sites.length} site(s) and ${r.entranceCount} entrance(s)`;
        if (!result.changed) {
          if (options.json)
            printJson(env, {
              changed: false,
              registryVersion: result.current.version,
              seq: result.current.seq,
            });
          else
            env.stdout(
              `${file}: already the city registry (version ${short(result.current.version)}): nothing changed`,
            );
          return;
        }
        const { record } = result;
        const summary = {
          changed: !result.dryRun,
          dryRun: result.dryRun,
          seq: result.dryRun ? null : record.seq,
          registryVersion: record.version,
          previousVersion: result.previousVersion,
          sites: record.sites,
          counts: record.counts,
          entrances: record.entrances,
          namesStored: record.namesStored,
          keyId: record.keyId,
        };
        if (options.json) printJson(env, summary);
        else if (result.dryRun)
          env.stdout(
            `${file}: valid (dry run, nothing changed): ${counts}, version ${short(record.version)}`,
          );
        else {
          env.stdout(
            `imported ${counts}: version ${short(record.version)} (was ${short(result.previousVersion)}), ` +
              `signed by key ${record.keyId}; edges pick it up on their next re-check`,
          );
        }
      });
    },
  );

  common(
    sites
      .command('list')
      .description('The current city registry')
      .option('--public', 'omit confidential site names'),
  ).action((options: ConfigOption & { public?: boolean; json?: boolean }) =>
    withHubDb(env, options, async (ctx) => {
      const registry = service(ctx);
      const current = await registry.current();
      if (!current)
        throw new CliError('the hub has no site registry yet: alpr hub sites import FILE', ExitCode.failure);
      const named = (await registry.namedRegistry(current.seq)) as {
        features: Array<{ properties: Record<string, unknown> }>;
      };
      const rows = named.features
        .filter((f) => f.properties.role !== 'entrance')
        .map((f) => ({
          id: f.properties.id,
          category: f.properties.category,
          ...(!options.public && f.properties.name !== undefined ? { name: f.properties.name } : {}),
        }));
      if (options.json) {
        printJson(env, {
          seq: current.seq,
          registryVersion: current.version,
          counts: current.counts,
          entrances: current.entrances,
          sites: rows,
        });
        return;
      }
      env.stdout(
        `city registry version ${short(current.version)} (#${current.seq}), ${current.sites} site(s), ${current.entrances} entrance(s)`,
      );
      for (const row of rows)
        env.stdout(`  ${row.id}  ${row.category}${'name' in row ? `  ${row.name}` : ''}`);
    }),
  );

  common(sites.command('history').description('Every registry version imported, newest first')).action(
    (options: ConfigOption & { json?: boolean }) =>
      withHubDb(env, options, async (ctx) => {
        const versions = await service(ctx).history();
        const rows = versions.map((v) => ({
          seq: v.seq,
          registryVersion: v.version,
          sites: v.sites,
          entrances: v.entrances,
          importedBy: v.importedBy,
          importedAt: new Date(v.importedAt).toISOString(),
          keyId: v.keyId,
        }));
        if (options.json) {
          printJson(env, { versions: rows });
          return;
        }
        if (rows.length === 0) env.stdout('no registry imported yet');
        for (const r of rows) {
          env.stdout(
            `#${r.seq} ${r.importedAt} ${short(r.registryVersion)} ${r.sites} site(s) by ${r.importedBy}`,
          );
        }
      }),
  );
}
