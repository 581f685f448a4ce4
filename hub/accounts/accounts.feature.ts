// The accounts feature: the `user` authenticator every person-facing route sits behind, the session and
// user routes, and a daily job (at start, then on a timer) that disables accounts unused for 90 days
// (AC-05) and forgets rate-limit windows long past. Any hub process may run the job; it is idempotent.
import type { HubContext, HubFeature } from '../hub-context.js';
import { builtInNotice, type NoticeSource } from './account-rules.js';
import { disableInactiveUsers } from './inactivity.js';
import { pruneRateLimits } from './rate-limit.js';
import { sessionRoutes } from './session.routes.js';
import { userAuthenticator } from './user-authenticator.js';
import { usersRoutes } from './users.routes.js';

const DAILY_MS = 24 * 3_600_000;
const RATE_WINDOWS_KEPT_MS = 3_600_000;

export async function runAccountUpkeep(ctx: HubContext): Promise<void> {
  const disabled = await disableInactiveUsers(ctx);
  if (disabled.length > 0) {
    ctx.logger.info({ accounts: disabled }, 'accounts disabled for inactivity (AC-05)');
  }
  await pruneRateLimits(ctx.db, ctx.clock() - RATE_WINDOWS_KEPT_MS);
}

/** The feature; `notice` swaps the system-use notice (tests of a new notice version). */
export function createAccountsFeature(
  options: { notice?: NoticeSource; upkeepEveryMs?: number } = {},
): HubFeature {
  const notice = options.notice ?? builtInNotice;
  return {
    name: 'accounts',
    authenticators: (ctx) => [userAuthenticator(ctx, notice)],
    routes: (ctx) => [...sessionRoutes(ctx, notice), ...usersRoutes(ctx)],
    async start(ctx) {
      await runAccountUpkeep(ctx);
      const timer = setInterval(() => {
        runAccountUpkeep(ctx).catch((error) => ctx.logger.error({ err: error }, 'account upkeep failed'));
      }, options.upkeepEveryMs ?? DAILY_MS);
      timer.unref();
      return async () => clearInterval(timer);
    },
  };
}

export const accountsFeature = createAccountsFeature();
