// The sharing drift check (SH-07) on both engines: a share no approved grant backs (written by hand with
// the guard trigger off, the way sharing gets switched on outside the approval process) is revoked and
// alerted; a share outliving its approval likewise; an expired grant's share is removed as routine; an
// approved grant with no share is reported, never re-added; a clean ACL writes nothing. The local timer
// runs the check when Redis is unreachable.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DRIFT_ACTOR, SharingDriftService } from '../../../hub/sharing/drift.service.js';
import { SharingDriftWorker } from '../../../hub/sharing/drift-worker.js';
import { searchableAgencyIdsFor } from '../../../hub/sharing/grants.repository.js';
import { decideInquiry, submitInquiry } from '../../../hub/sharing/inquiry.service.js';
import { createLogger } from '../../../shared/logging/logger.js';
import { eventually } from '../../support/eventually.js';
import { HUB_ENGINES } from '../../support/hub-db.js';
import { openTestHub, type TestHub } from '../../support/hub-ingest.js';
import {
  addSharingAgencies,
  inquiryBody,
  type SharingAgencies,
  sharingPeople,
} from '../../support/hub-sharing.js';

const DAY = 86_400_000;
const silent = createLogger({ level: 'silent' });

describe.each(HUB_ENGINES)('sharing drift on %s', (engine) => {
  let hub: TestHub;
  let agencies: SharingAgencies;
  let drift: SharingDriftService;
  beforeEach(async () => {
    hub = await openTestHub(engine);
    agencies = await addSharingAgencies(hub.ctx);
    drift = new SharingDriftService(hub.ctx, silent);
  });
  afterEach(() => hub.close());

  const grantAsker = async () => {
    const people = sharingPeople(agencies);
    const inquiry = await submitInquiry(hub.ctx, people.asker, inquiryBody(hub.clock()));
    return (await decideInquiry(hub.ctx, people.ownerCommand, inquiry.id, { decision: 'approve' })).grant!;
  };
  const entries = async (kind: string) =>
    (await hub.ctx.audit.list(hub.ctx.db, { kind })).map((r) => ({
      actor: r.actor,
      ...JSON.parse(r.payload),
    }));
  const run = async () => {
    const outcome = await drift.run(`test:${hub.clock()}`);
    if (outcome.kind !== 'completed') throw new Error('busy');
    return outcome.report;
  };
  /** Write a share as a hand edit would: past the guard trigger. */
  const handShare = async (sql: string, params: unknown[]) => {
    await hub.ctx.db.exec('ALTER TABLE agency_shares DISABLE TRIGGER agency_shares_require_grant');
    await hub.ctx.db.query(sql, params as never);
    await hub.ctx.db.exec('ALTER TABLE agency_shares ENABLE TRIGGER agency_shares_require_grant');
  };

  it('leaves an approved ACL alone and writes no alert', async () => {
    await grantAsker();
    const report = await run();
    expect(report).toMatchObject({ sharesChecked: 1, drift: [], expired: [], missing: [] });
    expect(await entries('grant.drift')).toEqual([]);
    expect(await entries('compliance.alert')).toEqual([]);
  });

  it('revokes and alerts on a share no approved grant backs, and on one outliving its approval (SH-07)', async () => {
    const grant = await grantAsker();
    await handShare(
      `INSERT INTO agency_shares (owner_agency_id, grantee_agency_id, grantee_type, grant_id, expires_at, created_at)
       VALUES ($1, $2, 'state_le', NULL, $3, $3)`,
      [agencies.owner, agencies.third, new Date(hub.clock() + 365 * DAY)],
    );
    await handShare(
      "UPDATE agency_shares SET expires_at = expires_at + interval '300 days' WHERE grant_id = $1",
      [grant.id],
    );
    const report = await run();
    expect(report.drift.map((d) => [d.granteeAgency, d.reason]).sort()).toEqual([
      ['CA0349400', 'not_approved'],
      ['CA0410900', 'outlives_approval'],
    ]);
    expect(await hub.ctx.db.query('SELECT 1 FROM agency_shares')).toHaveLength(0);
    expect(await searchableAgencyIdsFor(hub.ctx.db, agencies.third, hub.clock())).toEqual([agencies.third]);
    const driftEntries = await entries('grant.drift');
    const revoked = driftEntries.filter((e) => e.outcome === 'revoked');
    expect(revoked).toHaveLength(2);
    expect(revoked[0]).toMatchObject({ actor: DRIFT_ACTOR, detail: { after: { share: null } } });
    // The approved grant lost its share with the drift: reported as missing in the same run.
    expect(report.missing).toEqual([String(grant.id)]);
    expect(driftEntries.filter((e) => e.outcome === 'reported').map((e) => e.category)).toEqual(['missing']);
    expect((await entries('compliance.alert')).map((e) => e.category).sort()).toEqual([
      'not_approved',
      'outlives_approval',
    ]);
    expect(
      await hub.ctx.db.query(
        "SELECT category FROM compliance_alerts WHERE kind = 'sharing.drift' ORDER BY category",
      ),
    ).toEqual([{ category: 'not_approved' }, { category: 'outlives_approval' }]);
    // Still reported the next day, never re-added automatically.
    hub.clock.advance(DAY);
    const next = await run();
    expect(next.missing).toEqual([String(grant.id)]);
    expect(await hub.ctx.db.query('SELECT 1 FROM agency_shares')).toHaveLength(0);
  });

  it("removes an expired grant's share as routine, without an alert (SH-05)", async () => {
    await grantAsker();
    hub.clock.advance(91 * DAY);
    const report = await run();
    expect(report.expired.map((d) => d.reason)).toEqual(['expired']);
    expect(report.drift).toEqual([]);
    expect((await entries('grant.changed')).find((e) => e.category === 'expired')).toMatchObject({
      actor: DRIFT_ACTOR,
    });
    expect(await entries('compliance.alert')).toEqual([]);
  });

  it('runs on the local timer when Redis is unreachable', async () => {
    await handShare(
      `INSERT INTO agency_shares (owner_agency_id, grantee_agency_id, grantee_type, grant_id, expires_at, created_at)
       VALUES ($1, $2, 'local_le', NULL, $3, $3)`,
      [agencies.owner, agencies.asker, new Date(hub.clock() + DAY)],
    );
    const worker = new SharingDriftWorker({
      service: drift,
      redisUrl: 'redis://127.0.0.1:1',
      queuePrefix: 'alpr-test-drift-local',
      everyMs: DAY,
      localFallbackMs: 60_000,
      firstFallbackMs: 20,
      clock: hub.clock,
      logger: silent,
    });
    worker.start();
    try {
      await eventually('a local drift run', async () => (await drift.lastRunAt()) !== undefined, {
        timeoutMs: 20_000,
      });
      expect(worker.runs.local).toBe(1);
      expect(await hub.ctx.db.query('SELECT 1 FROM agency_shares')).toHaveLength(0);
      expect((await entries('grant.drift'))[0]).toMatchObject({ category: 'not_approved' });
    } finally {
      await worker.stop();
    }
  });
});
