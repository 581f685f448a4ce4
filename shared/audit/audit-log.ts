// Append-only audit log over the audit_events table. Appends take the write lock (BEGIN IMMEDIATE)
// so edge, worker and CLI processes can all append without forking the chain.
import type Database from 'better-sqlite3';
import { canonicalJson } from '../canonical-json.js';
import {
  type AuditRow,
  type ChainHead,
  type ChainVerdict,
  computeRowHash,
  GENESIS_HASH,
  verifyChain,
} from './chain.js';

/** Event kinds written by this system; payloads never contain plate text unless a hold names one. */
export const AuditKind = {
  cameraRegistered: 'camera.registered',
  complianceVerdict: 'compliance.verdict',
  complianceRefused: 'compliance.reads_refused',
  /** A camera's gate started or stopped storing reads, or changed why it refuses (issue 5). */
  complianceGateState: 'compliance.gate_state',
  sitesImported: 'sites.imported',
  holdCreated: 'hold.created',
  holdReleased: 'hold.released',
  purgeReceipt: 'purge.receipt',
  /** The WAL a purge could not truncate (a reader held an old snapshot) was truncated later. */
  purgeWalTruncated: 'purge.wal_truncated',
} as const;

export interface AuditEventInput {
  kind: string;
  actor: string;
  payload: Record<string, unknown>;
}

interface RawRow {
  seq: number;
  at: number;
  kind: string;
  actor: string;
  payload: string;
  prev_hash: string;
  hash: string;
}

const toRow = (r: RawRow): AuditRow => ({
  seq: r.seq,
  at: r.at,
  kind: r.kind,
  actor: r.actor,
  payload: r.payload,
  prevHash: r.prev_hash,
  hash: r.hash,
});

export class AuditLog {
  private readonly insertStmt: Database.Statement;
  private readonly headStmt: Database.Statement<[], { seq: number; hash: string }>;
  private readonly setMetaStmt: Database.Statement;
  private readonly getMetaStmt: Database.Statement<[string], { value: string }>;
  private readonly iterateStmt: Database.Statement<[], RawRow>;
  private readonly listStmt: Database.Statement<
    [{ kind: string | null; afterSeq: number; limit: number }],
    RawRow
  >;
  private readonly appendTx: (events: AuditEventInput[], at: number) => AuditRow[];
  private readonly hashAtStmt: Database.Statement<[number], { hash: string }>;

  constructor(db: Database.Database) {
    this.insertStmt = db.prepare(
      'INSERT INTO audit_events (seq, at, kind, actor, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.headStmt = db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1');
    this.setMetaStmt = db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
    this.getMetaStmt = db.prepare('SELECT value FROM meta WHERE key = ?');
    this.iterateStmt = db.prepare('SELECT * FROM audit_events ORDER BY seq');
    this.hashAtStmt = db.prepare('SELECT hash FROM audit_events WHERE seq = ?');
    this.listStmt = db.prepare(
      'SELECT * FROM audit_events WHERE (@kind IS NULL OR kind = @kind) AND seq > @afterSeq ORDER BY seq DESC LIMIT @limit',
    );
    const tx = db.transaction((events: AuditEventInput[], at: number) => {
      const last = this.headStmt.get();
      let seq = last?.seq ?? 0;
      let prevHash = last?.hash ?? GENESIS_HASH;
      const rows: AuditRow[] = [];
      for (const event of events) {
        seq += 1;
        const content = {
          seq,
          at,
          kind: event.kind,
          actor: event.actor,
          payload: canonicalJson(event.payload),
        };
        const hash = computeRowHash(prevHash, content);
        this.insertStmt.run(seq, at, content.kind, content.actor, content.payload, prevHash, hash);
        rows.push({ ...content, prevHash, hash });
        prevHash = hash;
      }
      this.setMetaStmt.run('audit.head', JSON.stringify({ seq, hash: prevHash }));
      return rows;
    });
    this.appendTx = (events, at) => tx.immediate(events, at);
  }

  /** Append one event at time `at`; joins the caller's transaction if there is one. */
  append(event: AuditEventInput, at: number): AuditRow {
    return this.appendTx([event], at)[0]!;
  }

  /** Append several events atomically. */
  appendMany(events: AuditEventInput[], at: number): AuditRow[] {
    return events.length === 0 ? [] : this.appendTx(events, at);
  }

  /** The head recorded beside the chain (detects rows cut from the end); throws if it is not {seq, hash}. */
  recordedHead(): ChainHead | undefined {
    const head = this.readHead();
    if (typeof head === 'string') throw new Error(head);
    return head;
  }

  /** The current head: the last row's seq and hash (undefined for an empty chain). */
  head(): ChainHead | undefined {
    return this.headStmt.get();
  }

  /** The stored hash of row `seq`, if that row exists. */
  hashAt(seq: number): string | undefined {
    return this.hashAtStmt.get(seq)?.hash;
  }

  /** Every row in seq order, streamed. */
  *rows(): Generator<AuditRow> {
    for (const r of this.iterateStmt.iterate()) yield toRow(r);
  }

  /**
   * Verify the whole chain, streaming rows (`rows` lets a caller watch them go by). A head record that is
   * not {seq, hash} is a failed check, not a crash.
   */
  verify(rows: Iterable<AuditRow> = this.rows()): ChainVerdict {
    const head = this.readHead();
    if (typeof head !== 'string') return verifyChain(rows, head);
    const verdict = verifyChain(rows, undefined);
    if (!verdict.ok && verdict.reason !== 'chain head record is missing') return verdict;
    return { ok: false, rows: verdict.rows, badSeq: verdict.ok ? 0 : verdict.badSeq, reason: head };
  }

  /** The meta head record, or why it cannot be used. */
  private readHead(): ChainHead | undefined | string {
    const row = this.getMetaStmt.get('audit.head');
    if (!row) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(row.value);
    } catch {
      return 'the chain head record (meta audit.head) is not JSON: it was overwritten';
    }
    const head = value as Partial<ChainHead> | null;
    if (
      !head ||
      !Number.isSafeInteger(head.seq) ||
      typeof head.hash !== 'string' ||
      !/^[0-9a-f]{64}$/.test(head.hash)
    ) {
      return 'the chain head record (meta audit.head) is not {seq, hash}: it was overwritten';
    }
    return { seq: head.seq as number, hash: head.hash };
  }

  /** Newest first; filter by kind, only rows after `afterSeq`. */
  list(options: { kind?: string; afterSeq?: number; limit?: number } = {}): AuditRow[] {
    return this.listStmt
      .all({ kind: options.kind ?? null, afterSeq: options.afterSeq ?? 0, limit: options.limit ?? 100 })
      .map(toRow);
  }
}
