// Opens a SQLite file the one way the project does it: WAL, busy_timeout, foreign keys,
// secure_delete (deleted plates must not linger in free pages), then migrations.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations.js';

export interface OpenDatabaseOptions {
  /** How long a writer waits for the write lock held by another process. */
  busyTimeoutMs?: number;
  readonly?: boolean;
}

export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Database.Database {
  if (!options.readonly && file !== ':memory:')
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file, {
    readonly: options.readonly ?? false,
    fileMustExist: options.readonly ?? false,
  });
  try {
    db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    db.pragma('foreign_keys = ON');
    db.pragma('secure_delete = ON');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      // FULL: a committed read or hold survives power loss, not just a process crash.
      db.pragma('synchronous = FULL');
      migrate(db);
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
