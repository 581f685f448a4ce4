// Account administration (AC-04..06, AUTH-05, AUTH-07), shared by the API and `alpr hub users`: create an
// account with a checked password and a fresh TOTP seed (sealed at rest; the enrolment URI is returned
// once and never again), disable one (its sessions end at once), record the supervisor approval and the
// training date, and disable accounts unused for 90 days. Every change and its audit entry commit together.
import { samePerson } from '../../shared/access/approvals.js';
import { checkPassword } from '../../shared/access/password-policy.js';
import { can, isRole, ROLES } from '../../shared/access/roles.js';
import { AccessAuditKind, type AccessAuditKindName } from '../../shared/audit/access-audit.js';
import { base32Encode } from '../../shared/crypto/base32.js';
import { hashPassword, type ScryptParams } from '../../shared/crypto/password-hash.js';
import { encryptSeed } from '../../shared/crypto/seed-cipher.js';
import { generateToken } from '../../shared/crypto/tokens.js';
import { generateTotpSeed, otpauthUri } from '../../shared/crypto/totp.js';
import { type HubSql, sqlState } from '../db/hub-db.js';
import type { HubContext } from '../hub-context.js';
import { accountPolicy, checkUsername, TOTP_ISSUER } from './account-rules.js';
import { accessEntry } from './acting-user.js';
import { seedOwner } from './login.service.js';
import { endSessions, findUserById, type UserRecord } from './users.repository.js';

export type AccountServices = Pick<HubContext, 'db' | 'audit' | 'keys' | 'clock' | 'config'>;

/** Who makes the change, as the audit records it (a signed-in admin, or `cli:<os user>`). */
export interface ChangeActor {
  username: string;
  role: string | null;
  agencyOri: string | null;
  clientAddress: string | null;
}

export class AccountError extends Error {
  constructor(
    message: string,
    readonly code: 'bad_request' | 'not_found' | 'conflict' | 'forbidden' = 'bad_request',
    readonly problems: string[] = [],
  ) {
    super(message);
    this.name = 'AccountError';
  }
}

export interface NewUserInput {
  username: string;
  role: string;
  agencyOri: string;
  /** omitted: a random one is generated and returned once */
  password?: string;
  /** scrypt cost (default DEFAULT_SCRYPT_PARAMS); tests lower it, the stored hash records it */
  hashParams?: ScryptParams;
}

export interface Enrolment {
  user: UserRecord;
  /** only when the hub generated it */
  generatedPassword?: string;
  /** carries the seed in clear: show once, never store */
  otpauthUri: string;
  seedBase32: string;
}

async function audit(
  hub: AccountServices,
  tx: HubSql,
  kind: AccessAuditKindName,
  actor: ChangeActor,
  detail: Record<string, unknown>,
  now: number,
  category: string | null = null,
): Promise<void> {
  await hub.audit.append(
    tx,
    {
      kind,
      actor: actor.username,
      payload: accessEntry({
        user: actor.username,
        role: actor.role,
        agency: actor.agencyOri,
        clientAddress: actor.clientAddress,
        outcome: 'ok',
        category,
        detail,
      }),
    },
    now,
  );
}

export async function createUser(
  hub: AccountServices,
  input: NewUserInput,
  actor: ChangeActor,
): Promise<Enrolment> {
  const name = checkUsername(input.username);
  if (!name.ok) throw new AccountError(name.message);
  if (!isRole(input.role)) throw new AccountError(`role must be one of ${ROLES.join(', ')}`);
  const agencies = await hub.db.query<{ id: number; name: string }>(
    'SELECT id, name FROM agencies WHERE ori = $1',
    [input.agencyOri],
  );
  const agency = agencies[0];
  if (!agency) throw new AccountError(`no agency with ORI ${input.agencyOri}: add it first`, 'not_found');
  const rules = accountPolicy(hub.config).password;
  const context = { username: name.username, agencyOri: input.agencyOri, agencyName: agency.name };
  let password = input.password;
  let generated: string | undefined;
  if (password === undefined) {
    // 144 random bits; regenerated in the unlikely case the policy finds a pattern in it.
    do generated = generateToken(18);
    while (!checkPassword(generated, context, rules).ok);
    password = generated;
  }
  const checked = checkPassword(password, context, rules);
  if (!checked.ok) {
    throw new AccountError(
      'password refused',
      'bad_request',
      checked.problems.map((p) => `${p.field} ${p.message}`),
    );
  }
  const passwordHash = await hashPassword(checked.value, input.hashParams);
  const seed = generateTotpSeed();
  const sealed = encryptSeed(seed, hub.keys.secretsKey, seedOwner(name.username));
  const now = hub.clock();
  try {
    const user = await hub.db.transaction(async (tx) => {
      const rows = await tx.query<{ id: number }>(
        `INSERT INTO users (agency_id, username, username_key, role, status, password_hash, totp_seed_sealed,
                            created_by, created_at)
         VALUES ($1, $2, $3, $4, 'active', $5, $6, $7, $8) RETURNING id`,
        [agency.id, name.username, name.key, input.role, passwordHash, sealed, actor.username, new Date(now)],
      );
      const id = rows[0]!.id;
      const target = { id, username: name.username, role: input.role, agency: input.agencyOri };
      await audit(hub, tx, AccessAuditKind.userCreated, actor, { target }, now);
      await audit(
        hub,
        tx,
        AccessAuditKind.mfaEnrolled,
        actor,
        { target, method: 'totp', algorithm: 'SHA1', digits: 6, periodS: 30 },
        now,
      );
      return (await findUserById(tx, id))!;
    });
    return {
      user,
      ...(generated ? { generatedPassword: generated } : {}),
      otpauthUri: otpauthUri({ issuer: TOTP_ISSUER, account: name.username, secret: seed }),
      seedBase32: base32Encode(seed, { padding: false }),
    };
  } catch (error) {
    if (sqlState(error) === '23505') {
      throw new AccountError(
        `an account named ${name.username} (or one that looks the same) already exists`,
        'conflict',
      );
    }
    throw error;
  } finally {
    seed.fill(0);
  }
}

