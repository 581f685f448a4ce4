// `alpr hub report quarterly|verify|sample|sample-check|anomalies`: write the signed quarterly compliance
// report (JSON + PDF), verify a report file against its detached signature, draw a case-number sample and
// record pass/fail per item, and refresh/print the weekly anomaly queue. Opened like every hub admin
// command (hub-cli-context.ts); verify needs only the file, its .sig and the hub's public key.
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadHubKeys } from '../../hub/hub-keys.js';
import { refreshAnomalies } from '../../hub/oversight/anomaly-queue.service.js';
import { checkSampleItem, drawCaseSample } from '../../hub/oversight/oversight.service.js';
import { writeQuarterlyReport } from '../../hub/oversight/report.service.js';
import { parsePublicKey } from '../../shared/audit/signed-head.js';
import { verifyReport } from '../../shared/crypto/report-signature.js';
import { DAY_MS } from '../../shared/runtime/clock.js';
import { CliError, ExitCode } from '../cli-error.js';
import { type CliEnv, type ConfigOption, cliLogger, loadCliConfig, printJson } from '../context.js';
import { hubStartupError, withHub } from './hub-cli-context.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A period bound: YYYY-MM-DD is a UTC day (as --to, the whole day is included), or an ISO date-time.
 * @example parseBound('2026-03-31', 'to') // Date.UTC(2026, 3, 1)
 */
