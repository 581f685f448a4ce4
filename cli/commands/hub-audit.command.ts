// `alpr hub audit verify|key`: check the hub's audit chain against its signed anchors (and any head given
// with --expect-head), and every edge's anchored heads; print the hub's public key. verify never migrates.
import type { Command } from 'commander';
import { hubAnchorFile } from '../../hub/audit/hub-anchor.js';
import { type HubAuditReport, verifyHubAudit } from '../../hub/audit/hub-audit-verify.js';
import { HUB_LATEST_VERSION, hubSchemaVersion } from '../../hub/db/hub-migrations.js';
import { loadHubKeys } from '../../hub/hub-keys.js';
import { CliError, ExitCode } from '../cli-error.js';
import { type CliEnv, type ConfigOption, loadCliConfig, printJson } from '../context.js';
import { hubStartupError, withHub } from './hub-cli-context.js';

function parseExpected(values: string[]): { seq: number; hash: string }[] {
  return values.map((v) => {
    const m = /^(\d+):([0-9a-f]{64})$/.exec(v.trim());
    if (!m)
      throw new CliError(
        `--expect-head "${v}": expected SEQ:HASH (64 lowercase hex digits)`,
        ExitCode.invalidInput,
      );
    return { seq: Number(m[1]), hash: m[2]! };
  });
}

function describe(report: HubAuditReport): { lines: string[]; failure?: string } {
  const lines: string[] = [];
  const { chain, anchors } = report;
  if (!chain.ok)
    return {
      lines,
      failure: `hub audit chain BROKEN at row ${chain.badSeq}: ${chain.reason} (${chain.rows} row(s) verified before it)`,
    };
  lines.push(
    `hub audit chain intact: ${chain.rows} row(s)${chain.head ? `, head ${chain.head.hash.slice(0, 16)}… at row ${chain.head.seq}` : ''}`,
  );
  for (const p of report.anchorFileProblems) lines.push(`warning: ${report.anchorFile} ${p}`);
  if (!anchors.ok) return { lines, failure: `anchors: ${anchors.reason}` };
  lines.push(
    anchors.latest
      ? `anchors agree: ${anchors.checked} head(s) checked, latest row ${anchors.latest.seq} signed ${new Date(anchors.latest.at).toISOString()} (${report.anchorFile})`
      : `no anchors yet in ${report.anchorFile}${anchors.checked > 0 ? `; ${anchors.checked} expected head(s) agree` : ''}`,
  );
  for (const e of report.edges) {
    if (!e.ok) return { lines, failure: `edge ${e.edgeId}: ${e.reason}` };
    lines.push(`edge ${e.edgeId}: ${e.heads} signed head(s), latest row ${e.latest?.seq ?? 0}`);
  }
  return { lines };
}

export function registerHubAuditCommands(hub: Command, env: CliEnv): void {
  const audit = hub
    .command('audit')
    .description('The hub audit chain, its anchors and the edges’ anchored heads');
  audit
    .command('verify')
    .option('-c, --config <file>', 'config file (default: $ALPR_CONFIG or built-in defaults)')
    .option(
      '--expect-head <seq:hash>',
      'a head the chain must contain (repeatable), e.g. from a report',
      (v, all: string[]) => [...all, v],
      [],
    )
    .option('--json', 'print the report as one JSON line')
    .description(
      'Recompute the hub chain, compare it with its signed anchors, check every edge’s heads; exit 1 on any failure',
    )
    .action(async (options: ConfigOption & { expectHead: string[]; json?: boolean }) => {
      const expected = parseExpected(options.expectHead);
      await withHub(
        env,
        options,
        async (h) => {
          const version = await hubSchemaVersion(h.db);
          if (version !== HUB_LATEST_VERSION) {
            throw new CliError(
              `hub database is at schema ${version}, this alpr expects ${HUB_LATEST_VERSION}: start the hub once to migrate it`,
            );
          }
          const report = await verifyHubAudit(h.db, h.audit, {
            anchorFile: hubAnchorFile(h.config),
            signing: h.keys.signing,
            expected,
          });
          const { lines, failure } = describe(report);
          if (options.json) printJson(env, report);
          else for (const line of lines) env.stdout(line);
          if (failure) throw new CliError(failure, ExitCode.failure);
        },
        { migrate: false, createKeys: false },
      );
    });
  audit
    .command('key')
    .option('-c, --config <file>', 'config file (default: $ALPR_CONFIG or built-in defaults)')
    .option('--json', 'print {publicKey, keyId} as one JSON line')
    .description(
      'Print the hub’s Ed25519 public key: it verifies hub anchors, reports and the registry edges fetch',
    )
    .action((options: ConfigOption & { json?: boolean }) => {
      const { config } = loadCliConfig(env, options);
      let keys: ReturnType<typeof loadHubKeys>;
      try {
        keys = loadHubKeys(config.hub.keysDir!, { create: false });
      } catch (error) {
        throw hubStartupError(error);
      }
      if (options.json)
        printJson(env, { publicKey: keys.signing.publicKeyBase64, keyId: keys.signing.keyId });
      else {
        env.stdout(keys.signing.publicKeyBase64);
        env.stdout(`key id ${keys.signing.keyId} (${keys.signing.file})`);
      }
    });
}
