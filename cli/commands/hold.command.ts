// `alpr hold add|release|list`: evidentiary holds. Validation, linking and the audit event are one transaction
// in shared/holds/hold.service.ts; this file parses options and prints.
import type { Command } from 'commander';
import { type HoldError, HoldService } from '../../shared/holds/hold.service.js';
import { describeScope } from '../../shared/policy/holds.js';
import type { HoldRecord } from '../../shared/store/holds.repository.js';
import { CliError, ExitCode } from '../cli-error.js';
import {
  type CliEnv,
  type DbOption,
  loadCliConfig,
  openCliStore,
  printJson,
  type StoreAccess,
} from '../context.js';

interface AddOptions extends DbOption {
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

function withStore<T>(
  env: CliEnv,
  options: DbOption,
  access: StoreAccess,
  fn: (service: HoldService) => T,
): T {
  const loaded = loadCliConfig(env, options);
  const store = openCliStore(env, options, loaded, access);
  try {
    const { retention } = loaded.config;
    return fn(new HoldService(store, { maxCameraRangeHours: retention.holdMaxCameraRangeHours }));
  } finally {
    store.close();
  }
}

function fail(error: HoldError): never {
  if (error.code === 'invalid') {
    throw new CliError(
      'hold request refused',
      ExitCode.invalidInput,
      error.problems.map((p) => `  --${p.field}: ${p.message}`),
    );
  }
  throw new CliError(error.message, ExitCode.failure);
}

export function holdToJson(hold: HoldRecord) {
  return {
    id: hold.id,
    status: hold.releasedAt === null ? 'active' : 'released',
    caseNumber: hold.caseNumber,
    crimeType: hold.crimeType,
    reason: hold.reason,
    requestedBy: hold.requestedBy,
    approvedBy: hold.approvedBy,
    scope: describeScope(hold.scope),
    readCount: hold.readCount,
    createdAt: new Date(hold.createdAt).toISOString(),
    reviewBy: hold.reviewBy === null ? null : new Date(hold.reviewBy).toISOString(),
    releasedAt: hold.releasedAt === null ? null : new Date(hold.releasedAt).toISOString(),
    releasedBy: hold.releasedBy,
    releaseReason: hold.releaseReason,
  };
}

function scopeText(hold: HoldRecord): string {
  const s = hold.scope;
  if (s.kind === 'reads') return `reads ${s.readIds.join(',')}`;
  const range = `${new Date(s.from).toISOString()}..${new Date(s.to).toISOString()}`;
  return `camera ${s.cameraId} ${range}${s.plate ? ` plate ${s.plate}` : ''}`;
}

export function registerHoldCommands(program: Command, env: CliEnv): void {
  const hold = program
    .command('hold')
    .description('Evidentiary holds: keep reads tied to a case past retention');
  const common = (cmd: Command) =>
    cmd
      .option('--db <file>', 'SQLite store (default: store.path from the config)')
      .option('-c, --config <file>', 'config file (default: $ALPR_CONFIG or built-in defaults)')
      .option('--json', 'print the result as one JSON line (the last line of stdout)');

  common(
    hold
      .command('add')
      .description(
        'Hold reads for a case: by read id, or by camera and time range [from, to) (optionally one plate). ' +
          'Only reads that exist within retention now are held; reads captured later are not covered.',
      )
      .option('--case <number>', 'case number (required)')
      .option('--crime-type <code>', 'crime type or statute code (required)')
      .option('--reason <text>', 'why the reads are evidence (required)')
      .option('--by <user>', 'who requests the hold (required)')
      .option('--approved-by <user>', 'who approved it; must differ from --by (required)')
      .option('--read <id...>', 'read ids to hold (repeatable, or comma-separated)', collect)
      .option('--camera <id>', 'camera whose reads to hold (with --from and --to)')
      .option(
        '--from <time>',
        'start of the range, ISO 8601 (2026-03-01T10:00:00Z); a bare date is UTC midnight',
      )
      .option('--to <time>', 'end of the range (exclusive), ISO 8601')
      .option('--plate <text>', 'only reads of this plate')
      .option('--review-by <time>', 'date by which the hold must be reviewed, ISO 8601'),
  ).action((options: AddOptions) => {
    withStore(env, options, 'write', (service) => {
      const result = service.create(
        {
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
        env.stdout(`  not held (no such read, or already past retention): ${notFoundReadIds.join(', ')}`);
      }
      if (created.scope.kind === 'camera')
        env.stdout('  reads captured after this moment are not covered by this hold');
      if (options.json) printJson(env, { hold: holdToJson(created), matched, notFoundReadIds });
    });
  });

  common(
    hold
      .command('release')
      .argument('<id>', 'hold id')
      .description(
        'Release a hold; its reads then expire normally (at the next purge if already past retention)',
      )
      .option('--by <user>', 'who releases the hold (required)')
      .option('--reason <text>', 'why (required), e.g. "case closed"'),
  ).action((id: string, options: DbOption & { by?: string; reason?: string; json?: boolean }) => {
    const holdId = /^\d+$/.test(id) ? Number(id) : Number.NaN;
    if (!Number.isSafeInteger(holdId)) throw new CliError(`"${id}" is not a hold id`, ExitCode.invalidInput);
    withStore(env, options, 'write', (service) => {
      const result = service.release(holdId, { releasedBy: options.by, reason: options.reason }, Date.now());
      if (!result.ok) fail(result.error);
      const { hold: released, readsNoLongerProtected } = result.value;
      env.stdout(
        `hold ${released.id} (case ${released.caseNumber}) released by ${released.releasedBy}; ` +
          `${readsNoLongerProtected} read(s) past retention will be deleted by the next purge`,
      );
      if (options.json) printJson(env, { hold: holdToJson(released), readsNoLongerProtected });
    });
  });

  common(
    hold
      .command('list')
      .description('List holds, newest last')
      .option('--active', 'only holds not yet released'),
  ).action((options: DbOption & { active?: boolean; json?: boolean }) => {
    withStore(env, options, 'read', (service) => {
      const holds = service.list({ activeOnly: options.active });
      if (options.json) {
        printJson(env, { holds: holds.map(holdToJson) });
        return;
      }
      if (holds.length === 0) env.stdout(options.active ? 'no active holds' : 'no holds');
      for (const h of holds) {
        const status = h.releasedAt === null ? 'active' : `released ${new Date(h.releasedAt).toISOString()}`;
        const review = h.reviewBy === null ? '' : ` review by ${new Date(h.reviewBy).toISOString()}`;
        env.stdout(
          `#${h.id} ${status} case ${h.caseNumber} (${h.crimeType}) ${h.readCount} read(s) ${scopeText(h)} ` +
            `by ${h.requestedBy}, approved by ${h.approvedBy}${review}`,
        );
      }
    });
  });
}
