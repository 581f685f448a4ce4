// Hotlists and hits at the hub on both engines (RET-09, HIT-01, HIT-03, HIT-04, HIT-05, MIN-02): import
// from an allowlisted source with refusals by line, entries stored as HMACs only, a refresh that drops
// what the source no longer lists, matching inside read ingest (folded, active entries of the edge's own
// agency only, once per read), staleness, a final human decision the table enforces, expiry audited.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addAgency } from '../../../hub/agencies/agencies.service.js';
import { enrolEdge } from '../../../hub/edges/edge-enrolment.service.js';
import { parseHotlistCsv } from '../../../hub/hotlists/hotlist-csv.js';
import {
  expireDueEntries,
  type ImportResult,
  importHotlist,
} from '../../../hub/hotlists/hotlist-import.service.js';
import { hitsService, hotlistServices } from '../../../hub/hotlists/hotlists.feature.js';
import { INGEST_PATHS, type ReadsAnswer } from '../../../shared/forward/wire.js';
import { HUB_ENGINES } from '../../support/hub-db.js';
import {
  edgePost,
  enrolTestEdge,
  HUB_T0,
  openTestHub,
  type TestHub,
  wireCamera,
  wireRead,
  wireVerdict,
} from '../../support/hub-ingest.js';

const HOUR = 3_600_000;
const ORI = 'CA0430100';
const actor = { user: 'sgt.rivera', role: 'supervisor', userId: 7 };
const csv = (lines: string[]) => ['plate,reason,case_number,source,expiry', ...lines].join('\n');
const EXPIRY = new Date(HUB_T0 + 10 * 24 * HOUR).toISOString();

