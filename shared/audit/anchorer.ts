// Anchors the audit chain outside the database: signs the current head with the node's Ed25519 key and
// appends it to the anchor file, when the head moved since the last anchor (on a timer, after purge
// receipts, at start and shutdown). It refuses to sign a chain that no longer extends its last anchored
// head, and says so, instead of blessing a rewritten history.
import type Database from 'better-sqlite3';
import { type AuditConfig, auditPathsFor } from '../config/audit.schema.js';
import type { Logger } from '../logging/logger.js';
import type { Clock } from '../runtime/clock.js';
import { appendAnchor, readLastAnchor } from './anchor-file.js';
import type { AuditLog } from './audit-log.js';
import { type SignedHead, signHead, verifySignedHead } from './signed-head.js';
import { type HeadSigningKey, loadSigningKey } from './signing-key.js';

export interface AnchorerOptions {
  /** The store's connection: anchoring takes its write lock, so processes sharing a store append in order. */
  db: Database.Database;
  audit: AuditLog;
  key: HeadSigningKey;
  file: string;
  /** The chain's name in every head: the node id. */
  chain: string;
  clock: Clock;
  logger: Logger;
  /** Called with every head appended (after it is on disk): where a forwarder to the hub plugs in. */
  onAnchored?: (head: SignedHead) => void;
}

export type AnchorOutcome =
  | { kind: 'anchored'; head: SignedHead }
  | { kind: 'unchanged'; head: SignedHead }
  | { kind: 'empty' }
  | { kind: 'refused'; reason: string }
  | { kind: 'failed'; reason: string };

export interface AnchorStatus {
  file: string;
  keyId: string;
  lastAnchor: { seq: number; at: string } | null;
  anchored: number;
  failures: number;
  /** Why the last attempt did not anchor (refused or failed); null once an attempt succeeds. */
  lastError: string | null;
}

export class AuditAnchorer {
  private timer: NodeJS.Timeout | undefined;
  private anchored = 0;
  private failures = 0;
  private lastError: string | null = null;
  private last: SignedHead | undefined;

  constructor(private readonly options: AnchorerOptions) {}

  /** Anchor the head now if it moved. Never throws: an anchor that could not be written is reported. */
  anchor(reason: string): AnchorOutcome {
    const log = this.options.logger;
    let outcome: AnchorOutcome;
    try {
      outcome = this.options.db.transaction(() => this.anchorLocked()).immediate();
    } catch (error) {
      outcome = { kind: 'failed', reason: (error as Error).message };
    }
    if (outcome.kind === 'anchored') {
      this.anchored += 1;
      this.last = outcome.head;
      this.lastError = null;
      log.info({ reason, seq: outcome.head.seq, file: this.options.file }, 'audit head anchored');
      this.forward(outcome.head);
    } else if (outcome.kind === 'unchanged') {
      this.last = outcome.head;
      this.lastError = null;
    } else if (outcome.kind === 'refused' || outcome.kind === 'failed') {
      this.failures += 1;
      this.lastError = outcome.reason;
      log.error({ reason, file: this.options.file, problem: outcome.reason }, 'audit head NOT anchored');
    }
    return outcome;
  }

  /** Anchor every `everyMs` (when the head moved) until stop(). */
  start(everyMs: number): void {
    this.stop();
    this.timer = setInterval(() => this.anchor('interval'), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  status(): AnchorStatus {
    return {
      file: this.options.file,
      keyId: this.options.key.keyId,
      lastAnchor: this.last ? { seq: this.last.seq, at: new Date(this.last.at).toISOString() } : null,
      anchored: this.anchored,
      failures: this.failures,
      lastError: this.lastError,
    };
  }

  private anchorLocked(): AnchorOutcome {
    const { audit, key, file, chain, clock, logger } = this.options;
    const head = audit.head();
    if (!head) return { kind: 'empty' };
    const last = readLastAnchor(file, chain);
    if (last) {
      const check = verifySignedHead(last, key.publicKey);
      if (!check.ok)
        return { kind: 'refused', reason: `the last anchor of ${chain} in ${file}: ${check.reason}` };
      if (last.seq === head.seq && last.hash === head.hash) return { kind: 'unchanged', head: last };
      if (head.seq < last.seq) {
        return {
          kind: 'refused',
          reason: `the chain ends at row ${head.seq} but row ${last.seq} was anchored: rows were cut`,
        };
      }
      if (audit.hashAt(last.seq) !== last.hash) {
        return {
          kind: 'refused',
          reason: `row ${last.seq} no longer has the hash anchored for it: the chain was rewritten`,
        };
      }
    }
    let at = clock();
    if (last && at < last.at) {
      // The clock went back: the real time is at least the last anchor's, so sign that instead of a lie
      // that would make the anchor file look edited.
      logger.warn({ clock: at, lastAnchorAt: last.at }, 'clock is behind the last audit anchor');
      at = last.at;
    }
    const signed = signHead({ chain, seq: head.seq, hash: head.hash, at }, key.privateKey);
    appendAnchor(file, signed);
    return { kind: 'anchored', head: signed };
  }

  private forward(head: SignedHead): void {
    try {
      this.options.onAnchored?.(head);
    } catch (error) {
      this.options.logger.error({ err: error }, 'forwarding a signed audit head failed');
    }
  }
}

/**
 * The anchorer of the store at `storeFile` as configured: its key loaded (created, mode 0600, on first
 * start; a key others can read throws SigningKeyError) and its anchor file beside the store unless set.
 * @example createAnchorer({ audit, nodeId: 'edge-01', storeFile, db, auditLog, clock, logger })
 */
export function createAnchorer(options: {
  audit: AuditConfig;
  nodeId: string;
  storeFile: string;
  db: Database.Database;
  auditLog: AuditLog;
  clock: Clock;
  logger: Logger;
  onAnchored?: (head: SignedHead) => void;
}): AuditAnchorer {
  const paths = auditPathsFor(options.audit, options.storeFile);
  const key = loadSigningKey(paths.keyPath, { create: true });
  if (key.created)
    options.logger.info({ keyFile: key.file, keyId: key.keyId }, 'created the audit signing key');
  return new AuditAnchorer({
    db: options.db,
    audit: options.auditLog,
    key,
    file: paths.anchorPath,
    chain: options.nodeId,
    clock: options.clock,
    logger: options.logger.child({ component: 'audit-anchor' }),
    onAnchored: options.onAnchored,
  });
}
