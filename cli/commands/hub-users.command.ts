// `alpr hub users add|list|disable|approve|training`: people's accounts at the hub. `add` prints the TOTP
// enrolment (otpauth URI and a QR code for the phone) and, unless --password-file gave one, a generated
// password: once, never again. There are no default accounts and no default passwords.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import QRCode from 'qrcode';
import { checkUsername } from '../../hub/accounts/account-rules.js';
import { findUserByKey, listUsers, type UserRecord } from '../../hub/accounts/users.repository.js';
import {
  AccountError,
  approveUser,
  type ChangeActor,
  createUser,
  disableUser,
  recordTraining,
} from '../../hub/accounts/users.service.js';
import type { HubSql } from '../../hub/db/hub-db.js';
import { resolveFrom } from '../../shared/runtime/paths.js';
import { CliError, ExitCode } from '../cli-error.js';
import { type CliEnv, type ConfigOption, printJson } from '../context.js';
import { type HubCli, withHub } from './hub-cli-context.js';

const configOption = (c: Command) =>
  c.option('-c, --config <file>', 'config file (default: $ALPR_CONFIG or built-in defaults)');

function refused(error: unknown): unknown {
  if (error instanceof AccountError) {
    return new CliError(error.message, ExitCode.invalidInput, error.problems);
  }
  return error;
}

const cliActor = (h: HubCli): ChangeActor => ({
  username: h.actor,
  role: null,
  agencyOri: null,
  clientAddress: null,
});

async function userNamed(sql: HubSql, raw: string): Promise<UserRecord> {
  const name = checkUsername(raw);
  if (!name.ok) throw new CliError(name.message, ExitCode.invalidInput);
  const user = await findUserByKey(sql, name.key);
  if (!user) throw new CliError(`no account named ${name.username}`, ExitCode.invalidInput);
  return user;
}

function readPasswordFile(env: CliEnv, file: string): string {
  try {
    // One line; the trailing newline an editor adds is not part of the password.
    return readFileSync(resolveFrom(env.cwd, file), 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`, ExitCode.invalidInput);
  }
}

const day = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().slice(0, 10));

function userLine(u: UserRecord): string {
  return [
    u.username.padEnd(20),
    u.role.padEnd(12),
    u.agencyOri,
    u.status.padEnd(8),
    `approved ${u.approvedBy ? `${day(u.approvedAt)} by ${u.approvedBy}` : 'no'}`,
    `trained ${day(u.trainingCompletedAt)}`,
    `active ${day(u.lastActiveAt)}`,
  ].join('  ');
}

export function registerHubUsersCommands(hub: Command, env: CliEnv): void {
  const users = hub.command('users').description('People’s accounts at the hub (password + TOTP)');
  configOption(
    users
      .command('add')
      .requiredOption('--username <name>', 'one per person (no shared accounts)')
      .requiredOption('--role <role>', 'investigator, supervisor, command, auditor, admin or planner')
      .requiredOption('--agency <ori>', 'ORI of the account’s agency')
      .option('--password-file <file>', 'read the initial password from this file (default: generate one)')
      .option('--json', 'print the account and its enrolment as one JSON line')
      .description('Create an account; prints its TOTP enrolment (URI and QR code) and password once'),
  ).action(
    async (
      options: ConfigOption & {
        username: string;
        role: string;
        agency: string;
        passwordFile?: string;
        json?: boolean;
      },
    ) => {
      const password = options.passwordFile ? readPasswordFile(env, options.passwordFile) : undefined;
      await withHub(env, options, async (h) => {
        const e = await createUser(
          h,
          {
            username: options.username,
            role: options.role,
            agencyOri: options.agency.toUpperCase(),
            password,
          },
          cliActor(h),
        ).catch((error: unknown) => {
          throw refused(error);
        });
        if (options.json) {
          printJson(env, {
            user: e.user.username,
            id: e.user.id,
            otpauthUri: e.otpauthUri,
            password: e.generatedPassword,
          });
          return;
        }
        env.stdout(`account ${e.user.username} (${e.user.role}, ${e.user.agencyOri}) created.`);
        env.stdout('Shown once. Scan this QR code with the authenticator app (or enter the URI):');
        env.stdout(await QRCode.toString(e.otpauthUri, { type: 'utf8', errorCorrectionLevel: 'M' }));
        env.stdout(`  ${e.otpauthUri}`);
        if (e.generatedPassword) {
          env.stdout('Initial password (give it to the person by a separate channel):');
          env.stdout(`  ${e.generatedPassword}`);
        }
        env.stdout(
          `Before the first search: alpr hub users approve ${e.user.username} --by SUPERVISOR and alpr hub users training ${e.user.username} --date YYYY-MM-DD`,
        );
      });
    },
  );
  configOption(
    users.command('list').option('--json', 'one JSON object per line').description('List accounts'),
  ).action(async (options: ConfigOption & { json?: boolean }) => {
    await withHub(env, options, async (h) => {
      const rows = await listUsers(h.db);
      for (const u of rows) {
        if (options.json) {
          const { passwordHash: _p, totpSeedSealed: _s, ...visible } = u;
          printJson(env, visible);
        } else env.stdout(userLine(u));
      }
      if (rows.length === 0 && !options.json) env.stdout('no accounts (alpr hub users add …)');
    });
  });
  configOption(
    users
      .command('disable <username>')
      .option('--reason <text>', 'why (goes into the audit chain)', 'disabled by an administrator')
      .description('Disable an account; its sessions end at once'),
  ).action(async (username: string, options: ConfigOption & { reason: string }) => {
    await withHub(env, options, async (h) => {
      const user = await userNamed(h.db, username);
      await disableUser(h, user.id, cliActor(h), options.reason).catch((error: unknown) => {
        throw refused(error);
      });
      env.stdout(`account ${user.username} disabled; its sessions ended`);
    });
  });
  configOption(
    users
      .command('approve <username>')
      .requiredOption('--by <supervisor>', 'the approving supervisor’s (or command) account')
      .description('Record the supervisor approval an account needs before its first search'),
  ).action(async (username: string, options: ConfigOption & { by: string }) => {
    await withHub(env, options, async (h) => {
      const user = await userNamed(h.db, username);
      const by = await userNamed(h.db, options.by);
      if (by.status !== 'active') throw new CliError(`${by.username} is ${by.status}`, ExitCode.invalidInput);
      const approver = { username: by.username, role: by.role, agencyOri: by.agencyOri, clientAddress: null };
      await approveUser(h, user.id, approver, null, h.actor).catch((error: unknown) => {
        throw refused(error);
      });
      env.stdout(`account ${user.username}: approval by ${by.username} recorded`);
    });
  });
  configOption(
    users
      .command('training <username>')
      .requiredOption('--date <YYYY-MM-DD>', 'when the ALPR training was completed')
      .description('Record the date the user completed the ALPR training'),
  ).action(async (username: string, options: ConfigOption & { date: string }) => {
    const at = Date.parse(`${options.date}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(options.date) || Number.isNaN(at)) {
      throw new CliError(`--date ${options.date} is not YYYY-MM-DD`, ExitCode.invalidInput);
    }
    await withHub(env, options, async (h) => {
      const user = await userNamed(h.db, username);
      await recordTraining(h, user.id, at, cliActor(h)).catch((error: unknown) => {
        throw refused(error);
      });
      env.stdout(`account ${user.username}: training on ${options.date} recorded`);
    });
  });
}
