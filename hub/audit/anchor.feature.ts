// Anchors the hub audit head at start, every hub.anchorEveryS while the hub runs, and at shutdown (after
// the HTTP server stopped taking requests, before the database closes).
import type { HubFeature } from '../hub-context.js';
import { anchorHubHead } from './hub-anchor.js';

export const anchorFeature: HubFeature = {
  name: 'audit-anchor',
  async start(ctx) {
    await anchorHubHead(ctx, 'start');
    let running: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      running = anchorHubHead(ctx, 'interval');
    }, ctx.config.hub.anchorEveryS * 1000);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await running;
      await anchorHubHead(ctx, 'shutdown');
    };
  },
};
