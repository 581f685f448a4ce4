// AC-05: accounts unused for access.account.inactiveDisableDays (90 by default) are disabled, each with its
// own audit entry by `system:inactivity`. Idempotent: two hub processes running it at once disable each
// account once (the second finds it already disabled).
import { accountsToDisable } from '../../shared/access/accounts.js';
import { accountPolicy } from './account-rules.js';
import { listUsers, toAccount } from './users.repository.js';
import { AccountError, type AccountServices, type ChangeActor, disableUser } from './users.service.js';

export const INACTIVITY_ACTOR: ChangeActor = {
  username: 'system:inactivity',
  role: null,
  agencyOri: null,
  clientAddress: null,
};

/** AC-05: disable every active account unused for `access.account.inactiveDisableDays`; returns who. */
export async function disableInactiveUsers(
  hub: AccountServices,
): Promise<Array<{ username: string; inactiveDays: number }>> {
  const now = hub.clock();
  const rules = accountPolicy(hub.config).account;
  const users = (await listUsers(hub.db)).filter((u) => u.status === 'active');
  const due = accountsToDisable(users.map(toAccount), now, rules);
  const byName = new Map(users.map((u) => [u.username, u]));
  const done: Array<{ username: string; inactiveDays: number }> = [];
  for (const d of due) {
    try {
      await disableUser(hub, byName.get(d.username)!.id, INACTIVITY_ACTOR, `inactive ${d.inactiveDays} days`);
      done.push(d);
    } catch (error) {
      // Another hub process disabled it first: nothing to do.
      if (!(error instanceof AccountError && error.code === 'conflict')) throw error;
    }
  }
  return done;
}
