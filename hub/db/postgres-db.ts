// HubDb on a PostgreSQL server (13+) through a node-postgres pool. Several hub processes may share one
// server: nothing here keeps state outside the database.
import pg from 'pg';
import { redactUrl } from '../../shared/logging/logger.js';
import {
  type HubDb,
  HubDbUnavailableError,
  type HubSql,
  isUnavailableError,
  type SqlParam,
} from './hub-db.js';

const INT8_OID = 20;

function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 value ${text} is beyond 2^53`);
  return value;
}

const typeParsers = {
  getTypeParser(oid: number, format?: string) {
    if (oid === INT8_OID && format !== 'binary') return parseInt8;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

function wrap(error: unknown): unknown {
  if (isUnavailableError(error) && !(error instanceof HubDbUnavailableError)) {
    return new HubDbUnavailableError(`hub database unreachable: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return error;
}

export interface PostgresOptions {
  url: string;
  poolSize?: number;
  /** How long a request waits for a connection before failing as unavailable. */
  connectTimeoutMs?: number;
  /** Server-side cap on one statement, so a stuck query cannot hold a connection forever. */
  statementTimeoutMs?: number;
}

/** Connect a pool and check the server answers (fails with HubDbUnavailableError when it does not). */
export async function openPostgresDb(options: PostgresOptions): Promise<HubDb> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    statement_timeout: options.statementTimeoutMs ?? 60_000,
    types: typeParsers,
    application_name: 'alpr-hub',
  });
  // An idle client that loses its server emits here; without a listener the process would crash.
  pool.on('error', () => undefined);
  const location = redactUrl(options.url);
  const sqlOf = (runner: pg.Pool | pg.PoolClient): HubSql => ({
    async query<T>(text: string, params: readonly SqlParam[] = []) {
      try {
        return (await runner.query(text, params as unknown[])).rows as T[];
      } catch (error) {
        throw wrap(error);
      }
    },
    async exec(sql: string) {
      try {
        await runner.query(sql); // no parameters: the simple protocol, several statements allowed
      } catch (error) {
        throw wrap(error);
      }
    },
  });
  const root = sqlOf(pool);
  try {
    await root.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    engine: 'postgres',
    location,
    query: root.query,
    exec: root.exec,
    async transaction<T>(fn: (tx: HubSql) => Promise<T>): Promise<T> {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw wrap(error);
      }
      const tx = sqlOf(client);
      let broken = false;
      // A checked-out client is not covered by the pool's error listener: without one of its own, a
      // server that goes away between two statements of this transaction (57P01, a reset) would emit an
      // unhandled 'error' and crash the process. The statement in flight fails on its own.
      const onError = () => {
        broken = true;
      };
      client.on('error', onError);
      try {
        await tx.query('BEGIN');
        const value = await fn(tx);
        await tx.query('COMMIT');
        return value;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true; // the connection itself is gone: do not return it to the pool
        }
        throw wrap(error);
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    close() {
      closing ??= pool.end();
      return closing;
    },
  };
}
