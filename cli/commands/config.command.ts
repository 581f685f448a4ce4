// `alpr config check|show|reference`: validate a config file, print it resolved, or print the reference.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { redactEventsConfig } from '../../shared/config/events.schema.js';
import { issuesToLines, loadConfigFile } from '../../shared/config/index.js';
import { renderConfigReference } from '../../shared/config/reference.js';
import { redactUrl } from '../../shared/logging/logger.js';
import { resolveFrom } from '../../shared/runtime/paths.js';
import { CliError, ExitCode } from '../cli-error.js';
import { type CliEnv, loadCliConfig, printJson } from '../context.js';
import { checkPlacementOrExit, registryInUse } from '../planner/placement-input.js';

export function registerConfigCommands(program: Command, env: CliEnv): void {
  const config = program.command('config').description('Validate and inspect configuration files');

  config
    .command('check')
    .argument('<file>', 'config file (YAML or JSON)')
    .description(
      'Validate a config file (and its cameras against the site registry, when there is one); prints `path: message` per problem, exit 2 when invalid',
    )
    .action((file: string) => {
      const result = loadConfigFile(resolveFrom(env.cwd, file));
      if (!result.ok) {
        for (const line of issuesToLines(result.issues)) env.stdout(line);
        throw new CliError(`${file}: ${result.issues.length} problem(s)`, ExitCode.invalidInput);
      }
      const { cameras } = result.value;
      const enabled = cameras.filter((c) => c.enabled).length;
      const inUse = registryInUse(result.value);
      if (inUse) checkPlacementOrExit(file, inUse.registry, result.value, inUse.sitePaths);
      env.stdout(
        `${file}: valid (${cameras.length} camera(s), ${enabled} enabled)${inUse ? `; cameras plausible against ${inUse.registry.sites.length} site(s)` : ''}`,
      );
    });

  config
    .command('show')
    .option('-c, --config <file>', 'config file (default: $ALPR_CONFIG or built-in defaults)')
    .description('Print the validated config with defaults applied and credentials redacted, as JSON')
    .action((options: { config?: string }) => {
      const loaded = loadCliConfig(env, options);
      const cameras = loaded.cameras.map((c) => ({ ...c, url: redactUrl(c.url) }));
      const hub = {
        ...loaded.config.hub,
        databaseUrl: loaded.config.hub.databaseUrl && redactUrl(loaded.config.hub.databaseUrl),
      };
      printJson(env, { ...loaded.config, cameras, hub, events: redactEventsConfig(loaded.config.events) });
    });

  config
    .command('reference')
    .option('--check <file>', 'exit 1 if FILE does not hold the current reference (keeps docs in sync)')
    .option('--write <file>', 'replace the generated table in FILE (everything from its generated marker on)')
    .description('Print the configuration reference (every field, default, bounds, description) as Markdown')
    .action((options: { check?: string; write?: string }) => {
      const reference = renderConfigReference();
      if (options.write) {
        const file = resolveFrom(env.cwd, options.write);
        const current = readFileSync(file, 'utf8');
        const marker = current.indexOf('<!-- generated');
        writeFileSync(
          file,
          `${marker >= 0 ? current.slice(0, marker) : `${current.trimEnd()}\n\n`}${reference}\n`,
        );
        env.stdout(`${options.write}: reference written`);
        return;
      }
      if (options.check) {
        const current = readFileSync(resolveFrom(env.cwd, options.check), 'utf8');
        if (!current.includes(reference.trim())) {
          throw new CliError(`${options.check} is out of date: regenerate with \`alpr config reference\``);
        }
        env.stdout(`${options.check}: up to date`);
        return;
      }
      env.stdout(reference);
    });
}
