// HOOK: anchor the hub chain's head after a retention receipt. Hub audit anchoring (`anchorHubHead`,
// issue 11, ingest part) was not on main when retention was written: replace the body with
// `await anchorHubHead(ctx)` once it is. Until then receipts are in the chain, signed heads are not.
import type { HubContext } from '../hub-context.js';

export async function anchorAfterRetentionReceipt(ctx: HubContext): Promise<void> {
  ctx.logger.debug('hub audit anchoring is not wired yet: retention receipt left unanchored');
}
