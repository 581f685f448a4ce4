// `alpr demo` (npm run demo): the whole system on a synthetic camera, in under a minute, nothing left running.
import type { Command } from 'commander';
import { resolveFrom } from '../../shared/runtime/paths.js';
import { CliError } from '../cli-error.js';
import { type CliEnv, printJson } from '../context.js';

/** Runs one `alpr` command in-process: main() of cli/main.ts, passed in by it (no import cycle). */
export type RunCli = (argv: string[], env: CliEnv) => Promise<number>;

/** The demo lives in sim/ (demo, test and benchmark tooling), which the container image leaves out. */
async function loadDemo() {
  try {
    const [{ runDemo }, { summaryLines }] = await Promise.all([
      import('../../sim/demo/run-demo.js'),
      import('../../sim/demo/demo-summary.js'),
    ]);
    return { runDemo, summaryLines };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new CliError(
      'alpr demo is not part of this installation (sim/ is left out of the container image)',
    );
  }
}

export function registerDemoCommands(
  program: Command,
  env: CliEnv,
  modelsFromEnv: string | undefined,
  cli: RunCli,
): void {
  program
    .command('demo')
    .description(
      'Run the whole system on a synthetic camera: ingest, recognition, geofence, hold, purge, audit',
    )
    .option('--dir <dir>', 'working directory for the clip, config, registry and database', 'data/demo')
    .option('--no-rtsp', 'read the clip file directly instead of serving it over RTSP')
    .option('--models-from <dir>', 'copy missing model files from here (env ALPR_MODELS_FROM)')
    .option('--json', 'last stdout line: the summary as JSON')
    .action(async (options: { dir: string; rtsp: boolean; modelsFrom?: string; json?: boolean }) => {
      const modelsFrom = options.modelsFrom ?? modelsFromEnv;
      const { runDemo, summaryLines } = await loadDemo();
      try {
        const summary = await runDemo({
          dir: resolveFrom(env.cwd, options.dir),
          rtsp: options.rtsp ? 'auto' : 'off',
          modelsFrom: modelsFrom ? resolveFrom(env.cwd, modelsFrom) : undefined,
          log: env.stdout,
          cli,
        });
        for (const line of summaryLines(summary)) env.stdout(line);
        if (options.json) printJson(env, summary);
      } catch (error) {
        throw new CliError(`demo failed: ${(error as Error).message}`);
      }
    });
}
