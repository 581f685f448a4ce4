// The transparency portal over real hotlist data, on both engines: hotlist sources from the lists
// imported, hits in the last 30 days (all, confirmed, still unverified) from real matches at ingest
// (TP-01), and still no plate, user or case number in the HTML or JSON with entries and hits present (TP-04).
import { afterEach, describe, expect, it } from 'vitest';
import { parseHotlistCsv } from '../../../hub/hotlists/hotlist-csv.js';
import { importHotlist } from '../../../hub/hotlists/hotlist-import.service.js';
import { hitsService, hotlistServices } from '../../../hub/hotlists/hotlists.feature.js';
import { INGEST_PATHS, type ReadsAnswer } from '../../../shared/forward/wire.js';
import type { PortalModel } from '../../../shared/oversight/portal.js';
import { DAY_MS } from '../../../shared/runtime/clock.js';
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
import { OWNER } from '../../support/hub-sharing.js';

/** Anything shaped like a US plate: 5-8 capitals and digits with at least one of each, standing alone. */
const PLATE_LIKE = /\b(?=[A-Z0-9]*[0-9])(?=[A-Z0-9]*[A-Z])[A-Z0-9]{5,8}\b/g;

describe.each(HUB_ENGINES)('transparency portal with hotlists and hits (%s)', (engine) => {
  let hub: TestHub;
  afterEach(async () => hub?.close());
  const get = (url: string) => hub.app.inject({ method: 'GET', url });
  const json = async () => (await get('/transparency.json')).json() as PortalModel;

  it('publishes hotlist sources and hit counts from real imports and matches, with no plate (TP-01, TP-04)', async () => {
    hub = await openTestHub(engine);
    const secret = await enrolTestEdge(hub);
    const edge = { edgeId: 'edge-01', secret };
    await edgePost(hub, INGEST_PATHS.cameras, { cameras: [wireCamera()], verdicts: [wireVerdict()] }, edge);
    expect((await json()).hotlistSources).toMatchObject({ basis: expect.stringMatching(/configuration/) });
    const plates = ['7ABC123', '8XYZ999', '5QRS000'];
    const expiry = new Date(HUB_T0 + 10 * DAY_MS).toISOString();
    const parsed = parseHotlistCsv(
      [
        'plate,reason,case_number,source,expiry',
        ...plates.map((p, i) => `${p},stolen vehicle,26-00071${i},ncic_stolen_vehicle,${expiry}`),
      ].join('\n'),
    );
    if (!parsed.ok) throw new Error(parsed.message);
    const importer = { user: 'sgt.rivera', role: 'supervisor', userId: 7 };
    const imported = await hub.ctx.db.transaction((tx) =>
      importHotlist(
        tx,
        hotlistServices(hub.ctx),
        { ori: OWNER.ori, source: 'ncic_stolen_vehicle', rows: parsed.rows, actor: importer },
        hub.clock(),
      ),
    );
    expect(imported.ok).toBe(true);
    const answer = (
      await edgePost(
        hub,
        INGEST_PATHS.reads,
        { reads: plates.map((plate, i) => wireRead({ edgeReadId: i + 1, plate })) },
        edge,
      )
    ).json() as ReadsAnswer;
    expect(answer).toBeDefined();
    const rows = await hub.ctx.db.query<{ id: number }>('SELECT id FROM hits ORDER BY id');
    expect(rows).toHaveLength(3);
    const officer = {
      userId: 7,
      username: 'ofc.lee',
      role: 'investigator',
      agencyId: 1,
      ori: OWNER.ori,
    };
    const service = hitsService(hub.ctx);
    const verified = await hub.ctx.db.transaction((tx) =>
      service.verify(
        tx,
        officer,
        rows[0]!.id,
        { confirmed: true, entryCurrent: true, checkedWith: 'CLETS SVS', disposition: 'vehicle_recovered' },
        hub.clock(),
      ),
    );
    expect(verified.ok).toBe(true);
    await hub.ctx.db.transaction((tx) =>
      service.verify(
        tx,
        officer,
        rows[1]!.id,
        { confirmed: false, entryCurrent: false, rejectionReason: 'misread' },
        hub.clock(),
      ),
    );

    const m = await json();
    expect(m.hotlistSources).toEqual({
      basis: expect.stringMatching(/imported/),
      list: ['ncic_stolen_vehicle'],
    });
    expect(m.last30Days).toMatchObject({ hotlistHits: 3, hotlistHitsConfirmed: 1, hotlistHitsUnverified: 1 });
    const bodies = [(await get('/transparency')).body, (await get('/transparency.json')).body];
    expect(bodies[0]).toContain('ncic stolen vehicle');
    for (const body of bodies) {
      const scanned = body.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z/g, ' ');
      expect(scanned.match(PLATE_LIKE) ?? []).toEqual([]);
      for (const secret of [...plates, 'ofc.lee', 'sgt.rivera', '26-000710'])
        expect(body).not.toContain(secret);
    }
    // A month on, those hits are out of the 30-day window.
    hub.clock.set(HUB_T0 + 31 * DAY_MS);
    expect((await json()).last30Days.hotlistHits).toBe(0);
  });
});
