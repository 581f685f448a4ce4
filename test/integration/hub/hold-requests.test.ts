// Holds asked for through the API at the service level, on both engines (RET-03, AC-02, AUD-01): tied to
// an own allowed search and its current results, approved only by another person of the same agency,
// which creates and pins the hold in the approval's transaction; each step one access audit entry.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HubAuditLog } from '../../../hub/audit/hub-audit-log.js';
import { HoldRequestsService } from '../../../hub/holds/hold-requests.service.js';
import { HubHoldService } from '../../../hub/holds/hub-hold.service.js';
import { SearchService } from '../../../hub/search/search.service.js';
import { searchRuleSet } from '../../../hub/search/search-rules.js';
import { AccessAuditKind } from '../../../shared/audit/access-audit.js';
import { parseConfig } from '../../../shared/config/load-config.js';
import { HUB_ENGINES, openTestHubDb, type TestHubDb } from '../../support/hub-db.js';
import {
  investigator,
  lawfulSearch,
  SEARCH_NOW,
  type SeededHub,
  searcherAccount,
  seedSearchHub,
} from '../../support/hub-search.js';

const parsed = parseConfig({}, '/tmp');
if (!parsed.ok) throw new Error('config');
const ruleSet = searchRuleSet(parsed.value.config);
const opts = { now: SEARCH_NOW, clientAddress: '10.0.0.8' };

describe.each(HUB_ENGINES)('hold requests on %s', (engine) => {
  let t: TestHubDb;
  let seed: SeededHub;
  let audit: HubAuditLog;
  let requests: HoldRequestsService;
  let searchId: number;
  beforeEach(async () => {
    t = await openTestHubDb(engine);
    seed = await seedSearchHub(t.db);
    audit = new HubAuditLog();
    const holds = new HubHoldService(t.db, audit, 30, { maxCameraRangeHours: 24 });
    requests = new HoldRequestsService(t.db, audit, holds, 30);
    const submitted = await new SearchService(t.db, audit, ruleSet).submit(
      investigator(seed.agencyId),
      lawfulSearch({ cameras: undefined }),
      { ...opts, account: searcherAccount() },
    );
    searchId = submitted.searchId;
  });
  afterEach(() => t.drop());

  const kinds = async () =>
    (await t.db.query<{ kind: string }>('SELECT kind FROM audit_events ORDER BY seq')).map((r) => r.kind);

  it('asks, is approved by another person, pins the reads, and is released', async () => {
    const me = investigator(seed.agencyId);
    const asked = await requests.request(
      me,
      { searchId, reason: 'robbery evidence for the DA filing', readIds: ['edge-01/1'] },
      opts,
    );
    expect(asked).toMatchObject({
      ok: true,
      value: { state: 'pending', caseNumber: '26-000123', crimeType: 'robbery', readIds: [1] },
    });
    const id = asked.ok ? asked.value.id : 0;
    expect(await requests.approve(me, id, opts)).toMatchObject({ ok: false, code: 'same_person' });
    const sergeant = { userId: 5, username: 'sgt.lee', agencyId: seed.agencyId, role: 'supervisor' };
    const foreign = { ...sergeant, userId: 6, username: 'sgt.other', agencyId: seed.otherAgencyId };
    expect(await requests.approve(foreign, id, opts)).toMatchObject({ ok: false, code: 'not_found' });
    const approved = await requests.approve(sergeant, id, opts);
    expect(approved).toMatchObject({ ok: true, value: { state: 'approved', decidedBy: 'sgt.lee' } });
    const holdId = approved.ok ? approved.value.holdId : null;
    const pins = await t.db.query('SELECT edge_read_id FROM hold_reads WHERE hold_id = $1', [holdId]);
    expect(pins).toEqual([{ edge_read_id: 1 }]);
    expect(await requests.approve(sergeant, id, opts)).toMatchObject({ ok: false, code: 'not_pending' });
    const released = await requests.release(sergeant, id, { reason: 'case closed by the DA' }, opts);
    expect(released).toMatchObject({ ok: true, value: { releasedAt: expect.any(String) } });
    expect(await kinds()).toEqual([
      AccessAuditKind.searchAllowed,
      AccessAuditKind.holdRequested,
      AccessAuditKind.holdApproved,
      AccessAuditKind.holdReleased,
    ]);
    const last = await t.db.query<{ payload: string }>(
      'SELECT payload FROM audit_events ORDER BY seq DESC LIMIT 1',
    );
    expect(JSON.parse(last[0]!.payload)).toMatchObject({
      user: 'sgt.lee',
      agency: 'CA0430100',
      holdId,
      outcome: 'ok',
    });
  });

  it("refuses reads outside the search's results and another user's search", async () => {
    const me = investigator(seed.agencyId);
    expect(
      await requests.request(
        me,
        { searchId, reason: 'robbery evidence for the DA', readIds: ['edge-99/6'] },
        opts,
      ),
    ).toMatchObject({
      ok: false,
      code: 'no_reads',
    });
    const colleague = investigator(seed.agencyId, { userId: 2, username: 'det.b' });
    expect(
      await requests.request(colleague, { searchId, reason: 'robbery evidence for the DA' }, opts),
    ).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect(await kinds()).toEqual([AccessAuditKind.searchAllowed]);
  });

  it('creates no hold when the approval cannot be audited (AUD-06)', async () => {
    const me = investigator(seed.agencyId);
    const asked = await requests.request(
      me,
      { searchId, reason: 'robbery evidence for the DA filing' },
      opts,
    );
    const id = asked.ok ? asked.value.id : 0;
    const broken = new HubAuditLog();
    broken.append = async () => {
      throw new Error('audit unavailable');
    };
    const brokenRequests = new HoldRequestsService(
      t.db,
      broken,
      new HubHoldService(t.db, broken, 30, { maxCameraRangeHours: 24 }),
      30,
    );
    const sergeant = { userId: 5, username: 'sgt.lee', agencyId: seed.agencyId, role: 'supervisor' };
    await expect(brokenRequests.approve(sergeant, id, opts)).rejects.toThrow('audit unavailable');
    expect(await t.db.query('SELECT 1 FROM holds')).toEqual([]);
    expect((await t.db.query<{ state: string }>('SELECT state FROM hold_requests'))[0]!.state).toBe(
      'pending',
    );
  });
});
