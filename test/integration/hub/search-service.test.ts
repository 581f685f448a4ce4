// Governed search at the service level, on both engines (Q-01..09, AUD-01, AUD-06): every attempt is a
// row and exactly one audit entry in one transaction; a prohibited purpose is blocked with a compliance
// alert; a search limited to a camera that sees a clinic waits for a command decision; results are
// computed at view time from compliant cameras of the own agency within retention, for the searcher only;
// an audit write that fails leaves nothing behind and returns nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HubAuditLog } from '../../../hub/audit/hub-audit-log.js';
import { loadHubKeys } from '../../../hub/hub-keys.js';
import { SiteRegistryService } from '../../../hub/registry/site-registry.service.js';
import { SearchService } from '../../../hub/search/search.service.js';
import { SearchResultsService } from '../../../hub/search/search-results.js';
import { searchRuleSet } from '../../../hub/search/search-rules.js';
import { AccessAuditKind } from '../../../shared/audit/access-audit.js';
import { parseConfig } from '../../../shared/config/load-config.js';
import { at } from '../../support/geofence-factories.js';
import { HUB_ENGINES, openTestHubDb, type TestHubDb } from '../../support/hub-db.js';
import {
  CLINIC_REGISTRY,
  DAY,
  investigator,
  lawfulSearch,
  SEARCH_NOW,
  type SeededHub,
  searcherAccount,
  seedSearchHub,
} from '../../support/hub-search.js';
import { tempDir } from '../../support/temp-dir.js';

const parsed = parseConfig({}, '/tmp');
if (!parsed.ok) throw new Error('config');
const ruleSet = searchRuleSet(parsed.value.config);
const opts = (now = SEARCH_NOW) => ({ now, clientAddress: '10.0.0.7', account: searcherAccount() });

