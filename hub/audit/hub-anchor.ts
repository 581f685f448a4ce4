// Anchors the hub's audit chain outside its database: signs the chain head with the hub signing key
// (hub.keysDir, not in the database) and appends it to <hub.dataDir>/audit-anchors.jsonl, when the head
// moved. Hub processes sharing one database and data directory take turns on an advisory lock, so the
// file's heads only go forward. It refuses to sign a chain that no longer extends its last anchored head
// (rows cut or rewritten), and says why, instead of blessing the new history.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { appendAnchor, parseAnchors, readAnchors } from '../../shared/audit/anchor-file.js';
import { type SignedHead, signHead, verifySignedHead } from '../../shared/audit/signed-head.js';
import type { HubContext } from '../hub-context.js';

/** The chain name in every hub head. */
export const HUB_CHAIN = 'hub';
const ANCHOR_LOCK = 7_246_103;
const TAIL_BYTES = 64 * 1024;

export type HubAnchorOutcome =
  | { kind: 'anchored'; head: SignedHead }
  | { kind: 'unchanged'; head: SignedHead }
  | { kind: 'empty' }
  | { kind: 'refused'; reason: string }
  | { kind: 'failed'; reason: string };

export type HubAnchorContext = Pick<HubContext, 'db' | 'audit' | 'keys' | 'config' | 'clock' | 'logger'> &
  Partial<Pick<HubContext, 'metrics'>>;

/** Where the hub's anchors go. */
export function hubAnchorFile(config: HubContext['config']): string {
  return path.join(config.hub.dataDir, 'audit-anchors.jsonl');
}

/** The last complete anchor of `chain` in `file`, reading only its tail unless the tail has none. */
export function lastAnchorOf(file: string, chain: string): SignedHead | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let text: string;
  let start: number;
  try {
    const size = fstatSync(fd).size;
    start = Math.max(0, size - TAIL_BYTES);
    const buffer = Buffer.alloc(size - start);
    readSync(fd, buffer, 0, buffer.length, start);
    text = buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
  if (start > 0) text = text.slice(text.indexOf('\n') + 1); // a window from mid-file starts mid-line
  const pick = (anchors: SignedHead[]) => anchors.filter((a) => a?.chain === chain).at(-1);
  return pick(parseAnchors(text).anchors) ?? (start > 0 ? pick(readAnchors(file).anchors) : undefined);
}

/**
 * Sign and anchor the hub head now, if it moved since the last anchor. Never throws: the outcome says
 * what happened. Call it after anything that must be pinned at once (e.g. a retention receipt).
 * @example await anchorHubHead(ctx, 'retention receipt')
 */
export async function anchorHubHead(ctx: HubAnchorContext, reason = 'requested'): Promise<HubAnchorOutcome> {
  const file = hubAnchorFile(ctx.config);
  let outcome: HubAnchorOutcome;
  try {
    outcome = await ctx.db.transaction(async (tx): Promise<HubAnchorOutcome> => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [ANCHOR_LOCK]);
      const head = await ctx.audit.head(tx);
      if (!head) return { kind: 'empty' };
      const last = lastAnchorOf(file, HUB_CHAIN);
      if (last) {
        const check = verifySignedHead(last, ctx.keys.signing.publicKey);
        if (!check.ok) return { kind: 'refused', reason: `the last anchor in ${file}: ${check.reason}` };
        if (last.seq === head.seq && last.hash === head.hash) return { kind: 'unchanged', head: last };
        if (head.seq < last.seq) {
          return {
            kind: 'refused',
            reason: `the chain ends at row ${head.seq} but row ${last.seq} was anchored: rows were cut`,
          };
        }
        if ((await ctx.audit.hashAt(tx, last.seq)) !== last.hash) {
          return {
            kind: 'refused',
            reason: `row ${last.seq} no longer has the hash anchored for it: the chain was rewritten`,
          };
        }
      }
      // A clock behind the last anchor signs the last anchor's time rather than make the file go back.
      const at = Math.max(ctx.clock(), last?.at ?? 0);
      const signed = signHead(
        { chain: HUB_CHAIN, seq: head.seq, hash: head.hash, at },
        ctx.keys.signing.privateKey,
      );
      appendAnchor(file, signed);
      return { kind: 'anchored', head: signed };
    });
  } catch (error) {
    outcome = { kind: 'failed', reason: (error as Error).message };
  }
  ctx.metrics?.anchors.inc({ outcome: outcome.kind });
  if (outcome.kind === 'anchored') {
    ctx.logger.info({ reason, seq: outcome.head.seq, file }, 'hub audit head anchored');
  } else if (outcome.kind === 'refused' || outcome.kind === 'failed') {
    ctx.logger.error({ reason, file, problem: outcome.reason }, 'hub audit head NOT anchored');
  }
  return outcome;
}
