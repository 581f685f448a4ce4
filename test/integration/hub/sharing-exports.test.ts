// Grants widening a search, and exports, at the service level on both engines: an approved, unexpired
// grant adds the owner's reads to the grantee's results and nothing else does (Q-09, AC-02); an export
// is capped, downloadable only after a supervisor other than the requester approved it, watermarked
// with the user and the case, and audited at each step (Q-07, SH-09).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HttpError } from '../../../hub/http/http-errors.js';
import { SearchService } from '../../../hub/search/search.service.js';
import { SearchResultsService } from '../../../hub/search/search-results.js';
import { searchRuleSet } from '../../../hub/search/search-rules.js';
import {
  decideExport,
  downloadExport,
  listExports,
  requestExport,
} from '../../../hub/sharing/export.service.js';
import { revokeGrant } from '../../../hub/sharing/grant.service.js';
import { decideInquiry, submitInquiry } from '../../../hub/sharing/inquiry.service.js';
import { HUB_ENGINES } from '../../support/hub-db.js';
import { insertRead } from '../../support/hub-factories.js';
import { openTestHub, type TestHub } from '../../support/hub-ingest.js';
import {
  DAY,
  lawfulSearch,
  SEARCH_NOW,
  type SeededHub,
  searcherAccount,
  seedSearchHub,
} from '../../support/hub-search.js';
import { inquiryBody, actor as makeActor } from '../../support/hub-sharing.js';

const err = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as HttpError,
  );
const REASON = 'the case file for the King Rd robbery needs the list of sightings for the DA';

