// The gate's state machine as a specification: what each event does to one camera's state, and what
// gateDecision() then says. The sequence that once left a camera pending forever is spelled out.
import { describe, expect, it } from 'vitest';
import { type GateCamera, gateDecision, type RegistryState } from '../../shared/geofence/gate-decision.js';
import {
  gateTransition,
  needsEvaluation,
  policyKeyOf,
  registryWithPlacement,
  staleAfterMs,
  withPlacementFinding,
  withRegistryOverlay,
} from '../../shared/geofence/gate-state.js';
import { T0 } from '../support/factories.js';

const KEY = policyKeyOf({ reproductive_health: 30, religious_observance: 30 });
const ok = (version = 'reg-1', checkedAt = T0): RegistryState => ({ status: 'ok', version, checkedAt });
const missing: RegistryState = { status: 'missing', detail: 'no site registry', checkedAt: T0 };
const verdict = (id: number, cameraHash: string, registryVersion = 'reg-1') => ({
  id,
  cameraHash,
  registryVersion,
  compliant: true,
  siteIds: [],
  policyKey: KEY,
});
const decide = (camera: GateCamera | undefined, registry: RegistryState, now = T0) =>
  gateDecision({ camera, registry, now, staleAfterMs: 30_000, policyKey: KEY });

describe('gateTransition', () => {
  it('starts a new camera pending, and a verdict for its hash lets it store', () => {
    const fresh = gateTransition(undefined, { type: 'configured', cameraHash: 'A', now: T0 });
    expect(fresh).toEqual({ cameraHash: 'A', pendingSince: T0 });
    expect(decide(fresh, ok())).toMatchObject({ allow: false, reason: 'pending' });
    expect(needsEvaluation(fresh!, ok(), KEY)).toBe(true);
    const evaluated = gateTransition(fresh, { type: 'evaluated', verdict: verdict(7, 'A') });
    expect(decide(evaluated, ok())).toEqual({ allow: true, verdictId: 7 });
  });

  it('is not stuck pending after a re-aim and a re-aim back while the registry was unavailable', () => {
    let cam = gateTransition(undefined, { type: 'configured', cameraHash: 'A', now: T0 });
    cam = gateTransition(cam, { type: 'evaluated', verdict: verdict(7, 'A') });
    cam = gateTransition(cam, { type: 'configured', cameraHash: 'B', now: T0 + 1 }); // re-aimed
    cam = gateTransition(cam, { type: 'registry_checked', registry: missing, policyKey: KEY });
    expect(decide(cam, missing)).toMatchObject({ reason: 'registry_error' });
    cam = gateTransition(cam, { type: 'configured', cameraHash: 'A', now: T0 + 2 }); // aimed back
    cam = gateTransition(cam, { type: 'registry_checked', registry: missing, policyKey: KEY });
    // The same registry version returns: verdict 7 is for exactly what is in force again.
    expect(needsEvaluation(cam!, ok(), KEY)).toBe(false);
    cam = gateTransition(cam, { type: 'registry_checked', registry: ok(), policyKey: KEY });
    expect(cam).toEqual({ cameraHash: 'A', verdict: verdict(7, 'A') });
    expect(decide(cam, ok())).toEqual({ allow: true, verdictId: 7 });
  });

  it('keeps the pending mark while the registry is unusable or the verdict is for another hash, version or buffers', () => {
    let cam = gateTransition(undefined, { type: 'configured', cameraHash: 'A', now: T0 });
    cam = gateTransition(cam, { type: 'evaluated', verdict: verdict(7, 'A') });
    const reaimed = gateTransition(cam, { type: 'configured', cameraHash: 'B', now: T0 });
    expect(gateTransition(reaimed, { type: 'registry_checked', registry: ok(), policyKey: KEY })).toBe(
      reaimed,
    );
    const pending = { ...cam!, pendingSince: T0 };
    expect(gateTransition(pending, { type: 'registry_checked', registry: ok('reg-2'), policyKey: KEY })).toBe(
      pending,
    );
    expect(gateTransition(pending, { type: 'registry_checked', registry: ok(), policyKey: 'other' })).toBe(
      pending,
    );
    expect(decide(cam, ok())).toEqual({ allow: true, verdictId: 7 });
    expect(
      gateDecision({ camera: cam, registry: ok(), now: T0, staleAfterMs: 30_000, policyKey: 'other' }),
    ).toMatchObject({
      reason: 'pending',
      detail: 'site buffers changed since the verdict',
    });
  });

  it('closes a camera on an invalid config edit until a valid file arrives, whatever its verdict', () => {
    let cam = gateTransition(undefined, { type: 'configured', cameraHash: 'A', now: T0 });
    cam = gateTransition(cam, { type: 'evaluated', verdict: verdict(7, 'A') });
    cam = gateTransition(cam, {
      type: 'config_invalid',
      detail: 'config file invalid (x: unknown key)',
      now: T0 + 5,
    });
    expect(decide(cam, ok())).toEqual({
      allow: false,
      reason: 'config_invalid',
      detail: 'config file invalid (x: unknown key)',
    });
    const again = gateTransition(cam, { type: 'config_invalid', detail: 'later', now: T0 + 9 });
    expect(again?.configInvalid).toEqual({ since: T0 + 5, detail: 'config file invalid (x: unknown key)' });
    cam = gateTransition(again, { type: 'config_valid' });
    expect(decide(cam, ok())).toEqual({ allow: true, verdictId: 7 });
  });

  it('keeps a camera closed after a failed evaluation', () => {
    const cam = gateTransition({ cameraHash: 'A' }, { type: 'evaluation_failed', now: T0 });
    expect(cam).toEqual({ cameraHash: 'A', pendingSince: T0 });
  });
});

describe('gate timing and overlay', () => {
  it('treats a registry unchecked for three re-check periods as stale', () => {
    expect(staleAfterMs(10_000)).toBe(30_000);
  });

  it('shows every camera pending between a registry file event and the re-check that handles it', () => {
    const cam = { cameraHash: 'A', verdict: verdict(7, 'A') };
    expect(withRegistryOverlay(cam, undefined)).toBe(cam);
    expect(decide(withRegistryOverlay(cam, T0), ok())).toMatchObject({ reason: 'pending' });
  });

  it('names buffers independently of key order', () => {
    expect(policyKeyOf({ b: 1, a: 2 })).toBe(policyKeyOf({ a: 2, b: 1 }));
    expect(policyKeyOf({ a: 2, b: 1 })).not.toBe(policyKeyOf({ a: 2, b: 2 }));
  });

  it('closes a camera whose own position is implausible, and the registry when it is implausible as a whole', () => {
    const cam = { cameraHash: 'A', verdict: verdict(7, 'A') };
    expect(decide(withPlacementFinding(cam, undefined, T0), ok())).toEqual({ allow: true, verdictId: 7 });
    expect(decide(withPlacementFinding(cam, 'cameras[0].position: far from every site', T0), ok())).toEqual({
      allow: false,
      reason: 'config_invalid',
      detail: 'cameras[0].position: far from every site',
    });
    expect(decide(cam, registryWithPlacement(ok(), 'implausible site registry'))).toMatchObject({
      reason: 'registry_error',
      detail: 'implausible site registry',
    });
    expect(registryWithPlacement(missing, 'implausible site registry')).toBe(missing);
  });
});