/** The target, refusing one outside `scopeAgencyId` as if it did not exist (no cross-agency oracle). */
async function target(tx: HubSql, id: number, scopeAgencyId: number | null): Promise<UserRecord> {
  const user = await findUserById(tx, id, true);
  if (!user || (scopeAgencyId !== null && user.agencyId !== scopeAgencyId)) {
    throw new AccountError(`no user ${id}`, 'not_found');
  }
  return user;
}

const targetOf = (u: UserRecord) => ({ id: u.id, username: u.username, role: u.role, agency: u.agencyOri });

/** Disable an account and end its sessions in the same transaction (SESS-03). */
export async function disableUser(
  hub: AccountServices,
  userId: number,
  actor: ChangeActor,
  reason: string,
  scopeAgencyId: number | null = null,
): Promise<UserRecord> {
  const now = hub.clock();
  return hub.db.transaction(async (tx) => {
    const user = await target(tx, userId, scopeAgencyId);
    if (user.status === 'disabled')
      throw new AccountError(`${user.username} is already disabled`, 'conflict');
    await tx.query(
      `UPDATE users SET status = 'disabled', disabled_at = $2, disabled_reason = $3, sessions_not_before = $2
       WHERE id = $1`,
      [user.id, new Date(now), reason],
    );
    const sessionsEnded = await endSessions(tx, { userId: user.id }, 'user_disabled', now);
    await audit(
      hub,
      tx,
      AccessAuditKind.userDisabled,
      actor,
      { target: targetOf(user), reason, sessionsEnded },
      now,
      reason,
    );
    return (await findUserById(tx, user.id))!;
  });
}

/** Record the supervisor approval an account needs before its first search (AC-04): never its own. */
export async function approveUser(
  hub: AccountServices,
  userId: number,
  approver: ChangeActor & { role: string },
  scopeAgencyId: number | null = null,
  /** who typed it when not the approver (the CLI operator) */
  recordedBy?: string,
): Promise<UserRecord> {
  if (!can(approver.role, 'account.approve')) {
    throw new AccountError(`the ${approver.role} role cannot approve accounts`, 'forbidden');
  }
  const now = hub.clock();
  return hub.db.transaction(async (tx) => {
    const user = await target(tx, userId, scopeAgencyId);
    if (samePerson(user.username, approver.username)) {
      throw new AccountError('an account cannot approve itself', 'forbidden');
    }
    if (approver.agencyOri !== user.agencyOri) {
      throw new AccountError('the approver must belong to the account’s agency', 'forbidden');
    }
    await tx.query('UPDATE users SET approved_by = $2, approved_at = $3 WHERE id = $1', [
      user.id,
      approver.username,
      new Date(now),
    ]);
    await audit(
      hub,
      tx,
      AccessAuditKind.userChanged,
      approver,
      { target: targetOf(user), change: 'approval', ...(recordedBy ? { recordedBy } : {}) },
      now,
      'approval',
    );
    return (await findUserById(tx, user.id))!;
  });
}

/** Record when the user completed the ALPR training (AC-04); a date in the future is refused. */
export async function recordTraining(
  hub: AccountServices,
  userId: number,
  completedAt: number,
  actor: ChangeActor,
  scopeAgencyId: number | null = null,
): Promise<UserRecord> {
  const now = hub.clock();
  if (!Number.isFinite(completedAt) || completedAt > now) {
    throw new AccountError('the training date must be a real date, not in the future');
  }
  return hub.db.transaction(async (tx) => {
    const user = await target(tx, userId, scopeAgencyId);
    await tx.query('UPDATE users SET training_completed_at = $2 WHERE id = $1', [
      user.id,
      new Date(completedAt),
    ]);
    await audit(
      hub,
      tx,
      AccessAuditKind.userChanged,
      actor,
      {
        target: targetOf(user),
        change: 'training',
        trainingCompletedAt: new Date(completedAt).toISOString().slice(0, 10),
      },
      now,
      'training',
    );
    return (await findUserById(tx, user.id))!;
  });
}
