// The ops-events feature: every minute, the hub's OpsWatch looks at forwarding lag and hub retention and
// publishes what changed on ctx.events (docs/events.md). No routes.
import { isUnavailableError } from '../db/hub-db.js';
import type { HubFeature } from '../hub-context.js';
import { OpsWatch } from './ops-watch.js';

const EVERY_MS = 60_000;

export const opsEventsFeature: HubFeature = {
  name: 'ops-events',
  async start(ctx) {
    const watch = new OpsWatch(ctx);
    let running = false;
    const tick = () => {
      if (running) return;
      running = true;
      watch
        .check(ctx.clock())
        .catch((error: unknown) => {
          if (!isUnavailableError(error)) ctx.logger.warn({ err: error }, 'operations watch failed');
        })
        .finally(() => {
          running = false;
        });
    };
    const timer = setInterval(tick, EVERY_MS);
    timer.unref();
    return async () => clearInterval(timer);
  },
};
