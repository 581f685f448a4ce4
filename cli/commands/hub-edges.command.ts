// `alpr hub agencies add|list` and `alpr hub edges add|list|disable|rotate|pin`: enrol edge boxes at the
// hub. `edges add` and `edges rotate` print the edge's secret once (or write it to a 0600 file).
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Command } from 'commander';
import { AgencyError, addAgency, listAgencies } from '../../hub/agencies/agencies.service.js';
import {
  disableEnrolledEdge,
  type EnrolmentCredentials,
  EnrolmentError,
  edgeSecretOpens,
  enrolEdge,
  pinEdgeHeadKey,
  rotateEdgeSecret,
} from '../../hub/edges/edge-enrolment.service.js';
import { type EdgeStatusRow, listEdgeStatus } from '../../hub/edges/edges.repository.js';
import { resolveFrom } from '../../shared/runtime/paths.js';
import { CliError, ExitCode } from '../cli-error.js';
import { type CliEnv, type ConfigOption, printJson } from '../context.js';
import { withHub } from './hub-cli-context.js';

interface JsonOption extends ConfigOption {
  json?: boolean;
}

const configOption = (c: Command) =>
  c.option('-c, --config <file>', 'config file (default: $ALPR_CONFIG or built-in defaults)');

function refused(error: unknown): unknown {
  if (error instanceof AgencyError) return new CliError(error.message, ExitCode.invalidInput, error.problems);
  if (error instanceof EnrolmentError) return new CliError(error.message, ExitCode.invalidInput);
  return error;
}

function writeSecretFile(file: string, secret: string): void {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (error) {
    throw new CliError(`cannot create ${file}: ${(error as Error).message}`, ExitCode.invalidInput);
  }
  try {
    writeSync(fd, `${secret}\n`);
  } finally {
    closeSync(fd);
  }
}

function printCredentials(
  env: CliEnv,
  creds: EnrolmentCredentials,
  options: { json?: boolean; secretFile?: string },
  what: string,
): void {
  if (options.secretFile) writeSecretFile(resolveFrom(env.cwd, options.secretFile), creds.secret);
  if (options.json) {
    printJson(env, {
      ...creds,
      secret: options.secretFile ? undefined : creds.secret,
      secretFile: options.secretFile,
    });
    return;
  }
  env.stdout(what);
  if (options.secretFile) {
    env.stdout(
      `Secret written to ${options.secretFile} (mode 0600): copy it to the edge's forward.edgeKeyPath.`,
    );
  } else {
    env.stdout('Edge secret (shown once; write it to the edge’s forward.edgeKeyPath file, mode 0600):');
    env.stdout(`  ${creds.secret}`);
  }
  env.stdout(`Hub registry public key (the edge’s sites.hub.publicKey), key id ${creds.hubKeyId}:`);
  env.stdout(`  ${creds.hubPublicKey}`);
}

