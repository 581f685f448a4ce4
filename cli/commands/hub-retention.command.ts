// `alpr hub retention run|status`: run hub retention now (it takes the same lease as the hub's schedule,
// so it never runs beside it), or show the last run's receipt and the day partitions.
import type { Command } from 'commander';
import { HubRetentionService, lastRetentionRun } from '../../hub/retention/retention.service.js';
import { listReadPartitions } from '../../hub/store/read-partitions.js';
import { retentionCutoff } from '../../shared/policy/retention.js';
import { systemClock } from '../../shared/runtime/clock.js';
import { CliError, ExitCode } from '../cli-error.js';
import { type CliEnv, type ConfigOption, cliLogger, printJson } from '../context.js';
import { withHubDb } from './hub-cli-db.js';

type Options = ConfigOption & { json?: boolean };

export function registerHubRetentionCommands(hub: Command, env: CliEnv): void {
  const retention = hub
    .command('retention')
    .description('Hub retention: reads kept retention.days, by day partition');
  const common = (cmd: Command) =>
    cmd
      .option('-c, --config <file>', 'config file (default: $ALPR_CONFIG or built-in defaults)')
      .option('--json', 'print the result as one JSON line (the last line of stdout)');

  common(
    retention
      .command('run')
      .description(
        'Run hub retention now: drop expired days (held reads kept as evidence), trim the boundary day',
      ),
  ).action((options: Options) =>
    withHubDb(env, options, async ({ db, audit, loaded }) => {
      const { config } = loaded;
      const service = new HubRetentionService({
        db,
        audit,
        clock: systemClock,
        logger: cliLogger(loaded, 'warn'),
        retentionDays: config.retention.days,
        partitionsAheadDays: config.hub.retention.partitionsAheadDays,
        leaseMs: config.hub.retention.leaseSeconds * 1000,
        lockTimeoutMs: config.hub.retention.lockTimeoutMs,
      });
      const outcome = await service.run(`cli:${Date.now()}:${process.pid}`, 'cli');
      if (outcome.kind === 'busy') {
        throw new CliError(
          `hub retention is running in ${outcome.holder.owner} (run ${outcome.holder.runId}); try again later`,
          ExitCode.failure,
        );
      }
      const r = outcome.receipt;
      env.stdout(
        `hub retention: ${r.daysDropped} day(s) dropped (${r.rowsDropped} reads), ${r.rowsTrimmed} trimmed, ` +
          `${r.evidenceDeleted} released evidence deleted, ${r.heldKept} held kept; cutoff ${r.cutoff}; ` +
          `retention ${r.retentionMet ? 'met' : 'NOT met'}`,
      );
      if (r.clock.status === 'backwards') {
        env.stdout(
          `  clock is ${Math.round(r.clock.byMs / 1000)} s behind the last run (${r.clock.lastRunAt})`,
        );
      }
      for (const e of r.errors) env.stdout(`  error: ${e}`);
      if (options.json) printJson(env, r);
      if (!r.retentionMet) throw new CliError('hub retention not met', ExitCode.failure);
    }),
  );

  common(retention.command('status').description('The last hub retention run and the day partitions')).action(
    (options: Options) =>
      withHubDb(env, options, async ({ db, loaded }) => {
        const last = await lastRetentionRun(db);
        const partitions = await listReadPartitions(db);
        const evidence = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM evidence_reads'))[0]!
          .n;
        const cutoff = new Date(retentionCutoff(Date.now(), loaded.config.retention.days)).toISOString();
        const days = partitions.map((p) => new Date(p.day).toISOString().slice(0, 10));
        const status = {
          retentionDays: loaded.config.retention.days,
          cutoff,
          lastRun: last ?? null,
          days,
          evidenceReads: evidence,
        };
        if (options.json) {
          printJson(env, status);
          return;
        }
        env.stdout(`retention ${status.retentionDays} d, cutoff now ${cutoff}`);
        env.stdout(
          last
            ? `last run ${last.now} (${last.trigger}): ${last.daysDropped} day(s) dropped, retention ${last.retentionMet ? 'met' : 'NOT met'}`
            : 'no retention run yet',
        );
        env.stdout(
          `${days.length} day partition(s): ${days[0] ?? '-'} .. ${days.at(-1) ?? '-'}; ${evidence} read(s) in evidence`,
        );
      }),
  );
}
