// The fail-closed storage rule of the geofence, as one pure function: a camera's read may be stored
// only while its configuration is valid, a compliant verdict exists for the camera's current geometry
// hash AND the registry version (and buffers) currently in force, and the registry has been checked
// recently. Anything else refuses, with a reason. How the per-camera state evolves is gate-state.ts.

export const GATE_REFUSAL_REASONS = [
  'no_verdict',
  'non_compliant',
  'stale',
  'pending',
  'unknown_camera',
  'registry_error',
  'config_invalid',
] as const;
export type GateRefusalReason = (typeof GATE_REFUSAL_REASONS)[number];

/**
 * Every reason the edge refuses a read before storage: the gate's, or a capture time too far ahead of
 * the store's clock (shared/policy/clock-skew.ts). Metrics, logs and events name these and only these.
 */
export const STORE_REFUSAL_REASONS = [...GATE_REFUSAL_REASONS, 'clock_skew'] as const;
export type StoreRefusalReason = (typeof STORE_REFUSAL_REASONS)[number];

/** The gate's answer for storing a read from a camera now (the edge pipeline's ComplianceGate returns it). */
export type GateDecision =
  | { allow: true; verdictId: number }
  | { allow: false; reason: GateRefusalReason; detail?: string };

/** What the gate knows about the registry file. */
export type RegistryState =
  | { status: 'not_loaded' }
  /** The file changed and its new content is being validated (off the event loop). */
  | { status: 'loading'; checkedAt: number; since: number }
  | { status: 'ok'; version: string; checkedAt: number }
  | { status: 'missing' | 'invalid' | 'unreadable'; detail: string; checkedAt: number };

export interface GateVerdict {
  id: number;
  cameraHash: string;
  registryVersion: string;
  compliant: boolean;
  /** Offending site ids (not names: those are confidential). */
  siteIds: string[];
  /** Key of the buffers the verdict was made with (see gate-state.ts); absent: the buffers in force. */
  policyKey?: string;
}

export interface GateCamera {
  /** Hash of the camera's geometry as configured now. */
  cameraHash: string;
  /** Latest verdict made for this camera, if any. */
  verdict?: GateVerdict;
  /** Set while a change is known but not yet evaluated (re-aimed camera, registry file touched). */
  pendingSince?: number;
  /** Set while the config file holds an invalid edit touching this camera: refuse until a valid one. */
  configInvalid?: { since: number; detail: string };
}

export interface GateInput {
  camera: GateCamera | undefined;
  registry: RegistryState;
  now: number;
  /** A registry not checked for this long no longer vouches for any verdict. */
  staleAfterMs: number;
  /** Key of the buffers in force; a verdict made with other buffers is pending re-evaluation. */
  policyKey?: string;
}

/**
 * Decide whether a read from this camera may be stored now. Order matters: the first failing
 * condition is the reason reported.
 * @example gateDecision({ camera: { cameraHash: 'h', verdict: { id: 7, cameraHash: 'h', registryVersion: 'v', compliant: true, siteIds: [] } },
 *   registry: { status: 'ok', version: 'v', checkedAt: now }, now, staleAfterMs: 30_000 }) // { allow: true, verdictId: 7 }
 */
export function gateDecision(input: GateInput): GateDecision {
  const { camera, registry, now } = input;
  if (!camera)
    return { allow: false, reason: 'unknown_camera', detail: 'camera is not in the configuration' };
  if (camera.configInvalid) {
    return { allow: false, reason: 'config_invalid', detail: camera.configInvalid.detail };
  }
  if (registry.status === 'not_loaded') {
    return { allow: false, reason: 'pending', detail: 'site registry not loaded yet' };
  }
  if (registry.status === 'loading') {
    return { allow: false, reason: 'pending', detail: 'site registry changed; validating the new file' };
  }
  if (registry.status !== 'ok') return { allow: false, reason: 'registry_error', detail: registry.detail };
  if (now - registry.checkedAt > input.staleAfterMs) {
    return {
      allow: false,
      reason: 'stale',
      detail: `site registry last checked ${Math.round((now - registry.checkedAt) / 1000)} s ago`,
    };
  }
  if (camera.pendingSince !== undefined) {
    return { allow: false, reason: 'pending', detail: 'change seen, re-evaluation pending' };
  }
  const v = camera.verdict;
  if (!v) return { allow: false, reason: 'no_verdict', detail: 'camera has not been evaluated' };
  if (v.cameraHash !== camera.cameraHash) {
    return { allow: false, reason: 'pending', detail: 'camera geometry changed since its verdict' };
  }
  if (v.registryVersion !== registry.version) {
    return { allow: false, reason: 'pending', detail: 'site registry changed since the verdict' };
  }
  if (input.policyKey !== undefined && v.policyKey !== undefined && v.policyKey !== input.policyKey) {
    return { allow: false, reason: 'pending', detail: 'site buffers changed since the verdict' };
  }
  if (!v.compliant) {
    return {
      allow: false,
      reason: 'non_compliant',
      detail: `capture area reaches ${v.siteIds.length} sensitive site(s): ${v.siteIds.slice(0, 5).join(', ')}${v.siteIds.length > 5 ? ', …' : ''}`,
    };
  }
  return { allow: true, verdictId: v.id };
}

/** A short label for a decision, used for state-change audit events and /health. */
export function decisionLabel(d: GateDecision): string {
  return d.allow ? 'storing' : `refusing:${d.reason}`;
}
