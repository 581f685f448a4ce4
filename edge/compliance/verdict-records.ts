// Writes what the gate decided into the store: the camera row (geometry hash), one verdict row per
// evaluation with its audit event in the same transaction, and batched gate-state changes.
// Site names are confidential and never written here; site ids, categories and distances are.
import { AuditKind } from '../../shared/audit/audit-log.js';
import { canonicalJson } from '../../shared/canonical-json.js';
import { cameraGeometryConfig } from '../../shared/geofence/camera-hash.js';
import type { CameraGeometry } from '../../shared/geofence/sector.js';
import type { Verdict } from '../../shared/geofence/verdict.js';
import type { Store } from '../../shared/store/store.js';

/** Insert or update the camera row; its config is the geometry only (no URL, no credentials). */
export function registerCamera(
  store: Store,
  camera: { id: string; label?: string; hash: string; geometry: CameraGeometry },
  now: number,
): boolean {
  const config = canonicalJson({
    id: camera.id,
    label: camera.label,
    geometry: cameraGeometryConfig(camera.geometry),
  });
  return store.cameras.upsert({ id: camera.id, configHash: camera.hash, config }, now);
}

/** Record one evaluation: camera row, verdict row and `compliance.verdict` event, atomically. Returns the verdict id. */
export function recordVerdict(
  store: Store,
  actor: string,
  camera: { id: string; label?: string; hash: string; geometry: CameraGeometry },
  verdict: Verdict,
  now: number,
): number {
  const violations = verdict.violations.map(
    ({ siteId, category, distanceM, overlapM2, bufferM, nearest }) => ({
      siteId,
      category,
      distanceM,
      overlapM2,
      bufferM,
      nearest,
    }),
  );
  return store.transaction(() => {
    registerCamera(store, camera, now);
    const verdictId = store.verdicts.insert({
      cameraId: camera.id,
      cameraHash: verdict.cameraHash,
      registryVersion: verdict.registryVersion,
      compliant: verdict.compliant,
      violations,
      evaluatedAt: now,
    });
    store.audit.append(
      {
        kind: AuditKind.complianceVerdict,
        actor,
        payload: {
          cameraId: camera.id,
          verdictId,
          compliant: verdict.compliant,
          cameraHash: verdict.cameraHash,
          registryVersion: verdict.registryVersion,
          rangeM: Math.round(verdict.sector.rangeM * 100) / 100,
          rangeSource: verdict.sector.rangeSource,
          bufferM: verdict.bufferM,
          violations,
        },
      },
      now,
    );
    return verdictId;
  });
}

export interface GateStateChange {
  cameraId: string;
  from: string;
  to: string;
  verdictId?: number;
  detail?: string;
}

/** One `compliance.gate_state` event for all cameras whose storing state changed in one re-check. */
export function recordGateStateChanges(
  store: Store,
  actor: string,
  changes: GateStateChange[],
  now: number,
): void {
  if (changes.length === 0) return;
  store.audit.append({ kind: AuditKind.complianceGateState, actor, payload: { changes } }, now);
}
