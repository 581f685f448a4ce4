// Fixture factories: a valid object by default, overrides for what a test is about.
import { AuditKind } from '../../shared/audit/audit-log.js';
import type { AuditRow } from '../../shared/audit/chain.js';
import type { CameraConfig } from '../../shared/config/camera.schema.js';
import type { HoldRequestInput, NewHold } from '../../shared/policy/holds.js';
import type { NewRead } from '../../shared/store/reads.repository.js';
import type { Store } from '../../shared/store/store.js';

export const T0 = Date.UTC(2026, 2, 1, 12, 0, 0); // 2026-03-01T12:00:00Z

export function makeCameraConfig(overrides: Partial<CameraConfig> = {}): Record<string, unknown> {
  return {
    id: 'cam-1',
    url: 'rtsp://user:secret@127.0.0.1:8554/cam1',
    position: { lng: -121.89, lat: 37.33 },
    bearingDeg: 90,
    ...overrides,
  };
}

export function makeRead(overrides: Partial<NewRead> = {}): NewRead {
  return {
    cameraId: 'cam-1',
    plate: '7ABC123',
    rawText: '7ABC123',
    confidence: 0.93,
    charConfidences: [0.95, 0.9, 0.94, 0.92, 0.96, 0.91, 0.93],
    capturedAt: T0,
    box: { x: 100, y: 200, width: 120, height: 60 },
    modelId: 'cct-xs-v1-global',
    verdictId: 1,
    ...overrides,
  };
}

/** Register a camera and a compliant verdict for it; returns the verdict id. */
export function seedCompliantCamera(store: Store, cameraId = 'cam-1', at = T0): number {
  store.cameras.upsert({ id: cameraId, configHash: `hash-${cameraId}`, config: '{}' }, at);
  return store.verdicts.insert({
    cameraId,
    cameraHash: `hash-${cameraId}`,
    registryVersion: 'registry-v1',
    compliant: true,
    violations: [],
    evaluatedAt: at,
  });
}

export function makeAuditRow(overrides: Partial<AuditRow> = {}): AuditRow {
  return {
    seq: 1,
    at: T0,
    kind: 'test.event',
    actor: 'tester',
    payload: '{}',
    prevHash: '0'.repeat(64),
    hash: '',
    ...overrides,
  };
}

/** A hold request as an operator types it (text fields; add readIds or a camera range). */
export function makeHoldRequest(overrides: Partial<HoldRequestInput> = {}): HoldRequestInput {
  return {
    caseNumber: 'C-2026-0042',
    crimeType: 'PC211',
    reason: 'armed robbery',
    requestedBy: 'det.alvarez',
    approvedBy: 'lt.chen',
    ...overrides,
  };
}

export function makeHold(overrides: Partial<NewHold> = {}): NewHold {
  return {
    caseNumber: 'C-1',
    crimeType: 'PC211',
    reason: 'robbery',
    requestedBy: 'det.a',
    approvedBy: 'lt.b',
    scope: { kind: 'reads', readIds: [] },
    ...overrides,
  };
}

/**
 * Hold `readIds` at `at` writing what HoldService writes, in its order (audit event, hold row, links), but
 * without its rules (e.g. to hold a read that is already past retention). Returns the hold id.
 */
export function placeHold(
  store: Store,
  readIds: number[],
  overrides: Partial<NewHold> = {},
  at = T0,
): number {
  const hold = makeHold({ scope: { kind: 'reads', readIds }, ...overrides });
  return store.transaction(() => {
    const id = store.holds.nextId();
    store.audit.append(
      {
        kind: AuditKind.holdCreated,
        actor: hold.requestedBy,
        payload: {
          holdId: id,
          caseNumber: hold.caseNumber,
          crimeType: hold.crimeType,
          reason: hold.reason,
          requestedBy: hold.requestedBy,
          approvedBy: hold.approvedBy,
          readCount: readIds.length,
        },
      },
      at,
    );
    store.holds.insert(hold, at, id);
    store.holds.link(id, readIds);
    return id;
  });
}

/** Release a hold the way HoldService does (audit event first); false when it is not active. */
export function releaseHold(store: Store, holdId: number, at: number, by = 'lt.b', reason = 'case closed') {
  return store.transaction(() => {
    const hold = store.holds.get(holdId);
    if (!hold || hold.releasedAt !== null) return false;
    store.audit.append(
      { kind: AuditKind.holdReleased, actor: by, payload: { holdId, releasedBy: by, reason } },
      at,
    );
    return store.holds.release(holdId, by, reason, at);
  });
}
