// `alpr demo` (npm run demo): the whole system on a synthetic camera, in under a minute, nothing left running.
import type { Command } from 'commander';
import { resolveFrom } from '../../shared/runtime/paths.js';
import { CliError } from '../cli-error.js';
import { type CliEnv, printJson } from '../context.js';
import { summaryLines } from '../demo/demo-summary.js';
import { runDemo } from '../demo/run-demo.js';

export function registerDemoCommands(program: Command, env: CliEnv, modelsFromEnv: string | undefined): void {
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
      try {
        const summary = await runDemo({
          dir: resolveFrom(env.cwd, options.dir),
          rtsp: options.rtsp ? 'auto' : 'off',
          modelsFrom: modelsFrom ? resolveFrom(env.cwd, modelsFrom) : undefined,
          log: env.stdout,
        });
        for (const line of summaryLines(summary)) env.stdout(line);
        if (options.json) printJson(env, summary);
      } catch (error) {
        throw new CliError(`demo failed: ${(error as Error).message}`);
      }
    });
}
