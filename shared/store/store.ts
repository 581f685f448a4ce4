// The store: one SQLite connection and the repositories over it. Each process opens its own.
import type Database from 'better-sqlite3';
import { AuditLog } from '../audit/audit-log.js';
import { CamerasRepository } from './cameras.repository.js';
import { openDatabase } from './database.js';
import { HoldsRepository } from './holds.repository.js';
import { ReadsRepository } from './reads.repository.js';
import { VerdictsRepository } from './verdicts.repository.js';

export interface StoreOptions {
  retentionDays: number;
  busyTimeoutMs?: number;
  /** Read-only, never created or migrated (commands that only read a store). */
  readonly?: boolean;
  /** Refuse a path that does not exist instead of creating an empty store there. */
  mustExist?: boolean;
}

export interface Store {
  readonly db: Database.Database;
  readonly file: string;
  readonly cameras: CamerasRepository;
  readonly verdicts: VerdictsRepository;
  readonly reads: ReadsRepository;
  readonly holds: HoldsRepository;
  readonly audit: AuditLog;
  /** Run `fn` in one immediate transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T;
  /** Idempotent. */
  close(): void;
}

export function openStore(file: string, options: StoreOptions): Store {
  const db = openDatabase(file, {
    busyTimeoutMs: options.busyTimeoutMs,
    readonly: options.readonly,
    mustExist: options.mustExist,
  });
  let closed = false;
  return {
    db,
    file,
    cameras: new CamerasRepository(db),
    verdicts: new VerdictsRepository(db),
    reads: new ReadsRepository(db, options.retentionDays),
    holds: new HoldsRepository(db),
    audit: new AuditLog(db),
    transaction: <T>(fn: () => T): T => db.transaction(fn).immediate(),
    close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
