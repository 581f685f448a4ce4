// `alpr audit verify|list`: check the tamper-evident audit chain and read its events (purge receipts, holds…).
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { type CliEnv, type DbOption, openCliStore, printJson } from '../context.js';

export function registerAuditCommands(program: Command, env: CliEnv): void {
  const audit = program.command('audit').description('Verify and read the tamper-evident audit chain');

  audit
    .command('verify')
    .option('--db <file>', 'SQLite store (default: store.path from the config)')
    .option('-c, --config <file>', 'config file (default: $ALPR_CONFIG or built-in defaults)')
    .option('--json', 'print the result as one JSON line')
    .description('Recompute the hash chain; exit 1 naming the first bad row if any row was altered')
    .action((options: DbOption & { json?: boolean }) => {
      const store = openCliStore(env, options);
      try {
        const verdict = store.audit.verify();
        if (options.json) printJson(env, { file: store.file, ...verdict });
        if (!verdict.ok) {
          throw new CliError(
            `audit chain BROKEN at row ${verdict.badSeq}: ${verdict.reason} (${verdict.rows} row(s) verified before it)`,
          );
        }
        if (!options.json) {
          const head = verdict.head
            ? `, head ${verdict.head.hash.slice(0, 16)}… at row ${verdict.head.seq}`
            : '';
          env.stdout(`audit chain intact: ${verdict.rows} row(s)${head} (${store.file})`);
        }
      } finally {
        store.close();
      }
    });

  audit
    .command('list')
    .option('--db <file>', 'SQLite store (default: store.path from the config)')
    .option('-c, --config <file>', 'config file (default: $ALPR_CONFIG or built-in defaults)')
    .option('--kind <kind>', 'only events of this kind, e.g. purge.receipt, hold.created')
    .option('--limit <n>', 'newest N events', (v) => Number.parseInt(v, 10), 20)
    .option('--json', 'one JSON object per line')
    .description('Print audit events, newest first')
    .action((options: DbOption & { kind?: string; limit: number; json?: boolean }) => {
      const store = openCliStore(env, options);
      try {
        const rows = store.audit.list({ kind: options.kind, limit: options.limit });
        for (const row of rows) {
          if (options.json) printJson(env, { ...row, payload: JSON.parse(row.payload) as unknown });
          else
            env.stdout(
              `#${row.seq} ${new Date(row.at).toISOString()} ${row.kind} by ${row.actor} ${row.payload}`,
            );
        }
        if (!options.json && rows.length === 0) env.stdout('no audit events');
      } finally {
        store.close();
      }
    });
}