describe.each(HUB_ENGINES)('hotlists and hits on %s', (engine) => {
  let hub: TestHub;
  let secret: string;
  const edge = () => ({ edgeId: 'edge-01', secret });
  const postReads = async (reads: unknown[]) =>
    (await edgePost(hub, INGEST_PATHS.reads, { reads }, edge())).json() as ReadsAnswer;
  const importCsv = (text: string, source = 'ncic_stolen_vehicle', now = hub.clock()) => {
    const parsed = parseHotlistCsv(text);
    if (!parsed.ok) throw new Error(parsed.message);
    return hub.ctx.db.transaction(
      (tx): Promise<ImportResult> =>
        importHotlist(tx, hotlistServices(hub.ctx), { ori: ORI, source, rows: parsed.rows, actor }, now),
    );
  };
  const audit = async (kind: string) =>
    (
      await hub.ctx.db.query<{ payload: string }>(
        'SELECT payload FROM audit_events WHERE kind = $1 ORDER BY seq',
        [kind],
      )
    ).map((r) => JSON.parse(r.payload) as Record<string, unknown> & { detail: Record<string, unknown> });
  const hits = () => hub.ctx.db.query<Record<string, unknown>>('SELECT * FROM hits ORDER BY id');

  beforeEach(async () => {
    hub = await openTestHub(engine);
    secret = await enrolTestEdge(hub);
    const res = await edgePost(
      hub,
      INGEST_PATHS.cameras,
      { cameras: [wireCamera()], verdicts: [wireVerdict()] },
      edge(),
    );
    expect(res.statusCode).toBe(200);
  });
  afterEach(() => hub.close());

  it('imports an allowlisted list, refusing prohibited and invalid lines by number, and keeps no bare plate', async () => {
    const result = await importCsv(
      csv([
        `7ABC123,stolen in a carjacking,26-000123,ncic_stolen_vehicle,${EXPIRY}`,
        `8XYZ999,"ICE detainer, locate for removal",26-000124,ncic_stolen_vehicle,${EXPIRY}`,
        `5DEF456,stolen from lot,26-000125,ncic_stolen_vehicle,${new Date(HUB_T0 + 40 * 24 * HOUR).toISOString()}`,
        '6GHI789,stolen plates,26-000126,,',
        `7AB*,partial,26-000127,ncic_stolen_vehicle,${EXPIRY}`,
      ]),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.imported).toBe(2); // line 2 and line 5 (no source: the list's; no expiry: 30 days)
    expect(result.refused.map((r) => [r.line, r.code])).toEqual([
      [3, 'prohibited_purpose'],
      [4, 'expiry_too_far'],
      [6, 'partial_plate'],
    ]);
    const entries = await hub.ctx.db.query<Record<string, unknown>>('SELECT * FROM hotlist_entries');
    expect(entries).toHaveLength(2);
    for (const e of entries) {
      expect(e.plate_hmac).toMatch(/^[0-9a-f]{64}$/);
      for (const value of Object.values(e)) {
        expect(String(value)).not.toMatch(/7ABC123|6GHI789/);
      }
    }
    const [imported] = await audit('hotlist.imported');
    expect(imported).toMatchObject({ user: 'sgt.rivera', agency: ORI, outcome: 'ok' });
    expect(imported!.detail).toMatchObject({ imported: 2, refused: 3, source: 'ncic_stolen_vehicle' });
    expect(JSON.stringify(imported)).not.toContain('7ABC123');
  });

  it('refuses an immigration source and a source not on the allowlist, whole file, audited', async () => {
    const ivf = await importCsv(
      csv([`7ABC123,wanted,26-000123,,${EXPIRY}`]),
      'ncic_immigration_violator_file',
    );
    expect(ivf).toMatchObject({ ok: false, code: 'source_refused' });
    if (!ivf.ok) expect(ivf.message).toMatch(/immigration/);
    const other = await importCsv(csv([`7ABC123,wanted,26-000123,,${EXPIRY}`]), 'county_parking_list');
    expect(other).toMatchObject({ ok: false, code: 'source_refused' });
    if (!other.ok)
      expect(other.message).toMatch(/not an allowlisted hotlist source \(access\.hotlist\.sources/);
    expect(await hub.ctx.db.query('SELECT * FROM hotlists')).toEqual([]);
    expect((await audit('hotlist.imported')).map((a) => a.outcome)).toEqual(['refused', 'refused']);
    // The table itself refuses a list not recorded as allowlisted.
    await expect(
      hub.ctx.db.query(
        `INSERT INTO hotlists (agency_id, source, allowlisted, imported_by, imported_at, refreshed_at)
         VALUES (1, 'agency_case', false, 'x', now(), now())`,
      ),
    ).rejects.toThrow();
  });

  it('a matching read becomes one unverified hit, audited in the ingest; folded, active, own agency only', async () => {
    await importCsv(csv([`7ABO123,stolen in a carjacking,26-000123,,${EXPIRY}`]));
    const answer = await postReads([
      wireRead({ edgeReadId: 1, plate: '7AB0123' }), // O/0 folded: matches
      wireRead({ edgeReadId: 2, plate: '7ABC124' }),
    ]);
    expect(answer.accepted).toEqual([1, 2]);
    const rows = await hits();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: 'unverified', edge_read_id: 1, camera_id: 'cam-1', stale: false });
    const [created] = await audit('hit.created');
    expect(created).toMatchObject({ outcome: 'unverified', agency: ORI });
    expect(created!.detail).toMatchObject({ hitId: rows[0]!.id, edgeReadId: 1, stale: false });
    expect(JSON.stringify(created)).not.toMatch(/7AB0123|7ABO123/);
    // Sent again: a duplicate, no second hit.
    await postReads([wireRead({ edgeReadId: 1, plate: '7AB0123' })]);
    expect(await hits()).toHaveLength(1);

    // Another agency's edge reading the same plate makes no hit for this agency's list.
    await addAgency(hub.ctx, { ori: 'CA0430200', name: 'Santa Clara Sheriff', type: 'local_le' }, 'test');
    const other = (await enrolEdge(hub.ctx, { edgeId: 'edge-02', agencyOri: 'CA0430200' }, 'test')).secret;
    await edgePost(
      hub,
      INGEST_PATHS.cameras,
      { cameras: [wireCamera()], verdicts: [wireVerdict()] },
      { edgeId: 'edge-02', secret: other },
    );
    const theirs = await edgePost(
      hub,
      INGEST_PATHS.reads,
      { reads: [wireRead({ edgeReadId: 1, plate: '7AB0123' })] },
      { edgeId: 'edge-02', secret: other },
    );
    expect((theirs.json() as ReadsAnswer).accepted).toEqual([1]);
    expect(await hits()).toHaveLength(1);

    // Past its expiry the entry stops matching (RET-09), and the expiry is audited.
    hub.clock.set(HUB_T0 + 11 * 24 * HOUR);
    const expired = await hub.ctx.db.transaction((tx) => expireDueEntries(tx, hub.ctx.audit, hub.clock()));
    expect(expired).toBe(1);
    expect((await audit('hotlist.changed'))[0]!.detail).toMatchObject({
      action: 'expired_by_date',
      count: 1,
    });
  });

  it('a hit from a list older than 24 h is labelled stale (HIT-04)', async () => {
    await importCsv(
      csv([`7ABC123,stolen in a carjacking,26-000123,,${new Date(HUB_T0 + 5 * 24 * HOUR).toISOString()}`]),
      'ncic_stolen_vehicle',
      HUB_T0 - 25 * HOUR,
    );
    await postReads([wireRead({ edgeReadId: 3, plate: '7ABC123' })]);
    const [hit] = await hits();
    expect(hit).toMatchObject({ stale: true });
    expect((await audit('hit.created'))[0]).toMatchObject({ category: 'stale_list' });
  });

  it('a refresh drops what the source no longer lists; the new list matches at once', async () => {
    await importCsv(csv([`7ABC123,stolen,26-000123,,${EXPIRY}`, `8DEF456,stolen,26-000124,,${EXPIRY}`]));
    hub.clock.set(HUB_T0 + HOUR);
    const again = await importCsv(csv([`8DEF456,stolen,26-000124,,${EXPIRY}`]));
    expect(again).toMatchObject({ ok: true, imported: 1, removed: 1 });
    await postReads([
      wireRead({ edgeReadId: 4, plate: '7ABC123', capturedAt: HUB_T0 }),
      wireRead({ edgeReadId: 5, plate: '8DEF456', capturedAt: HUB_T0 }),
    ]);
    expect((await hits()).map((h) => h.edge_read_id)).toEqual([5]);
  });

  it('only a person decides, once, and a confirmation needs the checks and a disposition (HIT-01, HIT-03)', async () => {
    await importCsv(csv([`7ABC123,stolen in a carjacking,26-000123,,${EXPIRY}`]));
    await postReads([wireRead({ edgeReadId: 6, plate: '7ABC123' })]);
    const [row] = await hits();
    const service = hitsService(hub.ctx);
    const who = { userId: 7, username: 'ofc.lee', role: 'investigator', agencyId: 1, ori: ORI };
    const now = hub.clock();
    const tryVerify = (body: Parameters<typeof service.verify>[3], by = who) =>
      hub.ctx.db.transaction((tx) => service.verify(tx, by, row!.id as number, body, now));
    const noDisposition = await tryVerify({ confirmed: true, entryCurrent: true, checkedWith: 'CLETS SVS' });
    expect(noDisposition).toMatchObject({ ok: false, status: 422 });
    if (!noDisposition.ok) expect(noDisposition.problems.map((p) => p.code)).toContain('bad_disposition');
    const notCurrent = await tryVerify({
      confirmed: true,
      entryCurrent: false,
      checkedWith: 'CLETS SVS',
      disposition: 'vehicle_recovered',
    });
    expect(notCurrent.ok).toBe(false);
    if (!notCurrent.ok) expect(notCurrent.problems.map((p) => p.code)).toContain('not_current');
    const auditor = await tryVerify(
      { confirmed: true, entryCurrent: true, checkedWith: 'CLETS SVS', disposition: 'vehicle_recovered' },
      { ...who, role: 'auditor' },
    );
    expect(auditor.ok).toBe(false);
    if (!auditor.ok) expect(auditor.problems.map((p) => p.code)).toContain('not_permitted');
    const otherAgency = await tryVerify(
      { confirmed: false, entryCurrent: false, rejectionReason: 'misread' },
      { ...who, agencyId: 99 },
    );
    expect(otherAgency).toMatchObject({ ok: false, status: 404 });
    expect(await hits()).toMatchObject([{ state: 'unverified' }]);
    expect(await audit('hit.confirmed')).toEqual([]);

    const ok = await tryVerify({
      confirmed: true,
      entryCurrent: true,
      checkedWith: 'CLETS SVS',
      disposition: 'vehicle_recovered',
      note: 'towed',
    });
    expect(ok).toMatchObject({ ok: true, hit: { state: 'confirmed' } });
    expect(await hits()).toMatchObject([
      { state: 'confirmed', disposition: 'vehicle_recovered', verified_by: 'ofc.lee' },
    ]);
    expect((await audit('hit.confirmed'))[0]).toMatchObject({
      user: 'ofc.lee',
      outcome: 'confirmed',
      category: 'vehicle_recovered',
    });
    expect(
      await tryVerify({ confirmed: false, entryCurrent: false, rejectionReason: 'misread' }),
    ).toMatchObject({ ok: false, status: 409 });
    // The table refuses a second decision and a deletion, whatever the code does.
    await expect(
      hub.ctx.db.query(
        `UPDATE hits SET state = 'rejected', rejection_reason = 'misread', disposition = NULL`,
      ),
    ).rejects.toThrow(/already confirmed/);
    await expect(hub.ctx.db.query('DELETE FROM hits')).rejects.toThrow(/never deleted/);
    // And a confirmation without a disposition or a person.
    await postReads([wireRead({ edgeReadId: 7, plate: '7ABC123' })]);
    await expect(
      hub.ctx.db.query(
        `UPDATE hits SET state = 'confirmed', verified_at = now(), verified_by = 'x', currency_checked_at = now(), currency_checked_with = 'y' WHERE edge_read_id = 7`,
      ),
    ).rejects.toThrow();
    await expect(
      hub.ctx.db.query(
        `UPDATE hits SET state = 'rejected', verified_at = now(), verified_by = ' ', rejection_reason = 'misread' WHERE edge_read_id = 7`,
      ),
    ).rejects.toThrow();
  });
});
