// `alpr db info|migrate`: what an operator checks first (schema version, pragmas, row counts; read-only),
// and the one command besides the edge, the worker and `sites import` that creates a store.
import type { Command } from 'commander';
import { LATEST_VERSION } from '../../shared/store/migrations.js';
import { type CliEnv, type DbOption, loadCliConfig, openCliStore, printJson } from '../context.js';

export function registerDbCommands(program: Command, env: CliEnv): void {
  const db = program.command('db').description('Inspect and set up the SQLite store');
  const store = (cmd: Command) =>
    cmd
      .option('--db <file>', 'SQLite store (default: store.path from the config)')
      .option('-c, --config <file>', 'config file (default: $ALPR_CONFIG or built-in defaults)')
      .option('--json', 'print as one JSON line');

  store(db.command('info'))
    .description('Print the schema version, pragmas and row counts of an existing store (read-only)')
    .action((options: DbOption & { json?: boolean }) => {
      const opened = openCliStore(env, options, loadCliConfig(env, options), 'read');
      try {
        const pragma = (name: string) => opened.db.pragma(name, { simple: true }) as unknown;
        const count = (table: string) =>
          (opened.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
        const info = {
          file: opened.file,
          userVersion: pragma('user_version'),
          latestVersion: LATEST_VERSION,
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
          const behind =
            info.userVersion !== LATEST_VERSION ? ` (this alpr migrates it to ${LATEST_VERSION})` : '';
          env.stdout(`store ${info.file}`);
          env.stdout(
            `  schema version ${String(info.userVersion)}${behind}, journal ${String(info.journalMode)}, ` +
              `secure_delete ${String(info.secureDelete)}, foreign_keys ${String(info.foreignKeys)}`,
          );
          for (const [table, n] of Object.entries(info.counts)) env.stdout(`  ${table.padEnd(20)} ${n}`);
        }
      } finally {
        opened.close();
      }
    });

  store(db.command('migrate'))
    .description('Create the store if it does not exist and bring its schema to the latest version')
    .action((options: DbOption & { json?: boolean }) => {
      const opened = openCliStore(env, options, loadCliConfig(env, options), 'create');
      try {
        const version = opened.db.pragma('user_version', { simple: true }) as number;
        if (options.json) printJson(env, { file: opened.file, userVersion: version });
        else env.stdout(`store ${opened.file}: schema version ${version}`);
      } finally {
        opened.close();
      }
    });
}
