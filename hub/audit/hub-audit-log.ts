// The hub's audit chain in PostgreSQL, with the same hashing and verification as the edge's
// (shared/audit/chain.ts). An append joins the caller's transaction, so an entry and the action it
// records commit together or not at all (AUD-06); appends serialise on a transaction-scoped advisory lock,
// and the table's trigger refuses any row that does not continue the chain.
import type { AuditEventInput } from '../../shared/audit/audit-log.js';
import {
  type AuditRow,
  type ChainHead,
  type ChainVerdict,
  ChainWalker,
  computeRowHash,
  GENESIS_HASH,
} from '../../shared/audit/chain.js';
import { canonicalJson } from '../../shared/canonical-json.js';
import type { HubSql } from '../db/hub-db.js';

const CHAIN_LOCK = 7_246_102;
const PAGE = 5000;

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

export class HubAuditLog {
  /** Append events at time `at` inside `tx` (the caller's transaction). */
  async append(tx: HubSql, events: AuditEventInput | AuditEventInput[], at: number): Promise<AuditRow[]> {
    const list = Array.isArray(events) ? events : [events];
    if (list.length === 0) return [];
    await tx.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
    const last = await this.head(tx);
    let seq = last?.seq ?? 0;
    let prevHash = last?.hash ?? GENESIS_HASH;
    const rows: AuditRow[] = [];
    for (const event of list) {
      seq += 1;
      const content = {
        seq,
        at,
        kind: event.kind,
        actor: event.actor,
        payload: canonicalJson(event.payload),
      };
      const hash = computeRowHash(prevHash, content);
      await tx.query(
        'INSERT INTO audit_events (seq, at, kind, actor, payload, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [seq, at, content.kind, content.actor, content.payload, prevHash, hash],
      );
      rows.push({ ...content, prevHash, hash });
      prevHash = hash;
    }
    return rows;
  }

  /** The last row's seq and hash (undefined for an empty chain). */
  async head(sql: HubSql): Promise<ChainHead | undefined> {
    const rows = await sql.query<{ seq: number; hash: string }>(
      'SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1',
    );
    return rows[0];
  }

  /** The stored hash of row `seq`. */
  async hashAt(sql: HubSql, seq: number): Promise<string | undefined> {
    const rows = await sql.query<{ hash: string }>('SELECT hash FROM audit_events WHERE seq = $1', [seq]);
    return rows[0]?.hash;
  }

  /**
   * Verify the whole chain, a page at a time. The table has no head record of its own to compare with:
   * rows cut from the end are caught by comparing with signed, anchored heads (shared/audit/anchor-check.ts).
   */
  async verify(sql: HubSql): Promise<ChainVerdict> {
    const walker = new ChainWalker();
    let after = 0;
    for (;;) {
      const page = await sql.query<RawRow>(
        'SELECT seq, at, kind, actor, payload, prev_hash, hash FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2',
        [after, PAGE],
      );
      for (const raw of page) {
        const problem = walker.step(toRow(raw));
        if (problem) return { ok: false, rows: walker.count, badSeq: raw.seq, reason: problem };
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.seq;
    }
    return walker.finish(walker.head);
  }

  /** Newest first; filter by kind, only rows after `afterSeq`. */
  async list(
    sql: HubSql,
    options: { kind?: string; afterSeq?: number; limit?: number } = {},
  ): Promise<AuditRow[]> {
    const rows = await sql.query<RawRow>(
      `SELECT seq, at, kind, actor, payload, prev_hash, hash FROM audit_events
        WHERE ($1::text IS NULL OR kind = $1) AND seq > $2 ORDER BY seq DESC LIMIT $3`,
      [options.kind ?? null, options.afterSeq ?? 0, options.limit ?? 100],
    );
    return rows.map(toRow);
  }
}
