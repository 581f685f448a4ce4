// What an attacker with write access to the database file can do first: drop the schema's guards.
import type Database from 'better-sqlite3';

/** Drop every trigger on `table` (the append-only and canonical-payload guards of audit_events, …). */
export function dropTriggersOn(db: Database.Database, table: string): string[] {
  const names = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?")
    .pluck()
    .all(table) as string[];
  for (const name of names) db.exec(`DROP TRIGGER "${name}"`);
  return names;
}
