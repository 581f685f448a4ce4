// `alpr hub [-c FILE] [--port N]`: run the hub (the central, governed store) until SIGINT/SIGTERM.
// Hub subcommands (edges, holds, users, audit, reports) register on the returned command.
import type { Command } from 'commander';
import { startHub } from '../../hub/hub-runtime.js';
import { handleSignals } from '../../shared/runtime/shutdown.js';
import { CliError, ExitCode } from '../cli-error.js';
import { type CliEnv, type ConfigOption, cliLogger, loadCliConfig } from '../context.js';
import { hubStartupError } from './hub-cli-context.js';

interface HubOptions extends ConfigOption {
  port?: string;
}

export function registerHubCommands(program: Command, env: CliEnv): Command {
  const hub = program
    .command('hub')
    .enablePositionalOptions()
    .option('-c, --config <file>', 'config file (default: $ALPR_CONFIG or built-in defaults)')
    .option('--port <port>', 'override hub.port (0: any free port)')
    // `alpr hub hold add -c FILE`: options after a subcommand belong to the subcommand.
    .enablePositionalOptions()
    .description(
      'Run the hub: every edge box’s reads in one governed PostgreSQL store (embedded PGlite by default)',
    )
    .action(async (options: HubOptions) => {
      const loaded = loadCliConfig(env, options);
      const port = options.port === undefined ? undefined : parsePort(options.port);
      const logger = cliLogger(loaded);
      let runtime: Awaited<ReturnType<typeof startHub>>;
      try {
        runtime = await startHub(loaded, { logger, port });
      } catch (error) {
        const mapped = hubStartupError(error);
        if (mapped !== error) throw mapped;
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          throw new CliError(`port ${port ?? loaded.config.hub.port} is already in use`, ExitCode.failure);
        }
        throw error;
      }
      env.stdout(`hub running on ${runtime.db.engine} (${runtime.db.location}); ${runtime.url}/health`);
      await new Promise<void>((resolve) => {
        handleSignals(runtime.shutdown, logger, ((code?: number) => {
          if (code && code !== 0) process.exit(code); // a second signal: do not wait any longer
          resolve();
        }) as typeof process.exit);
      });
      env.stdout('hub stopped');
    });
  return hub;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliError(`--port must be an integer 0-65535, got "${value}"`, ExitCode.invalidInput);
  }
  return port;
}
