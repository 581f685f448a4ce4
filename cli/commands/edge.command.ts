// `alpr edge --config FILE`: run every enabled camera through recognition and the compliance gate into the
// store, with /health and /metrics, until SIGINT/SIGTERM.
import type { Command } from 'commander';
import { startEdge } from '../../edge/edge-runtime.js';
import { EdgeKeyError } from '../../edge/forward/edge-key.js';
import { FfmpegNotFoundError } from '../../edge/ingest/ffmpeg-locator.js';
import { ModelFileError } from '../../models/manifest.js';
import { handleSignals } from '../../shared/runtime/shutdown.js';
import { CliError, ExitCode } from '../cli-error.js';
import { type CliEnv, type ConfigOption, cliLogger, loadCliConfig } from '../context.js';
import { checkPlacementOrExit, registryInUse } from '../planner/placement-input.js';

interface EdgeOptions extends ConfigOption {
  httpPort?: string;
}

export function registerEdgeCommands(program: Command, env: CliEnv): void {
  program
    .command('edge')
    .option('-c, --config <file>', 'config file (default: $ALPR_CONFIG or built-in defaults)')
    .option('--http-port <port>', 'override http.port for /health and /metrics (0: any free port)')
    .description('Run the edge: cameras → recognition → compliance gate → store, with /health and /metrics')
    .action(async (options: EdgeOptions) => {
      const loaded = loadCliConfig(env, options);
      const enabled = loaded.cameras.filter((c) => c.enabled);
      if (enabled.length === 0) {
        throw new CliError(
          `no enabled cameras in ${loaded.source ?? 'the built-in defaults'}: add one under "cameras"`,
          ExitCode.invalidInput,
        );
      }
      // Before any camera opens: a registry on another continent from the cameras (swapped coordinates)
      // would make every camera look compliant.
      const inUse = registryInUse(loaded);
      if (inUse)
        checkPlacementOrExit(loaded.config.sites.registryPath, inUse.registry, loaded, inUse.sitePaths);
      const httpPort = options.httpPort === undefined ? undefined : parsePort(options.httpPort);
      const logger = cliLogger(loaded);
      let runtime: Awaited<ReturnType<typeof startEdge>>;
      try {
        runtime = await startEdge(loaded, { logger, httpPort });
      } catch (error) {
        if (
          error instanceof ModelFileError ||
          error instanceof FfmpegNotFoundError ||
          error instanceof EdgeKeyError
        ) {
          throw new CliError(error.message, ExitCode.failure);
        }
        throw error;
      }
      if (runtime.server)
        env.stdout(`edge running: ${enabled.length} camera(s); ${runtime.server.url}/health`);
      else env.stdout(`edge running: ${enabled.length} camera(s); /health disabled`);
      await new Promise<void>((resolve) => {
        handleSignals(runtime.shutdown, logger, ((code?: number) => {
          if (code && code !== 0) process.exit(code); // a second signal: do not wait any longer
          resolve();
        }) as typeof process.exit);
      });
      env.stdout('edge stopped');
    });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliError(`--http-port must be an integer 0-65535, got "${value}"`, ExitCode.invalidInput);
  }
  return port;
}