async function entries(t: TestHubDb) {
  const rows = await t.db.query<{ kind: string; actor: string; payload: string }>(
    'SELECT kind, actor, payload FROM audit_events ORDER BY seq',
  );
  return rows.map((r) => ({ kind: r.kind, actor: r.actor, payload: JSON.parse(r.payload) }));
}
const count = async (t: TestHubDb, table: string) =>
  Number((await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n);

describe.each(HUB_ENGINES)('governed search service on %s', (engine) => {
  let t: TestHubDb;
  let seed: SeededHub;
  let audit: HubAuditLog;
  let searches: SearchService;
  let results: SearchResultsService;
  beforeEach(async () => {
    t = await openTestHubDb(engine);
    seed = await seedSearchHub(t.db);
    audit = new HubAuditLog();
    searches = new SearchService(t.db, audit, ruleSet);
    results = new SearchResultsService(t.db, audit, 30, 100);
  });
  afterEach(() => t.drop());

  it('runs a lawful search and shows only own-agency reads of compliant cameras within retention (Q-09, RET-02)', async () => {
    const me = investigator(seed.agencyId);
    const submitted = await searches.submit(
      me,
      lawfulSearch({ from: new Date(SEARCH_NOW - 30 * DAY).toISOString() }),
      opts(),
    );
    expect(submitted.kind).toBe('allowed');
    const id = submitted.searchId;
    const first = await results.view(me, id, opts());
    expect(first.ok && first.reads.map((r) => r.id).sort()).toEqual(['edge-01/1', 'edge-01/3', 'edge-01/5']);
    // Viewed a day later: read 5 has passed the cutoff and is no longer shown, though not yet deleted.
    const later = await results.view(me, id, opts(SEARCH_NOW + DAY));
    expect(later.ok && later.reads.map((r) => r.id).sort()).toEqual(['edge-01/1', 'edge-01/3']);
    const log = await entries(t);
    expect(log.map((e) => e.kind)).toEqual([
      AccessAuditKind.searchAllowed,
      AccessAuditKind.resultsViewed,
      AccessAuditKind.resultsViewed,
    ]);
    expect(log[0]!.payload).toMatchObject({
      user: 'det.alvarez',
      role: 'investigator',
      agency: 'CA0430100',
      query: { plate: '7ABC123', mode: 'exact', partial: false },
      purpose: lawfulSearch().justification,
      caseNumber: '26-000123',
      crimeType: 'robbery',
      outcome: 'allowed',
      clientAddress: '10.0.0.7',
      lexiconVersion: ruleSet.lexicon.version,
      noticeHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(log[1]!.payload.detail).toMatchObject({ searchId: id, count: 3 });
  });

  it('folds O/0 and I/1 on an exact plate and flags a partial one (Q-08)', async () => {
    const me = investigator(seed.agencyId);
    const folded = await searches.submit(me, lawfulSearch({ plate: '7ABCI23' }), opts());
    const partial = await searches.submit(me, lawfulSearch({ plate: '7AB?1*' }), opts());
    const foldedView = await results.view(me, folded.searchId, opts());
    const partialView = await results.view(me, partial.searchId, opts());
    expect(foldedView.ok && foldedView.reads.map((r) => r.id).sort()).toEqual(['edge-01/1', 'edge-01/3']);
    expect(partialView.ok && partialView.reads.map((r) => r.id).sort()).toEqual(['edge-01/1', 'edge-01/3']);
    const rows = await t.db.query<{ plate_mode: string; partial_flag: boolean }>(
      'SELECT plate_mode, partial_flag FROM searches ORDER BY id',
    );
    expect(rows).toEqual([
      { plate_mode: 'folded', partial_flag: false },
      { plate_mode: 'partial', partial_flag: true },
    ]);
    expect((await entries(t))[1]!.payload.query).toMatchObject({ mode: 'partial', partial: true });
  });

  it('blocks an immigration purpose: no data, one audit entry, one compliance alert (Q-03, Q-04)', async () => {
    const me = investigator(seed.agencyId);
    const blocked = await searches.submit(
      me,
      lawfulSearch({ justification: 'assist I.C.E. with locating the driver of the white Civic' }),
      opts(),
    );
    expect(blocked).toMatchObject({ kind: 'blocked', category: 'immigration' });
    const view = await results.view(me, blocked.searchId, opts());
    expect(view).toMatchObject({ ok: false, code: 'not_runnable' });
    const log = await entries(t);
    expect(log.map((e) => e.kind)).toEqual([AccessAuditKind.searchBlocked]);
    expect(log[0]!.payload).toMatchObject({
      outcome: 'blocked',
      category: 'immigration',
      caseNumber: '26-000123',
    });
    const alerts = await t.db.query<{ kind: string; category: string; search_id: number }>(
      'SELECT kind, category, search_id FROM compliance_alerts',
    );
    expect(alerts).toEqual([
      { kind: 'search.blocked', category: 'immigration', search_id: blocked.searchId },
    ]);
  });

  it('refuses bad fields, a generic justification and a camera out of scope, audited as refused (Q-01, Q-05, Q-09)', async () => {
    const me = investigator(seed.agencyId);
    const bad = await searches.submit(
      me,
      lawfulSearch({ caseNumber: 'x', justification: 'investigation', crimeType: 'immigration_violation' }),
      opts(),
    );
    expect(bad.kind).toBe('refused');
    const fields = bad.kind === 'refused' ? bad.problems.map((p) => p.field) : [];
    expect(fields).toEqual(expect.arrayContaining(['caseNumber', 'justification', 'crimeType']));
    const widened = await searches.submit(me, lawfulSearch({ agency: 'statewide' }), opts());
    expect(widened.kind === 'refused' && widened.problems[0]!.code).toBe('unknown_field');
    const foreign = await searches.submit(me, lawfulSearch({ cameras: ['cam-x'] }), opts());
    expect(foreign.kind === 'refused' && foreign.problems[0]!.code).toBe('camera_out_of_scope');
    const log = await entries(t);
    expect(log.map((e) => e.kind)).toEqual(Array(3).fill(AccessAuditKind.searchRefused));
    expect(log.map((e) => e.payload.outcome)).toEqual(['refused', 'refused', 'refused']);
    expect(await count(t, 'compliance_alerts')).toBe(0);
  });

  it('holds a search limited to a camera that sees a clinic until a command user decides (Q-06)', async () => {
    const keys = loadHubKeys(tempDir('alpr-search-keys-'));
    const imported = await new SiteRegistryService(t.db, audit, keys.signing).import(CLINIC_REGISTRY, {
      importedBy: 'planner',
      now: SEARCH_NOW - 5 * DAY,
    });
    expect(imported.ok).toBe(true);
    const me = investigator(seed.agencyId);
    const far = await searches.submit(me, lawfulSearch({ cameras: ['cam-far'] }), opts());
    expect(far.kind).toBe('allowed');
    const near = await searches.submit(me, lawfulSearch({ cameras: ['cam-clinic'] }), opts());
    expect(near).toMatchObject({
      kind: 'pending',
      sites: [{ siteId: 'clinic-1', category: 'reproductive_health' }],
    });
    expect(await results.view(me, near.searchId, opts())).toMatchObject({ ok: false, code: 'not_runnable' });
    const commander = { userId: 9, username: 'cmdr.reyes', agencyId: seed.agencyId, role: 'command' };
    const otherCommander = { ...commander, userId: 10, username: 'cmdr.other', agencyId: seed.otherAgencyId };
    expect(
      await searches.decide(otherCommander, near.searchId, { approve: true, reason: 'ok' }, opts()),
    ).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect(
      await searches.decide(
        commander,
        near.searchId,
        { approve: true, reason: 'armed robbery, camera needed' },
        opts(),
      ),
    ).toEqual({ ok: true, searchId: near.searchId, outcome: 'allowed' });
    expect(
      await searches.decide(commander, near.searchId, { approve: false, reason: 'again' }, opts()),
    ).toMatchObject({
      ok: false,
      code: 'not_pending',
    });
    const view = await results.view(me, near.searchId, opts());
    expect(view.ok && view.reads.map((r) => r.id)).toEqual(['edge-01/3']);
    const kinds = (await entries(t)).map((e) => e.kind).filter((k) => k !== 'sites.imported');
    expect(kinds).toEqual([
      AccessAuditKind.searchAllowed,
      AccessAuditKind.searchPendingApproval,
      AccessAuditKind.searchApproved,
      AccessAuditKind.resultsViewed,
    ]);
  });

  it('reads an area-limited search only from the cameras whose sectors reach the area', async () => {
    const keys = loadHubKeys(tempDir('alpr-search-keys-'));
    await new SiteRegistryService(t.db, audit, keys.signing).import(CLINIC_REGISTRY, {
      importedBy: 'planner',
      now: SEARCH_NOW - 5 * DAY,
    });
    const me = investigator(seed.agencyId);
    // A square around cam-far (800 m south-west of the origin), far from the clinic.
    const ring = [at(-850, -850), at(-750, -850), at(-750, -750), at(-850, -750), at(-850, -850)];
    const submitted = await searches.submit(
      me,
      lawfulSearch({ area: { type: 'Polygon', coordinates: [ring] } }),
      opts(),
    );
    expect(submitted.kind).toBe('allowed');
    const view = await results.view(me, submitted.searchId, opts());
    expect(view.ok && view.reads.map((r) => r.id)).toEqual(['edge-01/1']);
  });

  it('refuses a camera-limited search when no registry exists (fail closed, Q-06)', async () => {
    const refused = await searches.submit(
      investigator(seed.agencyId),
      lawfulSearch({ cameras: ['cam-far'] }),
      opts(),
    );
    expect(refused.kind === 'refused' && refused.problems[0]!.code).toBe('registry_unavailable');
  });

  it('refuses a search by an account without supervisor approval or with lapsed training (AC-04)', async () => {
    const me = investigator(seed.agencyId);
    const unapproved = await searches.submit(me, lawfulSearch(), {
      ...opts(),
      account: searcherAccount({ supervisorApproval: null }),
    });
    expect(unapproved.kind === 'refused' && unapproved.problems.map((p) => p.code)).toEqual([
      'no_supervisor_approval',
    ]);
    const untrained = await searches.submit(me, lawfulSearch(), {
      ...opts(),
      account: searcherAccount({ trainingCompletedAt: SEARCH_NOW - 800 * DAY }),
    });
    expect(untrained.kind).toBe('refused');
    expect((await entries(t)).map((e) => e.payload.outcome)).toEqual(['refused', 'refused']);
  });

  it("shows a search's results only to the searcher (AC-02)", async () => {
    const me = investigator(seed.agencyId);
    const { searchId } = await searches.submit(me, lawfulSearch(), opts());
    const colleague = investigator(seed.agencyId, { userId: 2, username: 'det.b' });
    expect(await results.view(colleague, searchId, opts())).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('fails the action and stores nothing when the audit entry cannot be written (AUD-06)', async () => {
    const me = investigator(seed.agencyId);
    const { searchId } = await searches.submit(me, lawfulSearch(), opts());
    const broken = new HubAuditLog();
    broken.append = async () => {
      throw new Error('audit disk full');
    };
    const brokenSearches = new SearchService(t.db, broken, ruleSet);
    const brokenResults = new SearchResultsService(t.db, broken, 30, 100);
    await expect(brokenSearches.submit(me, lawfulSearch(), opts())).rejects.toThrow('audit disk full');
    await expect(
      brokenSearches.submit(
        me,
        lawfulSearch({ justification: 'deportation of the driver of the white car' }),
        opts(),
      ),
    ).rejects.toThrow('audit disk full');
    await expect(brokenResults.view(me, searchId, opts())).rejects.toThrow('audit disk full');
    expect(await count(t, 'searches')).toBe(1);
    expect(await count(t, 'compliance_alerts')).toBe(0);
    expect(await count(t, 'audit_events')).toBe(1);
  });
});
