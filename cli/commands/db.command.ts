// `alpr db info`: what an operator checks first: schema version, pragmas, row counts.
import type { Command } from 'commander';
import { type CliEnv, type DbOption, openCliStore, printJson } from '../context.js';

export function registerDbCommands(program: Command, env: CliEnv): void {
  const db = program.command('db').description('Inspect the SQLite store');
  db.command('info')
    .option('--db <file>', 'SQLite store (default: store.path from the config)')
    .option('-c, --config <file>', 'config file (default: $ALPR_CONFIG or built-in defaults)')
    .option('--json', 'print as one JSON line')
    .description('Create/migrate the store if needed and print its schema version, pragmas and row counts')
    .action((options: DbOption & { json?: boolean }) => {
      const store = openCliStore(env, options);
      try {
        const pragma = (name: string) => store.db.pragma(name, { simple: true }) as unknown;
        const count = (table: string) =>
          (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
        const info = {
          file: store.file,
          userVersion: pragma('user_version'),
          journalMode: pragma('journal_mode'),
          secureDelete: pragma('secure_delete'),
          foreignKeys: pragma('foreign_keys'),
          counts: Object.fromEntries(
            ['cameras', 'compliance_verdicts', 'reads', 'holds', 'hold_reads', 'audit_events'].map((t) => [
              t,
              count(t),
            ]),
          ),
        };
        if (options.json) printJson(env, info);
        else {
          env.stdout(`store ${info.file}`);
          env.stdout(
            `  schema version ${String(info.userVersion)}, journal ${String(info.journalMode)}, ` +
              `secure_delete ${String(info.secureDelete)}, foreign_keys ${String(info.foreignKeys)}`,
          );
          for (const [table, n] of Object.entries(info.counts)) env.stdout(`  ${table.padEnd(20)} ${n}`);
        }
      } finally {
        store.close();
      }
    });
}