describe.each(HUB_ENGINES)('grants in searches, and exports, on %s', (engine) => {
  let hub: TestHub;
  let seed: SeededHub;
  let searches: SearchService;
  let results: SearchResultsService;
  const people = () => ({
    det: makeActor('det.alvarez', 'investigator', seed.agencyId, 'CA0430100'),
    sgt: makeActor('sgt.nguyen', 'supervisor', seed.agencyId, 'CA0430100'),
    otherSgt: makeActor('sgt.other', 'supervisor', seed.otherAgencyId, 'CA0431100'),
    otherCommand: makeActor('cmdr.other', 'command', seed.otherAgencyId, 'CA0431100'),
  });
  beforeEach(async () => {
    hub = await openTestHub(engine, {
      now: SEARCH_NOW,
      config: { access: { export: { maxRows: 3, approvalAboveRows: 1 } } },
    });
    seed = await seedSearchHub(hub.ctx.db);
    searches = new SearchService(hub.ctx.db, hub.ctx.audit, searchRuleSet(hub.ctx.config));
    results = new SearchResultsService(hub.ctx.db, hub.ctx.audit, 30, 100);
  });
  afterEach(() => hub.close());

  const search = async (det: ReturnType<typeof people>['det'], body = lawfulSearch()) => {
    const answer = await searches.submit(det, body, {
      now: hub.clock(),
      clientAddress: null,
      account: searcherAccount({ username: det.username }),
    });
    if (answer.kind !== 'allowed') throw new Error(`search ${answer.kind}`);
    return answer.searchId;
  };
  const edgesSeen = async (det: ReturnType<typeof people>['det'], id: number) => {
    const answer = await results.view(det, id, { now: hub.clock(), clientAddress: null });
    if (!answer.ok) throw new Error(answer.message);
    return [...new Set(answer.reads.map((r) => r.edgeId))].sort();
  };

  it("adds another agency's reads only while an approved grant is in force (Q-09, AC-02)", async () => {
    const { det, otherCommand } = people();
    const id = await search(det);
    expect(await edgesSeen(det, id)).toEqual(['edge-01']);
    const inquiry = await submitInquiry(
      hub.ctx,
      det,
      inquiryBody(
        hub.clock(),
        { agency: 'CA0430100', ownerAgency: 'CA0431100', officer: 'Det. Alvarez #100' },
        { from: new Date(SEARCH_NOW - 7 * DAY).toISOString() },
      ),
    );
    // Pending: nothing widens.
    expect(await edgesSeen(det, id)).toEqual(['edge-01']);
    const { grant } = await decideInquiry(hub.ctx, otherCommand, inquiry.id, { decision: 'approve' });
    expect(await edgesSeen(det, id)).toEqual(['edge-01', 'edge-99']);
    // A share whose grant expired widens nothing, even before the drift job removes it.
    hub.clock.advance(91 * DAY);
    const later = await search(
      det,
      lawfulSearch({
        from: new Date(hub.clock() - 7 * DAY).toISOString(),
        to: new Date(hub.clock() - 1000).toISOString(),
      }),
    );
    expect(await edgesSeen(det, later).catch(() => [])).not.toContain('edge-99');
    hub.clock.set(SEARCH_NOW);
    await revokeGrant(hub.ctx, otherCommand, grant!.id, { reason: 'case closed by arrest' });
    expect(await edgesSeen(det, id)).toEqual(['edge-01']);
  });

  it('exports only after a supervisor other than the requester approves, capped and watermarked (Q-07)', async () => {
    const { det, sgt, otherSgt } = people();
    const id = await search(det, lawfulSearch({ from: new Date(SEARCH_NOW - 29 * DAY).toISOString() }));
    expect((await err(requestExport(hub.ctx, sgt, { searchId: id, reason: REASON })))?.status).toBe(404);
    expect((await err(requestExport(hub.ctx, det, { searchId: id, reason: 'investigation' })))?.code).toBe(
      'invalid_export',
    );
    const blocked = await err(
      requestExport(hub.ctx, det, {
        searchId: id,
        reason: 'send the sightings to ICE for the deportation hearing',
      }),
    );
    expect(blocked?.code).toBe('prohibited_purpose');
    const request = await requestExport(hub.ctx, det, { searchId: id, reason: REASON });
    expect(request).toMatchObject({ status: 'pending', rowCount: 2, maxRows: 3, caseNumber: '26-000123' });
    expect((await err(downloadExport(hub.ctx, det, request.id)))?.code).toBe('export_not_approved');
    const selfAsSupervisor = { ...sgt, userId: det.userId, username: 'Det.Alvarez' };
    expect(
      (await err(decideExport(hub.ctx, selfAsSupervisor, request.id, { decision: 'approve' })))?.code,
    ).toBe('self_approval');
    expect((await err(decideExport(hub.ctx, det, request.id, { decision: 'approve' })))?.code).toBe(
      'approver_not_permitted',
    );
    expect((await err(decideExport(hub.ctx, otherSgt, request.id, { decision: 'approve' })))?.status).toBe(
      404,
    );
    expect(await listExports(hub.ctx.db, otherSgt, { pending: true })).toEqual([]);
    expect((await listExports(hub.ctx.db, sgt, { pending: true })).map((e) => e.id)).toEqual([request.id]);
    await decideExport(hub.ctx, sgt, request.id, { decision: 'approve' });
    expect((await err(downloadExport(hub.ctx, sgt, request.id)))?.status).toBe(404);
    const file = await downloadExport(hub.ctx, det, request.id);
    const lines = file.csv.trim().split('\r\n');
    expect(lines[0]).toMatch(
      /^# Exported by det\.alvarez \(CA0430100\) for case 26-000123 at 2026-03-10T12:00:00\.000Z\. Restricted ALPR data/,
    );
    expect(lines[2]).toBe('read_id,edge_id,camera_id,captured_at,plate,confidence');
    expect(lines.slice(3)).toHaveLength(2);
    expect(lines.slice(3).every((l) => l.includes('"7ABC123"'))).toBe(true);
    const kinds = (await hub.ctx.audit.list(hub.ctx.db, { limit: 50 })).map((r) => [
      r.kind,
      JSON.parse(r.payload).outcome,
    ]);
    expect(kinds).toEqual(
      expect.arrayContaining([
        ['export.requested', 'pending'],
        ['export.requested', 'refused'],
        ['export.requested', 'blocked'],
        ['export.approved', 'refused'],
        ['export.approved', 'approved'],
        ['export.downloaded', 'ok'],
      ]),
    );
    // The database refuses a self-approval and a download count on an unapproved export, whatever the code does.
    await expect(
      hub.ctx.db.query('UPDATE export_requests SET approved_key = requested_key WHERE id = $1', [request.id]),
    ).rejects.toThrow(/check constraint/);
  });

  it('refuses an export over the hard cap (SH-09: no bulk export)', async () => {
    const { det } = people();
    // Two more reads of the plate on the own camera: four in all, more than maxRows (3).
    for (const n of [1, 2]) {
      await insertRead(hub.ctx.db, {
        edgeId: 'edge-01',
        edgeReadId: 100 + n,
        cameraId: 'cam-far',
        capturedAt: SEARCH_NOW - n * DAY,
        plate: '7ABC123',
        verdictId: seed.verdicts['cam-far']!,
      });
    }
    const id = await search(det, lawfulSearch({ from: new Date(SEARCH_NOW - 29 * DAY).toISOString() }));
    const e = await err(requestExport(hub.ctx, det, { searchId: id, reason: REASON }));
    expect(e).toMatchObject({ status: 422, code: 'export_refused' });
    expect(e?.message).toMatch(/at most 3 rows may be exported/);
    await expect(
      hub.ctx.db.query(
        `INSERT INTO export_requests (agency_id, search_id, requested_by_id, format, requested_by, requested_key, requested_at,
           case_number, reason, row_count, max_rows) VALUES ($1, $2, 1, 'csv', 'x', 'x', now(), '26-000123', $3, 60000, 50000)`,
        [seed.agencyId, id, REASON],
      ),
    ).rejects.toThrow(/check constraint/);
  });
});
