// The request bodies the forwarder sends, built from the outbox after its cursors: one function per
// endpoint, each returning a batch (body, the cursor value it moves to once acknowledged, its size) or
// undefined when there is nothing to send.
import type { SignedHead } from '../../shared/audit/signed-head.js';
import type { WireForwardStatus } from '../../shared/forward/wire.js';
import type { ForwardCursors } from './forward-cursors.js';
import type { HeadSource } from './head-source.js';
import type { ForwardOutbox } from './outbox.js';

export interface Batch<B> {
  body: B;
  /** cursor value once the hub acknowledged it */
  lastId: number;
  size: number;
}

/** Cameras and verdicts after the verdict cursor; `undescribed` cameras (no geometry) are left out. */
export function verdictBatch(
  outbox: ForwardOutbox,
  cursors: ForwardCursors,
  limit: number,
  onUndescribed: (cameras: string[]) => void,
): Batch<unknown> | undefined {
  const b = outbox.verdictsAfter(cursors.get('verdicts'), limit);
  if (b.lastId === cursors.get('verdicts')) return undefined;
  if (b.undescribed.length > 0) onUndescribed(b.undescribed);
  return {
    body: { cameras: b.cameras, verdicts: b.verdicts },
    lastId: b.lastId,
    size: Math.max(1, b.verdicts.length),
  };
}

/**
 * Reads after the read cursor, never one whose verdict is past the verdict cursor (`heldBack`), with the
 * outbox status after them. Empty only as a heartbeat (`heartbeatDue`).
 */
export function readsBatch(
  outbox: ForwardOutbox,
  cursors: ForwardCursors,
  limit: number,
  heartbeatDue: boolean,
): { batch: Batch<{ reads: unknown[]; status: WireForwardStatus }> | undefined; heldBack: boolean } {
  const { reads, lastId, heldBack } = outbox.readsAfter(cursors.get('reads'), limit, cursors.get('verdicts'));
  if (reads.length === 0 && !heartbeatDue) return { batch: undefined, heldBack };
  const after = outbox.backlog(lastId);
  return {
    heldBack,
    batch: {
      body: { reads, status: { backlogReads: after.reads, oldestUnforwardedAt: after.oldestStoredAt } },
      lastId,
      size: reads.length,
    },
  };
}

export function receiptsBatch(
  outbox: ForwardOutbox,
  cursors: ForwardCursors,
  limit: number,
): Batch<unknown> | undefined {
  const b = outbox.receiptsAfter(cursors.get('receipts'), limit);
  return b.receipts.length === 0
    ? undefined
    : { body: { receipts: b.receipts }, lastId: b.lastSeq, size: b.receipts.length };
}

export function headsBatch(
  source: HeadSource,
  publicKey: string,
  cursors: ForwardCursors,
  limit: number,
): Batch<{ publicKey: string; heads: SignedHead[] }> | undefined {
  const heads = source.headsAfter(cursors.get('heads'), limit);
  return heads.length === 0
    ? undefined
    : { body: { publicKey, heads }, lastId: heads.at(-1)!.seq, size: heads.length };
}
