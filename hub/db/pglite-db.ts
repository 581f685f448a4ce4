// HubDb on PGlite: PostgreSQL in WebAssembly, persisted under a directory, with pg_trgm for partial-plate
// search. One engine instance serves the whole process; PGlite queues statements, and a transaction holds
// the engine until it ends, so nothing interleaves with it.
import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { type HubDb, HubDbUnavailableError, type HubSql, type SqlParam } from './hub-db.js';
import { lockDataDir } from './pglite-lock.js';

const INT8_OID = 20;

function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 value ${text} is beyond 2^53`);
  return value;
}

export interface PgliteOptions {
  /** Start from this data-directory tarball (PGlite's dumpDataDir) instead of running initdb. */
  loadDataDir?: Blob;
}

/** Open (creating if needed) the PGlite database in `dataDir`; `memory://` keeps it in memory (tests). */
export async function openPgliteDb(
  dataDir: string,
  options: PgliteOptions = {},
): Promise<HubDb & { dump(): Promise<Blob> }> {
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const unlock = inMemory ? () => undefined : lockDataDir(dataDir);
  let pg: PGlite;
  try {
    pg = await PGlite.create(dataDir, {
      extensions: { pg_trgm },
      parsers: { [INT8_OID]: parseInt8 },
      loadDataDir: options.loadDataDir,
    });
  } catch (error) {
    unlock();
    throw new HubDbUnavailableError(
      `cannot open the embedded hub database in ${dataDir}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  let closed = false;
  const guard = () => {
    if (closed) throw new HubDbUnavailableError('the embedded hub database is closed');
  };
  const sqlOf = (runner: Pick<PGlite | Transaction, 'query' | 'exec'>): HubSql => ({
    async query<T>(text: string, params: readonly SqlParam[] = []) {
      guard();
      const result = await runner.query<T>(text, params as unknown[]);
      return result.rows;
    },
    async exec(sql: string) {
      guard();
      await runner.exec(sql);
    },
  });
  const root = sqlOf(pg);
  return {
    engine: 'pglite',
    location: dataDir,
    query: root.query,
    exec: root.exec,
    async transaction<T>(fn: (tx: HubSql) => Promise<T>): Promise<T> {
      guard();
      return pg.transaction((tx) => fn(sqlOf(tx)));
    },
    async dump() {
      guard();
      return pg.dumpDataDir('none');
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await pg.close();
      } finally {
        unlock();
      }
    },
  };
}
