// The store: one SQLite connection and the repositories over it. Each process opens its own.
import type Database from 'better-sqlite3';
import { AuditLog } from '../audit/audit-log.js';
import type { RetentionPolicy } from '../policy/retention.js';
import { CamerasRepository } from './cameras.repository.js';
import { openDatabase } from './database.js';
import { HoldsRepository } from './holds.repository.js';
import { ReadsRepository } from './reads.repository.js';
import { VerdictsRepository } from './verdicts.repository.js';

export interface StoreOptions {
  /** retention.days: becomes the store's `retention`, the one policy object every consumer reads. */
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
  /** The retention in force (opened with it): holds, the purge and /health read it from here. */
  readonly retention: RetentionPolicy;
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
  // Repositories prepare their statements when first used, not at open: a read-only command on a store
  // of an older schema (audit verify never migrates) must not fail on a column only newer code reads.
  const lazy = <T>(make: () => T): (() => T) => {
    let value: T | undefined;
    return () => {
      value ??= make();
      return value;
    };
  };
  const cameras = lazy(() => new CamerasRepository(db));
  const verdicts = lazy(() => new VerdictsRepository(db));
  const retention: RetentionPolicy = Object.freeze({ days: options.retentionDays });
  const reads = lazy(() => new ReadsRepository(db, retention.days));
  const holds = lazy(() => new HoldsRepository(db));
  const audit = lazy(() => new AuditLog(db));
  return {
    db,
    file,
    retention,
    get cameras() {
      return cameras();
    },
    get verdicts() {
      return verdicts();
    },
    get reads() {
      return reads();
    },
    get holds() {
      return holds();
    },
    get audit() {
      return audit();
    },
    transaction: <T>(fn: () => T): T => db.transaction(fn).immediate(),
    close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
