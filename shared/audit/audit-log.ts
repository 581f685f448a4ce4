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

  /** The head recorded beside the chain (detects rows cut from the end). */
  recordedHead(): ChainHead | undefined {
    const row = this.getMetaStmt.get('audit.head');
    return row ? (JSON.parse(row.value) as ChainHead) : undefined;
  }

  /** Verify the whole chain, streaming rows. */
  verify(): ChainVerdict {
    const head = this.recordedHead();
    const rows = this.iterateStmt.iterate();
    function* mapped() {
      for (const r of rows) yield toRow(r);
    }
    return verifyChain(mapped(), head);
  }

  /** Newest first; filter by kind, only rows after `afterSeq`. */
  list(options: { kind?: string; afterSeq?: number; limit?: number } = {}): AuditRow[] {
    return this.listStmt
      .all({ kind: options.kind ?? null, afterSeq: options.afterSeq ?? 0, limit: options.limit ?? 100 })
      .map(toRow);
  }
}
