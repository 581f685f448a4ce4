// `alpr purge --once [--dry-run]`: one retention purge without Redis, e.g. from cron or by hand. Prints a
// summary; with --json the last stdout line is the purge receipt (as appended to the audit chain).
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { createAnchorer } from '../../shared/audit/anchorer.js';
import type { PurgeReceipt } from '../../shared/policy/purge-plan.js';
import { formatDuration } from '../../shared/policy/retention-health.js';
import { systemClock } from '../../shared/runtime/clock.js';
import { PurgeService, purgeSettingsFrom } from '../../worker/purge.service.js';
import { CliError, ExitCode } from '../cli-error.js';
import { type CliEnv, cliLogger, type DbOption, loadCliConfig, openCliStore, printJson } from '../context.js';

interface PurgeOptions extends DbOption {
  once?: boolean;
  dryRun?: boolean;
  sweepOrphans?: boolean;
  json?: boolean;
}

function summary(receipt: PurgeReceipt): string[] {
  const age = receipt.oldestUnheldAgeMs === null ? 'none left' : formatDuration(receipt.oldestUnheldAgeMs);
  return [
    `purge ${receipt.runId} ${receipt.status}: ${receipt.rowsDeleted} read(s) and ${receipt.filesDeleted} crop file(s) deleted` +
      (receipt.orphanFilesDeleted ? `, ${receipt.orphanFilesDeleted} orphan crop(s)` : ''),
    `  cutoff ${receipt.cutoff} (${receipt.retentionDays} d); ${receipt.heldSkipped} expired read(s) kept under holds`,
    `  oldest unheld read: ${age}; retention ${receipt.retentionMet ? 'met' : 'NOT met'}` +
      (receipt.walTruncated ? '' : '; WAL not fully truncated (a reader held it): next run retries') +
      (receipt.filesMissing ? `; ${receipt.filesMissing} crop file(s) were already missing` : ''),
    ...(receipt.clockSkew
      ? [
          `  CLOCK BEHIND the store by ${formatDuration(receipt.clockSkew.skewMs)}: purged by ${receipt.clockSkew.usedNow} (from the ${receipt.clockSkew.source === 'stored_at' ? 'newest stored read' : 'last receipt'}), not ${receipt.clockSkew.observedNow}`,
        ]
      : []),
  ];
}

export function registerPurgeCommands(program: Command, env: CliEnv): void {
  program
    .command('purge')
    .description('Delete reads past retention (unless held) once, without Redis; appends a purge receipt')
    .option('--once', 'run one purge now (the scheduled purge is `alpr worker`)')
    .option('--dry-run', 'only report what a purge would delete; writes nothing')
    .option('--sweep-orphans', 'also delete crop files no read refers to that are older than the cutoff')
    .option('--db <file>', 'SQLite store (default: store.path from the config)')
    .option('-c, --config <file>', 'config file (default: $ALPR_CONFIG or built-in defaults)')
    .option('--json', 'last stdout line: the receipt (or the dry-run preview) as JSON')
    .action(async (options: PurgeOptions) => {
      if (!options.once) {
        throw new CliError(
          'pass --once to run one purge now; `alpr worker` runs the scheduled purge',
          ExitCode.invalidInput,
        );
      }
      const loaded = loadCliConfig(env, options);
      const { config } = loaded;
      const logger = cliLogger(loaded).child({ component: 'purge' });
      const store = openCliStore(env, options, loaded, options.dryRun ? 'read' : 'write');
      try {
        // The receipt is anchored (signed, outside the database) as soon as it is written, as the worker does.
        const anchorer = options.dryRun
          ? undefined
          : createAnchorer({
              audit: config.audit,
              nodeId: config.node.id,
              storeFile: store.file,
              db: store.db,
              auditLog: store.audit,
              clock: systemClock,
              logger,
            });
        const service = new PurgeService({
          ...purgeSettingsFrom(config),
          store,
          clock: systemClock,
          logger,
          afterReceipt: () => anchorer?.anchor('purge receipt'),
        });
        if (options.dryRun) {
          const preview = service.preview();
          env.stdout(
            `dry run: ${preview.rowsToDelete} read(s) and ${preview.filesToDelete} crop file(s) would be deleted ` +
              `(cutoff ${preview.cutoff}); ${preview.heldSkipped} expired read(s) kept under holds`,
          );
          if (options.json) printJson(env, preview);
          return;
        }
        let lastReport = Date.now();
        const outcome = await service.run({
          runId: `cli:${config.node.id}:${new Date().toISOString()}:${randomUUID().slice(0, 8)}`,
          trigger: 'cli',
          sweepOrphans: options.sweepOrphans,
          onProgress: (p) => {
            // Progress on stderr at most once a second: stdout stays for the summary and --json.
            if (Date.now() - lastReport < 1000) return;
            lastReport = Date.now();
            env.stderr(`purging: ${p.rowsDeleted} read(s) deleted in ${p.chunks} chunk(s)…`);
          },
        });
        if (outcome.kind === 'busy') {
          const h = outcome.holder;
          throw new CliError(
            `another purge is running on this store (run ${h.runId}, pid ${h.owner?.pid} on ${h.owner?.host}, ` +
              `${h.rowsDeleted} read(s) deleted so far); nothing done`,
          );
        }
        if (outcome.kind === 'completed' && outcome.closed) {
          env.stdout(
            `closed interrupted run ${outcome.closed.runId} (${outcome.closed.rowsDeleted} read(s) it had deleted)`,
          );
        }
        for (const line of summary(outcome.receipt)) env.stdout(line);
        if (options.json) printJson(env, outcome.receipt);
      } finally {
        store.close();
      }
    });
}