export function parseBound(value: string | undefined, name: 'from' | 'to'): number {
  if (!value) throw new CliError(`--${name} DATE is required (YYYY-MM-DD)`, ExitCode.invalidInput);
  const t = DATE_ONLY.test(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
  if (!Number.isFinite(t) || (!DATE_ONLY.test(value) && !/[zZ]|[+-]\d{2}:?\d{2}$/.test(value))) {
    throw new CliError(
      `--${name} "${value}": expected YYYY-MM-DD or an ISO date-time with a zone`,
      ExitCode.invalidInput,
    );
  }
  return DATE_ONLY.test(value) && name === 'to' ? t + DAY_MS : t;
}

type Common = ConfigOption & { json?: boolean };

export function registerHubReportCommands(hub: Command, env: CliEnv): void {
  const report = hub
    .command('report')
    .description('Oversight: quarterly compliance reports, case-number samples, the anomaly queue');
  const common = (cmd: Command) =>
    cmd
      .option('-c, --config <file>', 'config file (default: $ALPR_CONFIG or built-in defaults)')
      .option('--json', 'print the result as one JSON line (the last line of stdout)');

  common(
    report
      .command('quarterly')
      .requiredOption('--from <date>', 'first day of the period (YYYY-MM-DD, UTC)')
      .requiredOption('--to <date>', 'last day of the period, included (YYYY-MM-DD, UTC)')
      .option('--out <dir>', 'where to write the files (default: <hub.dataDir>/reports)')
      .description(
        'Write the signed quarterly compliance report (JSON + PDF + .sig files); exit 1 when it FAILED',
      ),
  ).action((options: Common & { from: string; to: string; out?: string }) => {
    const from = parseBound(options.from, 'from');
    const to = parseBound(options.to, 'to');
    if (to <= from) throw new CliError('--to must be after --from', ExitCode.invalidInput);
    return withHub(env, options, async (h) => {
      const written = await writeQuarterlyReport(
        { ...h, logger: cliLogger(h.loaded, 'warn') },
        { from, to, outDir: options.out, actor: h.actor },
      );
      const r = written.report;
      env.stdout(
        `quarterly report ${r.period.from.slice(0, 10)} .. ${r.period.to.slice(0, 10)}: ${r.result}`,
      );
      env.stdout(`  ${written.jsonFile} (sha256 ${written.jsonSignature.sha256})`);
      env.stdout(`  ${written.pdfFile} (sha256 ${written.pdfSignature.sha256})`);
      env.stdout(`  signatures: .sig next to each; audit row ${written.auditSeq}; report id ${written.id}`);
      for (const f of r.failures) env.stdout(`  FAILED: ${f}`);
      for (const v of r.retention.violations.slice(0, 20)) env.stdout(`    ${v.message}`);
      if (written.incidentId !== null) env.stdout(`  incident ${written.incidentId} opened`);
      if (options.json) {
        printJson(env, {
          id: written.id,
          result: r.result,
          failures: r.failures,
          jsonFile: written.jsonFile,
          pdfFile: written.pdfFile,
          jsonSha256: written.jsonSignature.sha256,
          pdfSha256: written.pdfSignature.sha256,
          auditSeq: written.auditSeq,
          incidentId: written.incidentId,
        });
      }
      if (r.result === 'FAILED') throw new CliError('the quarterly report FAILED', ExitCode.failure);
    });
  });

  common(
    report
      .command('verify <file>')
      .option('--sig <file>', 'the detached signature (default: FILE.sig)')
      .option('--public-key <key>', 'the hub public key, base64 or PEM (default: the hub key of the config)')
      .description('Check a report file against its detached Ed25519 signature; exit 1 on any change'),
  ).action((file: string, options: Common & { sig?: string; publicKey?: string }) => {
    const sigFile = options.sig ?? `${file}.sig`;
    for (const f of [file, sigFile]) {
      if (!existsSync(f)) throw new CliError(`${f}: no such file`, ExitCode.invalidInput);
    }
    let publicKey: ReturnType<typeof parsePublicKey>;
    try {
      if (options.publicKey) publicKey = parsePublicKey(options.publicKey);
      else {
        const { config } = loadCliConfig(env, options);
        publicKey = loadHubKeys(config.hub.keysDir!, { create: false }).signing.publicKey;
      }
    } catch (error) {
      const mapped = hubStartupError(error);
      throw mapped instanceof CliError
        ? mapped
        : new CliError((error as Error).message, ExitCode.invalidInput);
    }
    let sig: unknown;
    try {
      sig = JSON.parse(readFileSync(sigFile, 'utf8'));
    } catch {
      throw new CliError(`${sigFile}: not a JSON signature file`, ExitCode.failure);
    }
    const check = verifyReport(readFileSync(file), sig, publicKey);
    if (options.json) printJson(env, { file, ...check });
    if (!check.ok) throw new CliError(`${file}: NOT verified: ${check.reason}`, ExitCode.failure);
    env.stdout(
      `${file}: verified (sha256 ${check.sha256}, key ${check.keyId}, signed ${new Date(check.signedAt).toISOString()})`,
    );
  });

  common(
    report
      .command('sample')
      .requiredOption('--from <date>', 'first day (YYYY-MM-DD, UTC)')
      .requiredOption('--to <date>', 'last day, included (YYYY-MM-DD, UTC)')
      .option('--size <n>', 'searches to draw', '25')
      .description('Draw a random sample of allowed searches for case-number verification (CMP-04)'),
  ).action((options: Common & { from: string; to: string; size: string }) => {
    const size = Number(options.size);
    if (!Number.isInteger(size) || size < 1 || size > 500)
      throw new CliError('--size must be an integer 1-500', ExitCode.invalidInput);
    const from = parseBound(options.from, 'from');
    const to = parseBound(options.to, 'to');
    return withHub(env, options, async (h) => {
      const sample = await drawCaseSample(h, { username: h.actor }, { from, to, size });
      env.stdout(`sample ${sample.id}: ${sample.items.length} of ${sample.population} allowed search(es)`);
      for (const i of sample.items)
        env.stdout(`  ${i.auditSeq}  ${i.searchedAt}  ${i.agency ?? '-'}  case ${i.caseNumber ?? '(none)'}`);
      if (options.json) printJson(env, sample);
    });
  });

  common(
    report
      .command('sample-check <sample> <seq> <verdict>')
      .option('--note <text>', 'what was checked')
      .description('Record pass or fail for one sampled search (its audit row)'),
  ).action((sample: string, seq: string, verdict: string, options: Common & { note?: string }) => {
    if (verdict !== 'pass' && verdict !== 'fail')
      throw new CliError('verdict must be pass or fail', ExitCode.invalidInput);
    return withHub(env, options, async (h) => {
      const out = await checkSampleItem(
        h,
        { username: h.actor },
        { sampleId: Number(sample), auditSeq: Number(seq), verdict, note: options.note },
      ).catch((error: Error) => {
        throw new CliError(error.message, ExitCode.failure);
      });
      env.stdout(`sample ${sample} item ${seq}: ${verdict} (audit row ${out.auditSeq})`);
      if (options.json) printJson(env, out);
    });
  });

  common(
    report
      .command('anomalies')
      .option('--week <date>', 'a day of the week to review (default: this week)')
      .description('Run the anomaly detectors over a week and print its review queue (CMP-01)'),
  ).action((options: Common & { week?: string }) => {
    const at = options.week ? parseBound(options.week, 'from') : undefined;
    return withHub(env, options, async (h) => {
      const queue = await refreshAnomalies(h, { username: h.actor }, at ?? h.clock());
      env.stdout(`anomaly queue, week of ${queue.week}: ${queue.items.length} item(s), ${queue.open} open`);
      for (const i of queue.items)
        env.stdout(`  #${i.id} ${i.detector} ${i.subject}: ${i.detail} [${i.status}]`);
      if (options.json) printJson(env, queue);
    });
  });
}
