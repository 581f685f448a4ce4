// The hub's one database contract, served by two engines: PGlite (PostgreSQL compiled to WebAssembly,
// embedded, data in a directory) and a PostgreSQL server. Same SQL dialect, same migrations; callers
// never know which engine they talk to. Rows come back with int8 as JS numbers on both engines.

export type SqlParam = string | number | boolean | null | Date | Buffer | readonly unknown[];

/** Anything that runs SQL: the database itself, or one transaction. */
export interface HubSql {
  /** One statement with $1… parameters; returns its rows. */
  query<T = Record<string, unknown>>(text: string, params?: readonly SqlParam[]): Promise<T[]>;
  /** Several statements without parameters (migrations, DDL). */
  exec(sql: string): Promise<void>;
}

export type HubEngine = 'pglite' | 'postgres';

export interface HubDb extends HubSql {
  readonly engine: HubEngine;
  /** Where the data is: the PGlite directory, or the server URL with its password redacted. */
  readonly location: string;
  /**
   * Run `fn` in one transaction (READ COMMITTED); commit when it resolves, roll back when it throws.
   * Everything that must be atomic with an audit entry goes through here.
   */
  transaction<T>(fn: (tx: HubSql) => Promise<T>): Promise<T>;
  /** Idempotent. */
  close(): Promise<void>;
}

/**
 * The database cannot be reached (server down, connection lost, embedded engine closed). Requests that
 * meet it answer 503 and the caller retries later; nothing was written.
 */
export class HubDbUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HubDbUnavailableError';
  }
}

// PostgreSQL SQLSTATE classes that mean "the server is not there", not "your SQL is wrong":
// 08 connection exception, 57P01-57P03 admin/crash shutdown, cannot connect now.
const UNAVAILABLE_SQLSTATE = /^(08|57P0[1-3])/;
const UNAVAILABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);

/** True when `error` says the database is unreachable rather than that a statement failed. */
export function isUnavailableError(error: unknown): boolean {
  if (error instanceof HubDbUnavailableError) return true;
  const e = error as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && (UNAVAILABLE_SQLSTATE.test(e.code) || UNAVAILABLE_ERRNO.has(e.code)))
    return true;
  return (
    typeof e.message === 'string' &&
    /Connection terminated|connection timeout|Client has encountered a connection error|PGlite is closed/i.test(
      e.message,
    )
  );
}

/** The SQLSTATE of a PostgreSQL error, if it is one (23505 unique violation, P0001 raise…). */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
