// Ingest of cameras, verdicts and reads on both engines: exactly once in the hub however often a batch is
// sent, one refusal per bad read with its reason while the good reads behind it are stored, fail closed on
// the camera and its verdict, capture times checked against the hub clock and retention, all counted.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HubSql } from '../../../hub/db/hub-db.js';
import { openPostgresDb } from '../../../hub/db/postgres-db.js';
import { ReadIngest, TriggerRefusal } from '../../../hub/ingest/read-ingest.service.js';
import { INGEST_PATHS, type ReadsAnswer } from '../../../shared/forward/wire.js';
import { DAY_MS } from '../../../shared/runtime/clock.js';
import { HUB_ENGINES } from '../../support/hub-db.js';
import {
  edgePost,
  enrolTestEdge,
  HUB_T0,
  metricValue,
  openTestHub,
  type TestHub,
  wireCamera,
  wireRead,
  wireReads,
  wireVerdict,
} from '../../support/hub-ingest.js';

describe.each(HUB_ENGINES)('read ingest on %s', (engine) => {
  let hub: TestHub;
  let secret: string;
  const edge = () => ({ edgeId: 'edge-01', secret });
  const postReads = (body: unknown) => edgePost(hub, INGEST_PATHS.reads, body, edge());
  const storedIds = async () =>
    (await hub.ctx.db.query<{ id: number }>('SELECT edge_read_id AS id FROM reads ORDER BY 1')).map(
      (r) => r.id,
    );

  beforeEach(async () => {
    hub = await openTestHub(engine);
    secret = await enrolTestEdge(hub);
    const res = await edgePost(
      hub,
      INGEST_PATHS.cameras,
      {
        cameras: [wireCamera(), wireCamera({ cameraId: 'cam-2', cameraHash: 'hash-cam-2' })],
        verdicts: [
          wireVerdict(),
          wireVerdict({ edgeVerdictId: 2, cameraId: 'cam-2', cameraHash: 'hash-cam-2', compliant: false }),
        ],
      },
      edge(),
    );
    expect(res.json()).toEqual({ verdictCursor: 2 });
  });
  afterEach(() => hub.close());

  it('stores a batch once, answers duplicates when it is sent again, and moves the cursor', async () => {
    const body = { reads: wireReads(50), status: { backlogReads: 10, oldestUnforwardedAt: HUB_T0 - 5000 } };
    const first = (await postReads(body)).json() as ReadsAnswer;
    expect(first.accepted).toHaveLength(50);
    expect(first).toMatchObject({ duplicates: [], refused: [], cursor: 50 });
    const again = (await postReads(body)).json() as ReadsAnswer;
    expect(again).toMatchObject({ accepted: [], refused: [], cursor: 50 });
    expect(again.duplicates).toHaveLength(50);
    expect(await storedIds()).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await metricValue(hub, 'alpr_hub_ingest_reads_accepted_total')).toBe(50);
    expect(await metricValue(hub, 'alpr_hub_ingest_reads_duplicate_total')).toBe(50);
    const [status] = await hub.ctx.db.query<Record<string, unknown>>('SELECT * FROM edge_forwarding');
    expect(status).toMatchObject({
      read_cursor: 50,
      reads_accepted: 50,
      reads_duplicate: 50,
      backlog_reads: 10,
      oldest_unforwarded_at: new Date(HUB_T0 - 5000),
      last_request: 'reads',
    });
  });

  it('folds the plate into its search key and keeps what the edge read', async () => {
    await postReads({ reads: [wireRead({ plate: 'OI7ABC', rawText: 'oi-7abc' })] });
    const rows = await hub.ctx.db.query('SELECT plate, plate_key, raw_text, confidence, box_w FROM reads');
    expect(rows).toEqual([
      {
        plate: 'OI7ABC',
        plate_key: '017ABC',
        raw_text: 'oi-7abc',
        confidence: expect.closeTo(0.97, 5),
        box_w: 120,
      },
    ]);
  });

  it('refuses each bad read with its reason and still stores the good reads behind it', async () => {
    const reads = [
      wireRead({ edgeReadId: 1 }),
      { ...wireRead({ edgeReadId: 2 }), plate: 'not a plate' },
      wireRead({ edgeReadId: 3, capturedAt: HUB_T0 + 10 * 60_000 }),
      wireRead({ edgeReadId: 4, capturedAt: HUB_T0 - 31 * DAY_MS }),
      wireRead({ edgeReadId: 5, cameraId: 'cam-9' }),
      wireRead({ edgeReadId: 6, cameraId: 'cam-2', edgeVerdictId: 2 }),
      wireRead({ edgeReadId: 7, edgeVerdictId: 42 }),
      wireRead({ edgeReadId: 8, cameraId: 'cam-2', edgeVerdictId: 1 }),
      { edgeReadId: 9, unexpected: true },
      'not even an object',
      wireRead({ edgeReadId: 11 }),
    ];
    const res = await postReads({ reads });
    expect(res.statusCode).toBe(200);
    const answer = res.json() as ReadsAnswer;
    expect(answer.accepted.sort()).toEqual([1, 11]);
    expect(answer.cursor).toBe(11);
    expect(answer.refused.map((r) => [r.edgeReadId, r.index, r.reason])).toEqual([
      [2, 1, 'malformed'],
      [3, 2, 'future_capture'],
      [4, 3, 'past_retention'],
      [5, 4, 'unknown_camera'],
      [6, 5, 'no_compliant_verdict'],
      [7, 6, 'no_compliant_verdict'],
      [8, 7, 'no_compliant_verdict'],
      [9, 8, 'malformed'],
      [null, 9, 'malformed'],
    ]);
    expect(answer.refused[0]!.message).toMatch(/plate must be/);
    expect(answer.refused[1]!.message).toMatch(/600 s ahead of the hub clock/);
    expect(answer.refused[6]!.message).toMatch(/camera cam-1's, not cam-2's/);
    expect(await storedIds()).toEqual([1, 11]);
    expect(await metricValue(hub, 'alpr_hub_ingest_reads_refused_total', { reason: 'malformed' })).toBe(3);
    expect(
      await metricValue(hub, 'alpr_hub_ingest_reads_refused_total', { reason: 'no_compliant_verdict' }),
    ).toBe(3);
    const [event] = await hub.ctx.audit.list(hub.ctx.db, { kind: 'ingest.reads_refused' });
    expect(JSON.parse(event!.payload)).toMatchObject({
      edgeId: 'edge-01',
      byReason: {
        malformed: 3,
        future_capture: 1,
        past_retention: 1,
        unknown_camera: 1,
        no_compliant_verdict: 3,
      },
    });
    expect(event!.payload).not.toContain('7ABC123');
  });

  it('refuses a read captured after its verdict was superseded (stale), not one captured before', async () => {
    await edgePost(
      hub,
      INGEST_PATHS.cameras,
      { cameras: [], verdicts: [wireVerdict({ edgeVerdictId: 3, evaluatedAt: HUB_T0 - 120_000 })] },
      edge(),
    );
    const answer = (
      await postReads({
        reads: [
          wireRead({ edgeReadId: 1, capturedAt: HUB_T0 - 180_000 }),
          wireRead({ edgeReadId: 2, capturedAt: HUB_T0 - 60_000 }),
          wireRead({ edgeReadId: 3, capturedAt: HUB_T0 - 60_000, edgeVerdictId: 3 }),
        ],
      })
    ).json() as ReadsAnswer;
    expect(answer.accepted.sort()).toEqual([1, 3]);
    expect(answer.refused).toEqual([expect.objectContaining({ edgeReadId: 2, reason: 'stale_verdict' })]);
  });

  it('keeps reads a minute ahead (within hub.maxCaptureSkewS) and puts each in its capture day’s partition', async () => {
    const answer = (
      await postReads({
        reads: [
          wireRead({ edgeReadId: 1, capturedAt: HUB_T0 + 60_000 }),
          wireRead({ edgeReadId: 2, capturedAt: HUB_T0 - DAY_MS }),
        ],
      })
    ).json() as ReadsAnswer;
    expect(answer.accepted.sort()).toEqual([1, 2]);
    const parts = await hub.ctx.db.query<{ p: string }>(
      'SELECT tableoid::regclass::text AS p FROM reads ORDER BY edge_read_id',
    );
    expect(parts.map((r) => r.p)).toEqual(['reads_p20260301', 'reads_p20260228']);
  });

  it('answers 413 for more than 500 reads and 400 for a bad envelope, storing nothing', async () => {
    const big = await postReads({ reads: wireReads(501) });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ error: 'batch_too_large' });
    const extra = await postReads({ reads: [], sneaky: 1 });
    expect(extra.statusCode).toBe(400);
    const notArray = await postReads({ reads: 'x' });
    expect(notArray.statusCode).toBe(400);
    expect(await storedIds()).toEqual([]);
  });

  it('refuses verdicts for a camera the edge has not registered (422), storing none of them', async () => {
    const res = await edgePost(
      hub,
      INGEST_PATHS.cameras,
      { cameras: [], verdicts: [wireVerdict({ edgeVerdictId: 5, cameraId: 'cam-7' })] },
      edge(),
    );
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ error: 'unknown_camera', cameras: ['cam-7'] });
    expect(await hub.ctx.db.query('SELECT 1 FROM camera_verdicts WHERE edge_verdict_id = 5')).toHaveLength(0);
  });

  it('keeps one edge’s reads and cameras apart from another’s with the same ids', async () => {
    const other = await enrolTestEdge(hub, 'edge-02');
    const onOther = await edgePost(
      hub,
      INGEST_PATHS.reads,
      { reads: [wireRead({ edgeReadId: 1 })] },
      { edgeId: 'edge-02', secret: other },
    );
    expect((onOther.json() as ReadsAnswer).refused).toEqual([
      expect.objectContaining({ reason: 'unknown_camera' }),
    ]);
    await postReads({ reads: [wireRead({ edgeReadId: 1 })] });
    expect(await hub.ctx.db.query('SELECT edge_id FROM reads')).toEqual([{ edge_id: 'edge-01' }]);
  });

  it('stores receipts once and answers their cursor', async () => {
    const body = {
      receipts: [
        { auditSeq: 12, receipt: { runId: 'r1', deleted: 5 } },
        { auditSeq: 15, receipt: { runId: 'r2' } },
      ],
    };
    const first = await edgePost(hub, INGEST_PATHS.receipts, body, edge());
    expect(first.json()).toEqual({ cursor: 15 });
    await edgePost(hub, INGEST_PATHS.receipts, body, edge());
    const rows = await hub.ctx.db.query('SELECT audit_seq, receipt FROM edge_receipts ORDER BY 1');
    expect(rows).toEqual([
      { audit_seq: 12, receipt: { runId: 'r1', deleted: 5 } },
      { audit_seq: 15, receipt: { runId: 'r2' } },
    ]);
    await expect(hub.ctx.db.query('DELETE FROM edge_receipts')).rejects.toThrow(/append-only/);
  });
});

