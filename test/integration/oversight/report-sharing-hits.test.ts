// The quarterly report reads what the sharing and hotlist features really write, on both engines: an
// inquiry submitted, a refused approval, command's approval and a revocation through hub/sharing show up
// as exactly those counts (a refused approval is not an approval, CMP-02); hits from a real import and
// real ingest show up confirmed, and unverified past access.hotlist.unverifiedReportHours (HIT-03).
import { afterEach, describe, expect, it } from 'vitest';
import { addAgency } from '../../../hub/agencies/agencies.service.js';
import { parseHotlistCsv } from '../../../hub/hotlists/hotlist-csv.js';
import { importHotlist } from '../../../hub/hotlists/hotlist-import.service.js';
import { hitsService, hotlistServices } from '../../../hub/hotlists/hotlists.feature.js';
import { buildReport } from '../../../hub/oversight/report.service.js';
import { revokeGrant } from '../../../hub/sharing/grant.service.js';
import { decideInquiry, submitInquiry } from '../../../hub/sharing/inquiry.service.js';
import { INGEST_PATHS } from '../../../shared/forward/wire.js';
import { DAY_MS, HOUR_MS } from '../../../shared/runtime/clock.js';
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
import { ASKER, actor, inquiryBody, OWNER } from '../../support/hub-sharing.js';

const PERIOD = { from: HUB_T0 - DAY_MS, to: HUB_T0 + DAY_MS };

describe.each(HUB_ENGINES)('quarterly report over real sharing and hotlist data (%s)', (engine) => {
  let hub: TestHub;
  afterEach(async () => hub?.close());

  it('counts a real inquiry, a refused approval, an approval and a revocation as exactly that', async () => {
    hub = await openTestHub(engine);
    await enrolTestEdge(hub);
    const home = (await hub.ctx.db.query<{ id: number }>('SELECT id FROM agencies WHERE is_home'))[0]!.id;
    const asker = await addAgency(hub.ctx, ASKER, 'admin');
    const inquiry = await submitInquiry(
      hub.ctx,
      actor('det.moreno', 'investigator', asker.id, ASKER.ori),
      inquiryBody(hub.clock()),
    );
    // The asking agency's own command may not approve access to another agency's data (SH-03).
    await expect(
      decideInquiry(hub.ctx, actor('cmdr.lee', 'command', asker.id, ASKER.ori), inquiry.id, {
        decision: 'approve',
      }),
    ).rejects.toMatchObject({ status: 403 });
    const command = actor('cmdr.diaz', 'command', home, OWNER.ori);
    const { grant } = await decideInquiry(hub.ctx, command, inquiry.id, { decision: 'approve' });
    await revokeGrant(hub.ctx, command, grant!.id, { reason: 'the case was closed' });

    const r = await buildReport(hub.ctx, PERIOD);
    expect(r.access.inquiries).toEqual({ submitted: 1, approved: 1, denied: 0, refused: 1 });
    expect(r.access.sharing).toMatchObject({ changes: 2, refused: 0, drift: 0 });
    expect(r.access.sharing.entries.map((e) => [e.actor, e.outcome, e.category])).toEqual([
      ['cmdr.diaz', 'approved', 'created'],
      ['cmdr.diaz', 'ok', 'revoked'],
    ]);
  });

  it('reports hits from a real import and ingest: confirmed, and unverified past the configured hours', async () => {
    hub = await openTestHub(engine);
    const secret = await enrolTestEdge(hub);
    const edge = { edgeId: 'edge-01', secret };
    await edgePost(hub, INGEST_PATHS.cameras, { cameras: [wireCamera()], verdicts: [wireVerdict()] }, edge);
    const expiry = new Date(HUB_T0 + 10 * DAY_MS).toISOString();
    const parsed = parseHotlistCsv(
      [
        'plate,reason,case_number,source,expiry',
        `7ABC123,stolen vehicle,26-000710,ncic_stolen_vehicle,${expiry}`,
        `8XYZ999,stolen vehicle,26-000711,ncic_stolen_vehicle,${expiry}`,
      ].join('\n'),
    );
    if (!parsed.ok) throw new Error(parsed.message);
    await hub.ctx.db.transaction((tx) =>
      importHotlist(
        tx,
        hotlistServices(hub.ctx),
        {
          ori: OWNER.ori,
          source: 'ncic_stolen_vehicle',
          rows: parsed.rows,
          actor: { user: 'sgt.rivera', role: 'supervisor', userId: 7 },
        },
        hub.clock(),
      ),
    );
    await edgePost(
      hub,
      INGEST_PATHS.reads,
      {
        reads: [
          wireRead({ edgeReadId: 1, plate: '7ABC123' }),
          wireRead({ edgeReadId: 2, plate: '8XYZ999' }),
          wireRead({ edgeReadId: 3, plate: '6NOP111' }),
        ],
      },
      edge,
    );
    const rows = await hub.ctx.db.query<{ id: number }>('SELECT id FROM hits ORDER BY id');
    expect(rows).toHaveLength(2);
    const officer = { userId: 7, username: 'ofc.lee', role: 'investigator', agencyId: 1, ori: OWNER.ori };
    const verified = await hub.ctx.db.transaction((tx) =>
      hitsService(hub.ctx).verify(
        tx,
        officer,
        rows[0]!.id,
        { confirmed: true, entryCurrent: true, checkedWith: 'CLETS SVS', disposition: 'arrest' },
        hub.clock(),
      ),
    );
    expect(verified.ok).toBe(true);

    const hours = hub.ctx.config.access.hotlist.unverifiedReportHours;
    hub.clock.set(HUB_T0 + (hours - 1) * HOUR_MS);
    expect((await buildReport(hub.ctx, PERIOD)).hotlistHits).toMatchObject({
      created: 2,
      confirmed: 1,
      rejected: 0,
      unverified: 1,
      unverifiedOverdue: 0,
      byDisposition: { arrest: 1 },
    });
    hub.clock.set(HUB_T0 + (hours + 1) * HOUR_MS);
    const r = await buildReport(hub.ctx, PERIOD);
    expect(r.hotlistHits).toMatchObject({ unverifiedOverdue: 1, unverifiedReportHours: hours });
    expect(JSON.stringify(r)).not.toMatch(/7ABC123|8XYZ999/);
  });
});
