// Opens a SQLite file the one way the project does it: WAL, busy_timeout, foreign keys,
// secure_delete (deleted plates must not linger in free pages), then migrations. Commands that only
// read a store open it read-only (never created, never migrated); commands that change an existing
// store refuse a path that does not exist instead of creating an empty database there.
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { LATEST_VERSION, migrate } from './migrations.js';
import { StoreOpenError } from './store-open-error.js';

export { StoreOpenError } from './store-open-error.js';

export interface OpenDatabaseOptions {
  /** How long a writer waits for the write lock held by another process. */
  busyTimeoutMs?: number;
  /** Read-only: the file must exist and be an alpr store; it is never migrated. */
  readonly?: boolean;
  /** Refuse a path that does not exist (or is not yet an alpr store) instead of creating one. */
  mustExist?: boolean;
}

export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Database.Database {
  const readonly = options.readonly ?? false;
  const mustExist = readonly || (options.mustExist ?? false);
  if (file !== ':memory:') {
    if (mustExist) checkExists(file);
    else mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  }
  let db: Database.Database;
  try {
    db = new Database(file, { readonly, fileMustExist: mustExist });
  } catch (error) {
    throw new StoreOpenError(file, 'cannot-open', `cannot open: ${(error as Error).message}`);
  }
  try {
    db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    db.pragma('foreign_keys = ON');
    db.pragma('secure_delete = ON');
    const version = schemaVersion(db, file);
    if (mustExist && version === 0) {
      throw new StoreOpenError(
        file,
        'not-alpr',
        'not an alpr store (no schema); the edge creates one on first start, or run `alpr db migrate`',
      );
    }
    if (readonly && version > LATEST_VERSION) {
      throw new StoreOpenError(
        file,
        'newer',
        `database schema version ${version} is newer than this software supports (${LATEST_VERSION}); upgrade alpr`,
      );
    }
    if (!readonly) {
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

function checkExists(file: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(file).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new StoreOpenError(file, 'missing', 'no such store (nothing was created)');
    }
    throw new StoreOpenError(file, 'cannot-open', `cannot open: ${(error as Error).message}`);
  }
  if (isDirectory) throw new StoreOpenError(file, 'directory', 'is a directory, not a store file');
}

/** The schema version; the first read of the file, so a file that is not SQLite fails here, clearly. */
function schemaVersion(db: Database.Database, file: string): number {
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new StoreOpenError(file, 'not-sqlite', `not an SQLite database (${(error as Error).message})`);
    }
    throw error;
  }
}
