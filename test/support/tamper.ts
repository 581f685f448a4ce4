// What an attacker with write access to the database file can do first: drop the schema's guards.
import type Database from 'better-sqlite3';
import { computeRowHash, GENESIS_HASH } from '../../shared/audit/chain.js';
import { canonicalJson, isCanonicalJson } from '../../shared/canonical-json.js';

/** Drop every trigger on `table` (the append-only and canonical-payload guards of audit_events, …). */
export function dropTriggersOn(db: Database.Database, table: string): string[] {
  const names = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?")
    .pluck()
    .all(table) as string[];
  for (const name of names) db.exec(`DROP TRIGGER "${name}"`);
  return names;
}

/**
 * Recompute every row's prev_hash and hash from the genesis and rewrite the head in `meta`: what someone
 * with write access to the file (but not the signing key) does after editing rows, so the chain checks out.
 * Payloads are hashed as stored when canonical; otherwise their canonical form is hashed (the forger's best).
 */
export function recomputeChain(db: Database.Database): void {
  dropTriggersOn(db, 'audit_events');
  const rows = db
    .prepare('SELECT seq, at, kind, actor, payload FROM audit_events ORDER BY seq')
    .all() as Array<{
    seq: number;
    at: number;
    kind: string;
    actor: string;
    payload: string;
  }>;
  let prev = GENESIS_HASH;
  const update = db.prepare('UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?');
  db.transaction(() => {
    // Clear hashes first: the hash column is UNIQUE.
    db.prepare("UPDATE audit_events SET hash = 'x' || seq").run();
    for (const row of rows) {
      const payload = isCanonicalJson(row.payload) ? row.payload : canonicalJson(JSON.parse(row.payload));
      const hash = computeRowHash(prev, { ...row, payload });
      update.run(prev, hash, row.seq);
      prev = hash;
    }
    const last = rows[rows.length - 1];
    db.prepare("UPDATE meta SET value = ? WHERE key = 'audit.head'").run(
      JSON.stringify({ seq: last?.seq ?? 0, hash: prev }),
    );
  })();
}
