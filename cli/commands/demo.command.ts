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
    const [{ runDemo }, { summaryLines }, { serveDemoHub, demoTotp }] = await Promise.all([
      import('../../sim/demo/run-demo.js'),
      import('../../sim/demo/demo-summary.js'),
      import('../../sim/demo/demo-serve.js'),
    ]);
    return { runDemo, summaryLines, serveDemoHub, demoTotp };
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
  const demo = program
    .command('demo')
    .description(
      'Run the whole system on a synthetic camera: edge, hub, governed search, holds, purges, report, portal',
    )
    .enablePositionalOptions()
    .option('--dir <dir>', 'working directory for the clip, config, registry and database', 'data/demo')
    .option('--no-rtsp', 'read the clip file directly instead of serving it over RTSP')
    .option('--models-from <dir>', 'copy missing model files from here (env ALPR_MODELS_FROM)')
    .option('--json', 'last stdout line: the summary as JSON')
    .option('--serve', 'then keep the hub running (Ctrl-C stops it) and print the demo login')
    .action(
      async (options: {
        dir: string;
        rtsp: boolean;
        modelsFrom?: string;
        json?: boolean;
        serve?: boolean;
      }) => {
        const modelsFrom = options.modelsFrom ?? modelsFromEnv;
        const { runDemo, summaryLines, serveDemoHub } = await loadDemo();
        const dir = resolveFrom(env.cwd, options.dir);
        const print = (summary: Parameters<typeof summaryLines>[0]) => {
          for (const line of summaryLines(summary)) env.stdout(line);
          if (options.json) printJson(env, summary);
        };
        let printed = false;
        try {
          const summary = await runDemo({
            dir,
            rtsp: options.rtsp ? 'auto' : 'off',
            modelsFrom: modelsFrom ? resolveFrom(env.cwd, modelsFrom) : undefined,
            log: env.stdout,
            cli,
            serve: options.serve
              ? async (s, hub) => {
                  print(s);
                  printed = true;
                  await serveDemoHub(dir, hub, env.stdout);
                }
              : undefined,
          });
          if (!printed) print(summary);
        } catch (error) {
          throw new CliError(`demo failed: ${(error as Error).message}`);
        }
      },
    );
  demo
    .command('totp')
    .description('Print the current TOTP code of a demo account (after npm run demo -- --serve)')
    .option('--dir <dir>', 'the demo directory', 'data/demo')
    .option('--user <username>', 'which demo account (default: the investigator)')
    .action(async (options: { dir: string; user?: string }) => {
      const { demoTotp } = await loadDemo();
      try {
        const t = demoTotp(resolveFrom(env.cwd, options.dir), options.user, Date.now());
        env.stdout(`${t.code}  (${t.username}; valid for ${t.validS} more second(s))`);
      } catch (error) {
        throw new CliError((error as Error).message);
      }
    });
}
