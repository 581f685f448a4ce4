import { describe, expect, it } from 'vitest';
import { AuditKind } from '../../shared/audit/audit-log.js';
import { HoldService } from '../../shared/holds/hold.service.js';
import { DAY_MS, HOUR_MS } from '../../shared/runtime/clock.js';
import { makeHoldRequest, seedCompliantCamera, T0 } from '../support/factories.js';
import { insertReadsAged, openSeededStore, rawCount } from '../support/purge.js';

const NOW = T0 + 40 * DAY_MS;
const base = makeHoldRequest();

function setup() {
  const { store, verdictId } = openSeededStore();
  const service = new HoldService(store, { maxCameraRangeHours: 24 });
  return { store, verdictId, service };
}

describe('HoldService', () => {
  it('creates the hold, its links and a complete audit event together', () => {
    const { store, verdictId, service } = setup();
    const [a, b] = insertReadsAged(store, verdictId, NOW, [HOUR_MS, 2 * HOUR_MS]);
    const result = service.create({ ...base, readIds: [String(a), String(b)], reviewBy: '2026-06-01' }, NOW);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({ matched: 2, notFoundReadIds: [] });
    expect(store.holds.isHeld(a!) && store.holds.isHeld(b!)).toBe(true);
    const [event] = store.audit.list({ kind: AuditKind.holdCreated });
    expect(event).toMatchObject({ actor: 'det.alvarez', at: NOW });
    expect(JSON.parse(event!.payload)).toMatchObject({
      holdId: result.value.hold.id,
      caseNumber: 'C-2026-0042',
      crimeType: 'PC211',
      reason: 'armed robbery',
      requestedBy: 'det.alvarez',
      approvedBy: 'lt.chen',
      scope: { kind: 'reads', readIds: [a, b] },
      readCount: 2,
      reviewBy: '2026-06-01T00:00:00.000Z',
    });
    store.close();
  });

  it('holds only visible reads of the camera, range and plate, and says which ids it could not hold', () => {
    const { store, verdictId, service } = setup();
    seedCompliantCamera(store, 'cam-2');
    const verdict2 = store.verdicts.latestFor('cam-2')!.id;
    const [match, otherPlate, expired] = insertReadsAged(
      store,
      verdictId,
      NOW,
      [3 * HOUR_MS, 4 * HOUR_MS, 31 * DAY_MS],
      (i) => ({
        plate: ['7ABC123', '8XYZ999', '7ABC123'][i],
      }),
    );
    const [otherCamera] = insertReadsAged(store, verdict2, NOW, [3 * HOUR_MS], () => ({
      cameraId: 'cam-2',
      plate: '7ABC123',
    }));
    const from = new Date(NOW - 10 * HOUR_MS).toISOString();
    const to = new Date(NOW).toISOString();
    const byPlate = service.create({ ...base, cameraId: 'cam-1', from, to, plate: '7abc-123' }, NOW);
    expect(byPlate.ok && byPlate.value.matched).toBe(1);
    expect(store.holds.isHeld(match!)).toBe(true);
    expect([otherPlate, expired, otherCamera].map((id) => store.holds.isHeld(id!))).toEqual([
      false,
      false,
      false,
    ]);

    const byIds = service.create(
      { ...base, caseNumber: 'C-2', readIds: [String(otherPlate), String(expired), '999999'] },
      NOW,
    );
    expect(byIds.ok && byIds.value).toMatchObject({ matched: 1, notFoundReadIds: [expired, 999999] });
    store.close();
  });

  it('writes nothing when no read matches, or when the request is invalid', () => {
    const { store, verdictId, service } = setup();
    const [expired] = insertReadsAged(store, verdictId, NOW, [31 * DAY_MS]);
    const none = service.create({ ...base, readIds: [String(expired)] }, NOW);
    expect(none).toMatchObject({ ok: false, error: { code: 'no-reads' } });
    const invalid = service.create({ ...base, approvedBy: 'det.alvarez', readIds: ['1'] }, NOW);
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(rawCount(store, 'SELECT count(*) AS n FROM holds')).toBe(0);
    expect(rawCount(store, 'SELECT count(*) AS n FROM audit_events')).toBe(0);
    store.close();
  });

  it('rolls the hold back if its audit event cannot be written (one transaction)', () => {
    const { store, verdictId, service } = setup();
    const [a] = insertReadsAged(store, verdictId, NOW, [HOUR_MS]);
    store.db.exec(
      "CREATE TEMP TRIGGER audit_down BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'audit down'); END",
    );
    expect(() => service.create({ ...base, readIds: [String(a)] }, NOW)).toThrow(/audit down/);
    expect(rawCount(store, 'SELECT count(*) AS n FROM holds')).toBe(0);
    expect(rawCount(store, 'SELECT count(*) AS n FROM hold_reads')).toBe(0);
    store.close();
  });

  it('releases once, with who and why in the audit chain, and refuses a second release', () => {
    const { store, verdictId, service } = setup();
    const [a] = insertReadsAged(store, verdictId, NOW, [29 * DAY_MS]);
    const created = service.create({ ...base, readIds: [String(a)] }, NOW);
    if (!created.ok) throw new Error('hold not created');
    const id = created.value.hold.id;
    const later = NOW + 2 * DAY_MS;
    const released = service.release(id, { releasedBy: 'lt.chen', reason: 'case closed' }, later);
    expect(released.ok && released.value).toMatchObject({
      readsNoLongerProtected: 1,
      hold: { releasedBy: 'lt.chen' },
    });
    const [event] = store.audit.list({ kind: AuditKind.holdReleased });
    expect(JSON.parse(event!.payload)).toMatchObject({
      holdId: id,
      caseNumber: 'C-2026-0042',
      releasedBy: 'lt.chen',
      reason: 'case closed',
    });
    expect(service.release(id, { releasedBy: 'lt.chen', reason: 'again' }, later)).toMatchObject({
      ok: false,
      error: { code: 'already-released' },
    });
    expect(service.release(4040, { releasedBy: 'lt.chen', reason: 'x' }, later)).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(service.list({ activeOnly: true })).toEqual([]);
    expect(store.audit.verify()).toMatchObject({ ok: true });
    store.close();
  });

  it('refuses a camera hold chained to another (adjoining or overlapping), and one past the camera budget', () => {
    const { store, verdictId, service } = setup();
    insertReadsAged(store, verdictId, NOW, [2 * HOUR_MS, 10 * HOUR_MS, 20 * HOUR_MS, 30 * HOUR_MS]);
    const iso = (hoursAgo: number) => new Date(NOW - hoursAgo * HOUR_MS).toISOString();
    const camera = (fromH: number, toH: number) => ({
      ...base,
      cameraId: 'cam-1',
      from: iso(fromH),
      to: iso(toH),
    });
    const first = service.create(camera(12, 0), NOW);
    expect(first.ok).toBe(true);
    const adjoining = service.create(camera(24, 12), NOW);
    expect(adjoining).toMatchObject({
      ok: false,
      error: {
        code: 'invalid',
        problems: [{ field: 'from', message: expect.stringMatching(/^adjoins active hold 1/) }],
      },
    });
    expect(service.create(camera(16, 6), NOW)).toMatchObject({ ok: false, error: { code: 'invalid' } });
    // Apart from the first, but 12 h + 13 h > the 24 h budget of this camera.
    const over = service.create(camera(36, 23), NOW);
    expect(over.ok ? 'created' : over.error.code === 'invalid' && over.error.problems[0]?.message).toMatch(
      /already has 12 h under 1 active hold\(s\)/,
    );
    // Releasing the first frees the camera's budget.
    service.release(1, { releasedBy: 'lt.chen', reason: 'case closed' }, NOW);
    expect(service.create(camera(36, 23), NOW).ok).toBe(true);
    expect(store.audit.verify()).toMatchObject({ ok: true });
    store.close();
  });

  it('stores identities normalised, and refuses a self-approval hidden by case, spaces or invisible characters', () => {
    const { store, verdictId, service } = setup();
    const [a] = insertReadsAged(store, verdictId, NOW, [HOUR_MS]);
    for (const approvedBy of ['Det.Alvarez', ' det.alvarez ', 'det.alvarez\u200b', 'ＤＥＴ.alvarez']) {
      expect(service.create({ ...base, approvedBy, readIds: [String(a)] }, NOW)).toMatchObject({
        ok: false,
        error: { code: 'invalid' },
      });
    }
    const created = service.create(
      { ...base, requestedBy: ' Det.Alvarez ', approvedBy: 'LT.Chen', readIds: [String(a)] },
      NOW,
    );
    expect(created.ok && created.value.hold).toMatchObject({
      requestedBy: 'det.alvarez',
      approvedBy: 'lt.chen',
    });
    store.close();
  });
});
