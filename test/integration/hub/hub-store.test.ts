// The hub's core schema on both engines: migrations, the SH-01 agency constraint, the fail-closed read
// trigger, day partitions and the append-only audit chain.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HubAuditLog } from '../../../hub/audit/hub-audit-log.js';
import { isUnavailableError } from '../../../hub/db/hub-db.js';
import { HUB_LATEST_VERSION, hubSchemaVersion, migrateHub } from '../../../hub/db/hub-migrations.js';
import { openPostgresDb } from '../../../hub/db/postgres-db.js';
import { listReadPartitions, partitionName } from '../../../hub/store/read-partitions.js';
import { GENESIS_HASH } from '../../../shared/audit/chain.js';
import { DAY_MS } from '../../../shared/runtime/clock.js';
import { HUB_ENGINES, openTestHubDb, type TestHubDb } from '../../support/hub-db.js';
import {
  insertAgency,
  insertCamera,
  insertEdge,
  insertRead,
  insertVerdict,
  T0,
} from '../../support/hub-factories.js';

describe.each(HUB_ENGINES)('hub store on %s', (engine) => {
  let t: TestHubDb;
  beforeEach(async () => {
    t = await openTestHubDb(engine);
  });
  afterEach(async () => {
    await t.drop();
  });

  describe('migrations', () => {
    it('brings an empty database to the latest version, and running again changes nothing', async () => {
      expect(await hubSchemaVersion(t.db)).toBe(HUB_LATEST_VERSION);
      expect(await migrateHub(t.db)).toEqual([]);
    });
  });

  describe('agencies (SH-01)', () => {
    it('accepts California local or state law enforcement', async () => {
      await insertAgency(t.db, { agencyType: 'local_le' });
      await insertAgency(t.db, { ori: 'CA0349400', agencyType: 'state_le', isHome: false });
      const rows = await t.db.query('SELECT ori FROM agencies');
      expect(rows).toHaveLength(2);
    });

    it.each([
      ['a federal agency', { agencyType: 'federal' }],
      ['an out-of-state agency', { state: 'NV', ori: 'NV0020000' }],
      ['a private entity', { agencyType: 'private' }],
      ['a malformed ORI', { ori: 'CA12' }],
    ])('refuses %s at the table', async (_what, overrides) => {
      await expect(insertAgency(t.db, { isHome: false, ...overrides })).rejects.toThrow(
        /violates check constraint/,
      );
    });

    it('allows one home agency only', async () => {
      await insertAgency(t.db);
      await expect(insertAgency(t.db, { ori: 'CA0349400' })).rejects.toThrow(/agencies_single_home/);
    });
  });

  describe('reads: fail closed on the verdict', () => {
    let verdictId: number;
    beforeEach(async () => {
      const agency = await insertAgency(t.db);
      await insertEdge(t.db, agency);
      await insertCamera(t.db, 'edge-01');
      verdictId = await insertVerdict(t.db, { edgeId: 'edge-01', cameraId: 'cam-1', edgeVerdictId: 1 });
    });

    it('stores a read under its camera’s compliant verdict, in the partition of its capture day', async () => {
      await insertRead(t.db, { verdictId });
      const rows = await t.db.query<{ tableoid: string; edge_read_id: number }>(
        'SELECT tableoid::regclass::text AS tableoid, edge_read_id FROM reads',
      );
      expect(rows).toEqual([{ tableoid: partitionName(Date.UTC(2026, 2, 1)), edge_read_id: 1 }]);
      expect(typeof rows[0]!.edge_read_id).toBe('number');
    });

    it('refuses a read under a non-compliant verdict', async () => {
      const bad = await insertVerdict(t.db, {
        edgeId: 'edge-01',
        cameraId: 'cam-1',
        edgeVerdictId: 2,
        compliant: false,
      });
      await expect(insertRead(t.db, { verdictId: bad })).rejects.toThrow(/no compliant verdict/);
    });

    it('refuses a read under another camera’s verdict', async () => {
      await insertCamera(t.db, 'edge-01', 'cam-2');
      await expect(insertRead(t.db, { verdictId, cameraId: 'cam-2' })).rejects.toThrow(
        /no compliant verdict/,
      );
    });

    it('refuses a read captured after its verdict was superseded, and keeps one captured before', async () => {
      await insertVerdict(t.db, {
        edgeId: 'edge-01',
        cameraId: 'cam-1',
        edgeVerdictId: 2,
        compliant: false,
        evaluatedAt: T0 + 60_000,
      });
      await insertRead(t.db, { verdictId, edgeReadId: 1, capturedAt: T0 });
      await expect(insertRead(t.db, { verdictId, edgeReadId: 2, capturedAt: T0 + 120_000 })).rejects.toThrow(
        /superseded/,
      );
    });

    it('inserts a resent read once: the key is (edge, edge read id, capture time)', async () => {
      await insertRead(t.db, { verdictId });
      await expect(insertRead(t.db, { verdictId })).rejects.toThrow(/duplicate key/);
    });

    it('lists day partitions oldest first', async () => {
      await insertRead(t.db, { verdictId, edgeReadId: 1, capturedAt: T0 + DAY_MS });
      await insertRead(t.db, { verdictId, edgeReadId: 2, capturedAt: T0 });
      const days = (await listReadPartitions(t.db)).map((p) => p.name);
      expect(days).toEqual(['reads_p20260301', 'reads_p20260302']);
    });
  });

  describe('audit chain', () => {
    const audit = new HubAuditLog();
    const event = (n: number) => ({ kind: 'test.event', actor: 'tester', payload: { n } });

    it('appends inside the caller’s transaction and verifies', async () => {
      await t.db.transaction((tx) => audit.append(tx, [event(1), event(2)], T0));
      await t.db.transaction((tx) => audit.append(tx, event(3), T0 + 1));
      expect(await audit.verify(t.db)).toMatchObject({ ok: true, rows: 3, head: { seq: 3 } });
      expect((await audit.list(t.db, { limit: 2 })).map((r) => r.seq)).toEqual([3, 2]);
    });

    it('rolls the entry back with the action when the transaction fails (AUD-06)', async () => {
      await expect(
        t.db.transaction(async (tx) => {
          await audit.append(tx, event(1), T0);
          throw new Error('the action failed');
        }),
      ).rejects.toThrow('the action failed');
      expect(await audit.head(t.db)).toBeUndefined();
    });

    it('refuses UPDATE, DELETE and TRUNCATE (AUD-05)', async () => {
      await t.db.transaction((tx) => audit.append(tx, event(1), T0));
      await expect(t.db.query("UPDATE audit_events SET actor = 'x'")).rejects.toThrow(/append-only/);
      await expect(t.db.query('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
      await expect(t.db.query('TRUNCATE audit_events')).rejects.toThrow(/append-only/);
    });

    it('refuses a row that does not continue the chain (no forks, no gaps)', async () => {
      await t.db.transaction((tx) => audit.append(tx, event(1), T0));
      const insert = (seq: number, prev: string) =>
        t.db.query(
          `INSERT INTO audit_events (seq, at, kind, actor, payload, prev_hash, hash) VALUES ($1, 0, 'k', 'a', '{}', $2, $3)`,
          [seq, prev, 'f'.repeat(64)],
        );
      await expect(insert(3, GENESIS_HASH)).rejects.toThrow(/does not continue the chain/);
      await expect(insert(2, GENESIS_HASH)).rejects.toThrow(/does not continue the chain/);
    });

    it('keeps concurrent appends in one chain', async () => {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => t.db.transaction((tx) => audit.append(tx, event(i), T0 + i))),
      );
      expect(await audit.verify(t.db)).toMatchObject({ ok: true, rows: 10 });
    });
  });
});

describe('hub database unavailable', () => {
  it('reports a server that does not answer as unavailable, not as a SQL error', async () => {
    const error = await openPostgresDb({
      url: 'postgres://postgres@127.0.0.1:1/none',
      connectTimeoutMs: 500,
    }).catch((e: unknown) => e);
    expect(isUnavailableError(error)).toBe(true);
  });
});
