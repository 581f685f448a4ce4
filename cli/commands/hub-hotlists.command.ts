// `alpr hub hotlists import FILE --source NAME --agency ORI` and `alpr hub hotlists list --agency ORI`:
// the administrator's way to load (refresh) an agency's hotlist from a CSV file, with the same checks and
// audit entry as POST /api/v1/hotlists/import (hub/hotlists/hotlist-import.service.ts). A refused source
// or a file with no valid entry exits 2; refused lines are printed with their numbers and reasons.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseHotlistCsv } from '../../hub/hotlists/hotlist-csv.js';
import { importHotlist } from '../../hub/hotlists/hotlist-import.service.js';
import { hotlistKey } from '../../hub/hotlists/hotlist-key.js';
import { resolveFrom } from '../../shared/runtime/paths.js';
import { CliError, ExitCode } from '../cli-error.js';
import { type CliEnv, type ConfigOption, printJson } from '../context.js';
import { withHub } from './hub-cli-context.js';

interface ImportOptions extends ConfigOption {
  source: string;
  agency: string;
  by?: string;
  json?: boolean;
}

export function registerHubHotlistCommands(hub: Command, env: CliEnv): void {
  const hotlists = hub
    .command('hotlists')
    .description('Hotlists: import (refresh) an agency’s list from an allowlisted source, list them');
  hotlists
    .command('import')
    .argument('<file>', 'CSV with a header: plate,reason,case_number,source,expiry')
    .requiredOption('--source <name>', 'the list’s source id (must be in access.hotlist.sources)')
    .requiredOption('--agency <ori>', 'the agency whose list this is (ORI)')
    .option('--by <user>', 'who imports it (recorded in the audit chain; default cli:<login>)')
    .option('-c, --config <file>', 'config file (default: $ALPR_CONFIG or built-in defaults)')
    .option('--json', 'print the result as one JSON line')
    .description(
      'Replace the agency’s list from SOURCE with FILE; refused lines are named; exit 2 if nothing imports',
    )
    .action(async (file: string, options: ImportOptions) => {
      const source = resolveFrom(env.cwd, file);
      let text: string;
      try {
        text = readFileSync(source, 'utf8');
      } catch (error) {
        throw new CliError(`cannot read ${source}: ${(error as Error).message}`, ExitCode.invalidInput);
      }
      const parsed = parseHotlistCsv(text);
      if (!parsed.ok) throw new CliError(`${file}:${parsed.line}: ${parsed.message}`, ExitCode.invalidInput);
      await withHub(
        env,
        options,
        async (h) => {
          const hot = h.config.access.hotlist;
          const actor = { user: options.by ?? h.actor, role: null, userId: null };
          const now = h.clock();
          const result = await h.db.transaction((tx) =>
            importHotlist(
              tx,
              {
                audit: h.audit,
                key: hotlistKey(h.keys),
                rules: { maxEntryDays: hot.maxEntryDays, sources: hot.sources },
              },
              { ori: options.agency, source: options.source.trim(), rows: parsed.rows, actor },
              now,
            ),
          );
          const lines = result.refused.map((r) => `${file}:${r.line}: ${r.field}: ${r.code}: ${r.message}`);
          if (!result.ok) throw new CliError(`${file}: ${result.message}`, ExitCode.invalidInput, lines);
          if (options.json) {
            printJson(env, { ...result, refreshedAt: new Date(result.refreshedAt).toISOString() });
            return;
          }
          for (const line of lines) env.stderr(line);
          env.stdout(
            `imported ${result.imported} entr${result.imported === 1 ? 'y' : 'ies'} into ${options.source} of ${options.agency.toUpperCase()}` +
              ` (${result.removed} no longer listed, ${result.refused.length} line problem(s)); refresh at least daily`,
          );
        },
        { createKeys: false },
      ).catch((error: unknown) => {
        if (error instanceof CliError && /secrets key not found|signing key/.test(error.message)) {
          throw new CliError(
            `${error.message}: start the hub once (alpr hub) to create its keys`,
            ExitCode.failure,
          );
        }
        throw error;
      });
    });
  hotlists
    .command('list')
    .requiredOption('--agency <ori>', 'the agency (ORI)')
    .option('-c, --config <file>', 'config file (default: $ALPR_CONFIG or built-in defaults)')
    .option('--json', 'one JSON object per line')
    .description('The agency’s lists: source, refreshed, stale, active entries')
    .action((options: ConfigOption & { agency: string; json?: boolean }) =>
      withHub(
        env,
        options,
        async (h) => {
          const now = h.clock();
          const rows = await h.db.query<{ source: string; refreshed_at: Date; active: number }>(
            `SELECT l.source, l.refreshed_at,
                    (SELECT count(*)::int FROM hotlist_entries e
                      WHERE e.hotlist_id = l.id AND e.expired_at IS NULL AND e.expires_at > $2) AS active
               FROM hotlists l JOIN agencies a ON a.id = l.agency_id WHERE a.ori = $1 ORDER BY l.source`,
            [options.agency.trim().toUpperCase(), new Date(now)],
          );
          const staleMs = h.config.access.hotlist.staleAfterHours * 3_600_000;
          for (const r of rows) {
            const stale = now - r.refreshed_at.getTime() > staleMs;
            if (options.json)
              printJson(env, {
                source: r.source,
                refreshedAt: r.refreshed_at.toISOString(),
                stale,
                activeEntries: r.active,
              });
            else
              env.stdout(
                `${r.source}  refreshed ${r.refreshed_at.toISOString()}${stale ? ' STALE' : ''}  ${r.active} active`,
              );
          }
          if (rows.length === 0 && !options.json) env.stdout('no hotlists');
        },
        { createKeys: false },
      ),
    );
}
