// `alpr hub hold add|release|list`: evidentiary holds over the hub's reads. The rules, the pins and the
// audit entry are one transaction in hub/holds/hub-hold.service.ts; this file parses options and prints.
import type { Command } from 'commander';
import type { HubHoldError } from '../../hub/holds/hub-hold.service.js';
import { HubHoldService } from '../../hub/holds/hub-hold.service.js';
import type { HubHoldRecord } from '../../hub/holds/hub-holds.repository.js';
import { describeHubScope } from '../../shared/policy/hub-holds.js';
import { CliError, ExitCode } from '../cli-error.js';
import { type CliEnv, type ConfigOption, printJson } from '../context.js';
import { type HubCliContext, withHubDb } from './hub-cli-db.js';

interface AddOptions extends ConfigOption {
  edge?: string;
  case?: string;
  crimeType?: string;
  reason?: string;
  by?: string;
  approvedBy?: string;
  read?: string[];
  camera?: string;
  from?: string;
  to?: string;
  plate?: string;
  reviewBy?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[] = []) => [
  ...previous,
  ...value.split(',').filter(Boolean),
];

function service({ db, audit, loaded }: HubCliContext): HubHoldService {
  const { retention } = loaded.config;
  return new HubHoldService(db, audit, retention.days, {
    maxCameraRangeHours: retention.holdMaxCameraRangeHours,
  });
}

function fail(error: HubHoldError): never {
  if (error.code === 'invalid') {
    throw new CliError(
      'hold request refused',
      ExitCode.invalidInput,
      error.problems.map((p) => `  --${p.field}: ${p.message}`),
    );
  }
  throw new CliError(error.message, ExitCode.failure);
}

export function hubHoldToJson(hold: HubHoldRecord) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: hold.id,
    status: hold.releasedAt === null ? 'active' : 'released',
    edgeId: hold.edgeId,
    caseNumber: hold.caseNumber,
    crimeType: hold.crimeType,
    reason: hold.reason,
    requestedBy: hold.requestedBy,
    approvedBy: hold.approvedBy,
    scope: describeHubScope(hold.edgeId, hold.scope),
    readCount: hold.readCount,
    inEvidence: hold.inEvidence,
    createdAt: iso(hold.createdAt),
    reviewBy: iso(hold.reviewBy),
    releasedAt: iso(hold.releasedAt),
    releasedBy: hold.releasedBy,
    releaseReason: hold.releaseReason,
  };
}

function scopeText(hold: HubHoldRecord): string {
  const s = hold.scope;
  if (s.kind === 'reads') return `edge ${hold.edgeId} reads ${s.readIds.join(',')}`;
  const range = `${new Date(s.from).toISOString()}..${new Date(s.to).toISOString()}`;
  return `camera ${hold.edgeId}/${s.cameraId} ${range}${s.plate ? ` plate ${s.plate}` : ''}`;
}

