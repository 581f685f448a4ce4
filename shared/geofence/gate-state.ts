// How the compliance gate's knowledge of one camera changes, as pure transitions: a camera (re)configured
// with a geometry hash, an invalid config edit touching it, a registry re-check, a verdict recorded or
// failing to record. gateDecision() turns the resulting state into store/refuse; the edge's gate only
// feeds events in and does the I/O. Also the gate's timing policy (staleness) and the overlay that keeps
// every camera pending between a registry file event and the re-check that handles it.
import type { GateCamera, GateVerdict, RegistryState } from './gate-decision.js';

/** A registry not re-checked for this many re-check periods no longer vouches for any verdict. */
export const STALE_AFTER_PERIODS = 3;

/** @example staleAfterMs(10_000) // 30_000 */
export function staleAfterMs(reevaluateEveryMs: number): number {
  return STALE_AFTER_PERIODS * reevaluateEveryMs;
}

/** Identifies the buffers a verdict was made with: changing a buffer makes every verdict pending. */
export function policyKeyOf(buffers: Readonly<Record<string, number>>): string {
  return Object.keys(buffers)
    .sort()
    .map((k) => `${k}=${buffers[k]}`)
    .join(',');
}

export type GateEvent =
  /** The camera's geometry as configured now (at start, or from a valid config reload). */
  | { type: 'configured'; cameraHash: string; now: number }
  /** The config file was edited invalidly in a way that touches this camera. */
  | { type: 'config_invalid'; detail: string; now: number }
  /** A valid config file arrived: an earlier invalid edit no longer holds the camera. */
  | { type: 'config_valid' }
  /** A verdict for the camera was recorded in the store. */
  | { type: 'evaluated'; verdict: GateVerdict }
  /** Evaluating or recording failed: the camera stays closed until a later re-check succeeds. */
  | { type: 'evaluation_failed'; now: number }
  /** The registry was re-checked and is in `registry`; `policyKey` names the buffers in force. */
  | { type: 'registry_checked'; registry: RegistryState; policyKey: string };

/**
 * Whether the camera's latest verdict is for exactly what is in force now: its geometry hash, the
 * registry version and the buffers. Only then may a pending mark be dropped without evaluating.
 */
export function verdictIsCurrent(camera: GateCamera, registry: RegistryState, policyKey: string): boolean {
  const v = camera.verdict;
  return (
    registry.status === 'ok' &&
    v !== undefined &&
    v.cameraHash === camera.cameraHash &&
    v.registryVersion === registry.version &&
    (v.policyKey === undefined || v.policyKey === policyKey)
  );
}

/** Whether a re-check must evaluate this camera (the registry is usable and the verdict is not current). */
export function needsEvaluation(camera: GateCamera, registry: RegistryState, policyKey: string): boolean {
  return registry.status === 'ok' && !verdictIsCurrent(camera, registry, policyKey);
}

/**
 * The camera's state after `event`. A new camera starts pending; a re-configured geometry is pending
 * until evaluated; a registry re-check that finds the verdict current clears the pending mark (this
 * is what un-sticks a camera re-aimed and aimed back while the registry was unavailable).
 * @example gateTransition(undefined, { type: 'configured', cameraHash: 'h', now }) // { cameraHash: 'h', pendingSince: now }
 */
export function gateTransition(camera: GateCamera | undefined, event: GateEvent): GateCamera | undefined {
  switch (event.type) {
    case 'configured':
      if (camera && camera.cameraHash === event.cameraHash) return camera;
      return { ...camera, cameraHash: event.cameraHash, pendingSince: event.now };
    case 'config_invalid':
      if (!camera) return camera;
      return { ...camera, configInvalid: camera.configInvalid ?? { since: event.now, detail: event.detail } };
    case 'config_valid': {
      if (!camera?.configInvalid) return camera;
      const { configInvalid: _dropped, ...rest } = camera;
      return rest;
    }
    case 'evaluated': {
      if (!camera) return camera;
      const { pendingSince: _done, ...rest } = camera;
      return { ...rest, verdict: event.verdict };
    }
    case 'evaluation_failed':
      if (!camera) return camera;
      return { ...camera, pendingSince: camera.pendingSince ?? event.now };
    case 'registry_checked': {
      if (!camera || camera.pendingSince === undefined) return camera;
      if (!verdictIsCurrent(camera, event.registry, event.policyKey)) return camera;
      const { pendingSince: _current, ...rest } = camera;
      return rest;
    }
  }
}

/**
 * The camera as decide() must see it: between a registry file event and the re-check that handles it,
 * every camera counts as pending (the old verdicts may be for a registry that no longer exists).
 */
export function withRegistryOverlay(camera: GateCamera | undefined, changeSeenAt: number | undefined) {
  if (!camera || changeSeenAt === undefined || camera.pendingSince !== undefined) return camera;
  return { ...camera, pendingSince: changeSeenAt };
}

/**
 * The camera as decide() must see it when its own position is implausible against the registry (swapped
 * coordinates?): closed as config_invalid with why, until the config or the registry is fixed.
 */
export function withPlacementFinding(
  camera: GateCamera | undefined,
  implausible: string | undefined,
  now: number,
): GateCamera | undefined {
  if (!camera || implausible === undefined) return camera;
  return { ...camera, configInvalid: { since: now, detail: implausible } };
}

/** The registry as decide() must see it: a loaded registry implausible as a whole vouches for nothing. */
export function registryWithPlacement(state: RegistryState, problem: string | undefined): RegistryState {
  return state.status === 'ok' && problem
    ? { status: 'invalid', detail: problem, checkedAt: state.checkedAt }
    : state;
}