const ago = (ms: number | null, now: number) => {
  if (ms === null) return 'never';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 120) return `${s}s ago`;
  if (s < 7200) return `${Math.round(s / 60)}m ago`;
  if (s < 172_800) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86_400)}d ago`;
};

function edgeLine(e: EdgeStatusRow, now: number, secretOk: boolean): string {
  const state = e.disabledAt !== null ? 'disabled' : secretOk ? 'enabled' : 'enabled (secret unreadable!)';
  const backlog =
    e.backlogReads === null
      ? 'backlog ?'
      : `backlog ${e.backlogReads}${e.oldestUnforwardedAt !== null ? ` (oldest waiting since ${ago(e.oldestUnforwardedAt, now)})` : ''}`;
  return [
    e.id.padEnd(16),
    e.agencyOri,
    state,
    `last seen ${ago(e.lastSeenAt, now)}`,
    `reads ${e.readsAccepted} (+${e.readsDuplicate} dup, ${e.readsRefused} refused)`,
    `cursor r${e.readCursor}/v${e.verdictCursor}/p${e.receiptCursor}`,
    backlog,
    `head ${e.headSeq}${e.headKeyId ? ` key ${e.headKeyId}` : ' key unpinned'}`,
  ].join('  ');
}

export function registerHubEdgeCommands(hub: Command, env: CliEnv): void {
  const agencies = hub
    .command('agencies')
    .description('Agencies at the hub (California law enforcement only, SH-01)');
  configOption(
    agencies
      .command('add')
      .requiredOption('--ori <ori>', 'NCIC ORI, 9 characters starting with CA')
      .requiredOption('--name <name>', 'agency name')
      .requiredOption('--type <type>', 'local_le or state_le')
      .option('--home', 'the agency whose cameras these are (one only)')
      .option('--json', 'print the agency as one JSON line')
      .description('Add an agency; federal, out-of-state and private entities are refused'),
  ).action(async (options: JsonOption & { ori: string; name: string; type: string; home?: boolean }) => {
    await withHub(env, options, async (h) => {
      const agency = await addAgency(
        h,
        { ori: options.ori, name: options.name, type: options.type, home: options.home },
        h.actor,
      ).catch((error: unknown) => {
        throw refused(error);
      });
      if (options.json) printJson(env, agency);
      else
        env.stdout(
          `agency ${agency.ori} added: ${agency.name} (${agency.type}${agency.isHome ? ', home' : ''})`,
        );
    });
  });
  configOption(
    agencies.command('list').option('--json', 'one JSON object per line').description('List agencies'),
  ).action(async (options: JsonOption) => {
    await withHub(env, options, async (h) => {
      const rows = await listAgencies(h.db);
      for (const a of rows) {
        if (options.json) printJson(env, a);
        else env.stdout(`${a.ori}  ${a.type.padEnd(8)}  ${a.isHome ? 'home  ' : '      '}${a.name}`);
      }
      if (rows.length === 0 && !options.json) env.stdout('no agencies');
    });
  });

  const edges = hub
    .command('edges')
    .description('Edge boxes enrolled at the hub: keys and forwarding status');
  configOption(
    edges
      .command('add <edgeId>')
      .requiredOption('--agency <ori>', 'ORI of the agency that owns the box')
      .option('--label <text>', 'where the box is, for people')
      .option('--write-secret <file>', 'write the secret to this new file (mode 0600) instead of printing it')
      .option('--json', 'print the credentials as one JSON line')
      .description('Enrol an edge (EDGE_ID = its node.id); prints its secret and the hub public key once'),
  ).action(
    async (
      edgeId: string,
      options: JsonOption & { agency: string; label?: string; writeSecret?: string },
    ) => {
      await withHub(env, options, async (h) => {
        const creds = await enrolEdge(
          h,
          { edgeId, agencyOri: options.agency, label: options.label },
          h.actor,
        ).catch((error: unknown) => {
          throw refused(error);
        });
        printCredentials(
          env,
          creds,
          { json: options.json, secretFile: options.writeSecret },
          `edge ${edgeId} enrolled for ${options.agency.toUpperCase()}.`,
        );
      });
    },
  );
  configOption(
    edges
      .command('list')
      .option('--json', 'one JSON object per line')
      .description('Edges with forwarding status: last seen, cursors, backlog'),
  ).action(async (options: JsonOption) => {
    await withHub(env, options, async (h) => {
      const rows = await listEdgeStatus(h.db);
      const now = h.clock();
      for (const e of rows) {
        const secretOk = await edgeSecretOpens(h, e.id);
        if (options.json) printJson(env, { ...e, headPublicKey: undefined, secretReadable: secretOk });
        else env.stdout(edgeLine(e, now, secretOk));
      }
      if (rows.length === 0 && !options.json)
        env.stdout('no edges enrolled (alpr hub edges add EDGE_ID --agency ORI)');
    });
  });
  configOption(
    edges
      .command('disable <edgeId>')
      .option('--reason <text>', 'why (goes into the audit chain)', 'disabled by an administrator')
      .description('Refuse every further request from an edge (what it forwarded stays)'),
  ).action(async (edgeId: string, options: ConfigOption & { reason: string }) => {
    await withHub(env, options, async (h) => {
      const outcome = await disableEnrolledEdge(h, edgeId, h.actor, options.reason).catch(
        (error: unknown) => {
          throw refused(error);
        },
      );
      env.stdout(outcome === 'already' ? `edge ${edgeId} was already disabled` : `edge ${edgeId} disabled`);
    });
  });
  configOption(
    edges
      .command('rotate <edgeId>')
      .option(
        '--write-secret <file>',
        'write the new secret to this new file (mode 0600) instead of printing it',
      )
      .option('--json', 'print the credentials as one JSON line')
      .description('Issue a new secret for an edge; the old one stops working at once'),
  ).action(async (edgeId: string, options: JsonOption & { writeSecret?: string }) => {
    await withHub(env, options, async (h) => {
      const creds = await rotateEdgeSecret(h, edgeId, h.actor).catch((error: unknown) => {
        throw refused(error);
      });
      printCredentials(
        env,
        creds,
        { json: options.json, secretFile: options.writeSecret },
        `edge ${edgeId}: new secret issued.`,
      );
    });
  });
  configOption(
    edges
      .command('pin <edgeId>')
      .requiredOption(
        '--key <publicKey>',
        'the edge’s audit public key (base64, as `alpr audit key` prints it)',
      )
      .description(
        'Pin (or re-pin) the public key of an edge’s audit chain; heads under other keys are refused',
      ),
  ).action(async (edgeId: string, options: ConfigOption & { key: string }) => {
    await withHub(env, options, async (h) => {
      const pinned = await pinEdgeHeadKey(h, edgeId, options.key, h.actor).catch((error: unknown) => {
        throw refused(error);
      });
      env.stdout(
        `edge ${edgeId}: audit key ${pinned.keyId} pinned${pinned.previousKeyId ? ` (was ${pinned.previousKeyId})` : ''}`,
      );
    });
  });
}