/** `alpr hub hold …` on the command `alpr hub` returns. */
export function registerHubHoldCommands(hub: Command, env: CliEnv): void {
  const hold = hub
    .command('hold')
    .description('Evidentiary holds over the hub’s reads: keep reads tied to a case past retention');
  const common = (cmd: Command) =>
    cmd
      .option('-c, --config <file>', 'config file (default: $ALPR_CONFIG or built-in defaults)')
      .option('--json', 'print the result as one JSON line (the last line of stdout)');

  common(
    hold
      .command('add')
      .description(
        'Hold reads of one edge for a case: by edge read id, or by camera and time range [from, to) (optionally ' +
          'one plate, matched O=0 and I=1 as a search would). Only reads the hub has within retention now are held.',
      )
      .option('--edge <id>', 'the edge the reads came from (required)')
      .option('--case <number>', 'case number (required)')
      .option('--crime-type <code>', 'crime type or statute code (required)')
      .option('--reason <text>', 'why the reads are evidence (required)')
      .option('--by <user>', 'who requests the hold (required)')
      .option('--approved-by <user>', 'who approved it; must differ from --by (required)')
      .option('--read <id...>', 'edge read ids to hold (repeatable, or comma-separated)', collect)
      .option('--camera <id>', 'camera of the edge whose reads to hold (with --from and --to)')
      .option(
        '--from <time>',
        'start of the range, ISO 8601 (2026-03-01T10:00:00Z); a bare date is UTC midnight',
      )
      .option('--to <time>', 'end of the range (exclusive), ISO 8601')
      .option('--plate <text>', 'only reads of this plate')
      .option('--review-by <time>', 'date by which the hold must be reviewed, ISO 8601'),
  ).action((options: AddOptions) =>
    withHubDb(env, options, async (ctx) => {
      const result = await service(ctx).create(
        {
          edgeId: options.edge,
          caseNumber: options.case,
          crimeType: options.crimeType,
          reason: options.reason,
          requestedBy: options.by,
          approvedBy: options.approvedBy,
          readIds: options.read,
          cameraId: options.camera,
          from: options.from,
          to: options.to,
          plate: options.plate,
          reviewBy: options.reviewBy,
        },
        Date.now(),
      );
      if (!result.ok) fail(result.error);
      const { hold: created, matched, notFoundReadIds } = result.value;
      env.stdout(
        `hold ${created.id} created for case ${created.caseNumber}: ${matched} read(s) held (${scopeText(created)})`,
      );
      if (notFoundReadIds.length > 0) {
        env.stdout(`  not held (not at the hub, or already past retention): ${notFoundReadIds.join(', ')}`);
      }
      if (created.scope.kind === 'camera')
        env.stdout('  reads captured after this moment are not covered by this hold');
      if (options.json) printJson(env, { hold: hubHoldToJson(created), matched, notFoundReadIds });
    }),
  );

  common(
    hold
      .command('release')
      .argument('<id>', 'hold id')
      .description('Release a hold; its reads past retention (and under no other hold) are deleted with it')
      .option('--by <user>', 'who releases the hold (required)')
      .option('--reason <text>', 'why (required), e.g. "case closed"'),
  ).action((id: string, options: ConfigOption & { by?: string; reason?: string; json?: boolean }) => {
    const holdId = /^\d+$/.test(id) ? Number(id) : Number.NaN;
    if (!Number.isSafeInteger(holdId)) throw new CliError(`"${id}" is not a hold id`, ExitCode.invalidInput);
    return withHubDb(env, options, async (ctx) => {
      const result = await service(ctx).release(
        holdId,
        { releasedBy: options.by, reason: options.reason },
        Date.now(),
      );
      if (!result.ok) fail(result.error);
      const { hold: released, readsDeleted } = result.value;
      env.stdout(
        `hold ${released.id} (case ${released.caseNumber}) released by ${released.releasedBy}; ` +
          `${readsDeleted} read(s) past retention deleted with it`,
      );
      if (options.json) printJson(env, { hold: hubHoldToJson(released), readsDeleted });
    });
  });

  common(
    hold
      .command('list')
      .description('List holds, oldest first')
      .option('--active', 'only holds not yet released')
      .option('--edge <id>', 'only holds of this edge'),
  ).action((options: ConfigOption & { active?: boolean; edge?: string; json?: boolean }) =>
    withHubDb(env, options, async (ctx) => {
      const holds = await service(ctx).list({ activeOnly: options.active, edgeId: options.edge });
      if (options.json) {
        printJson(env, { holds: holds.map(hubHoldToJson) });
        return;
      }
      if (holds.length === 0) env.stdout(options.active ? 'no active holds' : 'no holds');
      for (const h of holds) {
        const status = h.releasedAt === null ? 'active' : `released ${new Date(h.releasedAt).toISOString()}`;
        const review = h.reviewBy === null ? '' : ` review by ${new Date(h.reviewBy).toISOString()}`;
        env.stdout(
          `#${h.id} ${status} case ${h.caseNumber} (${h.crimeType}) ${h.readCount} read(s), ${h.inEvidence} in evidence, ` +
            `${scopeText(h)} by ${h.requestedBy}, approved by ${h.approvedBy}${review}`,
        );
      }
    }),
  );
}
