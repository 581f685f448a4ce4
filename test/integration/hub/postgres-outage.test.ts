// The PostgreSQL engine when its server goes away, on a throwaway server of the test's own: a transaction
// caught between two statements fails as "unavailable" (so requests answer 503) instead of crashing the
// process with an unhandled client error, and the pool serves again once the server is back.
import { describe, expect, it } from 'vitest';
import { HubDbUnavailableError } from '../../../hub/db/hub-db.js';
import { openPostgresDb } from '../../../hub/db/postgres-db.js';
import { PG_SERVER_BIN, startPgCluster } from '../../support/pg-cluster.js';

describe.skipIf(!PG_SERVER_BIN)('PostgreSQL engine during an outage', () => {
  it('fails a transaction open across the shutdown as unavailable, and recovers when the server returns', async () => {
    const cluster = await startPgCluster();
    const db = await openPostgresDb({ url: cluster.url, poolSize: 2, connectTimeoutMs: 1000 });
    try {
      const outcome = await db
        .transaction(async (tx) => {
          await tx.query('SELECT 1');
          cluster.stop(); // the server terminates this connection while the transaction is open
          await new Promise((r) => setTimeout(r, 200));
          return tx.query('SELECT 2');
        })
        .catch((error: unknown) => error);
      expect(outcome).toBeInstanceOf(HubDbUnavailableError);
      await expect(db.query('SELECT 1')).rejects.toBeInstanceOf(HubDbUnavailableError);
      cluster.start();
      expect(await db.query<{ n: number }>('SELECT 3 AS n')).toEqual([{ n: 3 }]);
      expect(await db.transaction((tx) => tx.query<{ n: number }>('SELECT 4 AS n'))).toEqual([{ n: 4 }]);
    } finally {
      await db.close();
      cluster.destroy();
    }
  });
});
