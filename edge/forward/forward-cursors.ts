// The forwarder's cursors in the edge store's meta table: the last read, verdict, receipt (audit seq) and
// audit head (seq) the hub acknowledged. A cursor only moves forward, even with two processes forwarding
// from one store, and is tied to the hub it counts for: pointed at another hub, forwarding starts over
// (the hub deduplicates, so that costs only traffic).
import type Database from 'better-sqlite3';

export const CURSOR_NAMES = ['reads', 'verdicts', 'receipts', 'heads'] as const;
export type CursorName = (typeof CURSOR_NAMES)[number];

const HUB_KEY = 'forward.hubUrl';
const key = (name: CursorName) => `forward.cursor.${name}`;

export class ForwardCursors {
  private readonly getStmt: Database.Statement<[string], { value: string }>;
  private readonly advanceStmt: Database.Statement<[string, string]>;
  private readonly setStmt: Database.Statement<[string, string]>;

  constructor(private readonly db: Database.Database) {
    this.getStmt = db.prepare('SELECT value FROM meta WHERE key = ?');
    this.advanceStmt = db.prepare(`INSERT INTO meta (key, value) VALUES (?, ?)
      ON CONFLICT(key) DO UPDATE SET value = excluded.value
      WHERE CAST(excluded.value AS INTEGER) > CAST(meta.value AS INTEGER)`);
    this.setStmt = db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
  }

  get(name: CursorName): number {
    const row = this.getStmt.get(key(name));
    return row ? Number(row.value) : 0;
  }

  all(): Record<CursorName, number> {
    return Object.fromEntries(CURSOR_NAMES.map((n) => [n, this.get(n)])) as Record<CursorName, number>;
  }

  /** Move a cursor to `value` if that is further; durable when this returns. */
  advance(name: CursorName, value: number): void {
    if (!Number.isSafeInteger(value) || value <= 0) return;
    this.advanceStmt.run(key(name), String(value));
  }

  /** Bind the cursors to `hubUrl`; returns true when they were reset because it is another hub. */
  bindTo(hubUrl: string): boolean {
    const current = this.getStmt.get(HUB_KEY)?.value;
    if (current === hubUrl) return false;
    this.db
      .transaction(() => {
        for (const name of CURSOR_NAMES) this.setStmt.run(key(name), '0');
        this.setStmt.run(HUB_KEY, hubUrl);
      })
      .immediate();
    return current !== undefined;
  }
}