describe.skipIf(!HUB_ENGINES.includes('postgres'))('read ingest racing a verdict change (PostgreSQL)', () => {
  it('lets the store’s trigger refuse a read whose verdict was superseded after the checks ran, then refuses only that read', async () => {
    const hub = await openTestHub('postgres');
    try {
      const secret = await enrolTestEdge(hub);
      await edgePost(
        hub,
        INGEST_PATHS.cameras,
        { cameras: [wireCamera()], verdicts: [wireVerdict()] },
        { edgeId: 'edge-01', secret },
      );
      const other = await openPostgresDb({ url: hub.t.location, poolSize: 1 });
      const ingest = new ReadIngest(hub.ctx.audit, { retentionDays: 30, maxCaptureSkewMs: 120_000 });
      const body = {
        reads: [
          wireRead({ edgeReadId: 1, capturedAt: HUB_T0 - 300_000 }),
          wireRead({ edgeReadId: 2, capturedAt: HUB_T0 - 60_000 }),
        ],
      };
      await ingest.preparePartitions(hub.ctx.db, body.reads, HUB_T0);
      let raced = false;
      // Between the verdict lookup and the insert, the edge's next verdict (evaluated 2 min ago) commits.
      const racing = (tx: HubSql): HubSql => ({
        exec: (sql) => tx.exec(sql),
        async query(text, params) {
          const rows = await tx.query(text, params);
          if (!raced && /FROM camera_verdicts v WHERE/.test(text)) {
            raced = true;
            await other.query(
              `INSERT INTO camera_verdicts (edge_id, camera_id, edge_verdict_id, camera_hash, registry_version, compliant,
                 evaluated_at, received_at) VALUES ('edge-01', 'cam-1', 2, 'h2', 'r2', false, $1, $1)`,
              [new Date(HUB_T0 - 120_000)],
            );
          }
          return rows as never;
        },
      });
      await expect(
        hub.ctx.db.transaction((tx) => ingest.ingest(racing(tx), 'edge-01', body, HUB_T0)),
      ).rejects.toBeInstanceOf(TriggerRefusal);
      expect(await hub.ctx.db.query('SELECT 1 FROM reads')).toHaveLength(0);
      const answer = await hub.ctx.db.transaction((tx) =>
        ingest.ingest(tx, 'edge-01', body, HUB_T0, 'one-by-one'),
      );
      expect(answer.accepted).toEqual([1]);
      expect(answer.refused).toEqual([expect.objectContaining({ edgeReadId: 2, reason: 'stale_verdict' })]);
      await other.close();
    } finally {
      await hub.close();
    }
  });

  it('creates a new day’s partition once when two hub processes race for it, failing neither batch', async () => {
    const hub = await openTestHub('postgres');
    try {
      const secret = await enrolTestEdge(hub);
      await edgePost(
        hub,
        INGEST_PATHS.cameras,
        { cameras: [wireCamera()], verdicts: [wireVerdict()] },
        { edgeId: 'edge-01', secret },
      );
      const second = await openPostgresDb({ url: hub.t.location, poolSize: 2 });
      const a = new ReadIngest(hub.ctx.audit, { retentionDays: 30, maxCaptureSkewMs: 120_000 });
      const b = new ReadIngest(hub.ctx.audit, { retentionDays: 30, maxCaptureSkewMs: 120_000 });
      const reads = (from: number) => ({ reads: wireReads(20, from, { capturedAt: HUB_T0 - 1000 }) });
      const answers = await Promise.all([
        a
          .preparePartitions(hub.ctx.db, reads(1).reads, HUB_T0)
          .then(() => hub.ctx.db.transaction((tx) => a.ingest(tx, 'edge-01', reads(1), HUB_T0))),
        b
          .preparePartitions(second, reads(21).reads, HUB_T0)
          .then(() => second.transaction((tx) => b.ingest(tx, 'edge-01', reads(21), HUB_T0))),
      ]);
      expect(answers.map((x) => x.accepted.length)).toEqual([20, 20]);
      expect(await hub.ctx.db.query("SELECT 1 FROM pg_class WHERE relname = 'reads_p20260301'")).toHaveLength(
        1,
      );
      await second.close();
    } finally {
      await hub.close();
    }
  });
});
