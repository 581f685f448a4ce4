// Fixture factories: a valid object by default, overrides for what a test is about.
import type { AuditRow } from '../../shared/audit/chain.js';
import type { CameraConfig } from '../../shared/config/camera.schema.js';
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
