// `alpr worker`: the long-running purge worker of this node (BullMQ schedule + local fallback, /health, /metrics).
import type { Command } from 'commander';
import { resolveFrom } from '../../shared/runtime/paths.js';
import { handleSignals } from '../../shared/runtime/shutdown.js';
import { purgeQueueName } from '../../worker/purge-worker.js';
import { startWorkerProcess } from '../../worker/worker-process.js';
import { type CliEnv, cliLogger, type DbOption, loadCliConfig } from '../context.js';

export function registerWorkerCommands(program: Command, env: CliEnv): void {
  program
    .command('worker')
    .description(
      'Run the retention purge worker: scheduled on Redis (BullMQ), with a local timer when Redis is down',
    )
    .option('-c, --config <file>', 'config file (default: $ALPR_CONFIG or built-in defaults)')
    .option('--db <file>', 'SQLite store (default: store.path from the config)')
    .action(async (options: DbOption) => {
      const loaded = loadCliConfig(env, options);
      const { config } = loaded;
      const logger = cliLogger(loaded);
      const dbFile = options.db ? resolveFrom(env.cwd, options.db) : undefined;
      const proc = await startWorkerProcess({ config, logger, dbFile });
      env.stdout(
        `purge worker for node ${config.node.id}: queue ${purgeQueueName(config.node.id)}, every ` +
          `${config.retention.purgeEveryMinutes} min, retention ${config.retention.days} d, store ${proc.store.file}` +
          (proc.http ? `, health ${proc.http.url}/health` : ''),
      );
      await new Promise<void>((resolve) => {
        // Exit code 0 after a clean shutdown ends the command normally (the event loop then drains);
        // anything else (a second signal) exits at once.
        const exit = ((code?: number) => {
          if (code !== 0) process.exit(code);
          // Everything is closed; should a library still hold a timer, do not hang on it.
          setTimeout(() => process.exit(0), 2000).unref();
          resolve();
        }) as typeof process.exit;
        handleSignals(proc.shutdown, logger, exit);
      });
    });
}
