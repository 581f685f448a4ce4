import { describe, expect, it } from 'vitest';
import { type GateCamera, type GateInput, gateDecision } from '../../shared/geofence/gate-decision.js';
import { T0 } from '../support/factories.js';

const compliantCamera = (overrides: Partial<GateCamera> = {}): GateCamera => ({
  cameraHash: 'hash-a',
  verdict: { id: 7, cameraHash: 'hash-a', registryVersion: 'reg-1', compliant: true, siteIds: [] },
  ...overrides,
});

const input = (overrides: Partial<GateInput> = {}): GateInput => ({
  camera: compliantCamera(),
  registry: { status: 'ok', version: 'reg-1', checkedAt: T0 },
  now: T0 + 1000,
  staleAfterMs: 30_000,
  ...overrides,
});

describe('gateDecision', () => {
  it('allows storing under a compliant verdict for the current camera hash and registry version', () => {
    expect(gateDecision(input())).toEqual({ allow: true, verdictId: 7 });
  });

  it('refuses an unknown camera', () => {
    expect(gateDecision(input({ camera: undefined }))).toMatchObject({
      allow: false,
      reason: 'unknown_camera',
    });
  });

  it('refuses while the registry is not loaded, missing or invalid', () => {
    expect(gateDecision(input({ registry: { status: 'not_loaded' } }))).toMatchObject({ reason: 'pending' });
    for (const status of ['missing', 'invalid', 'unreadable'] as const) {
      expect(gateDecision(input({ registry: { status, detail: 'why', checkedAt: T0 } }))).toEqual({
        allow: false,
        reason: 'registry_error',
        detail: 'why',
      });
    }
  });

  it('refuses when the registry has not been re-checked within the staleness window', () => {
    expect(gateDecision(input({ now: T0 + 30_000 }))).toMatchObject({ allow: true });
    expect(gateDecision(input({ now: T0 + 30_001 }))).toMatchObject({ allow: false, reason: 'stale' });
  });

  it('refuses while a known change waits for re-evaluation', () => {
    expect(gateDecision(input({ camera: compliantCamera({ pendingSince: T0 }) }))).toMatchObject({
      reason: 'pending',
    });
  });

  it('refuses a camera never evaluated', () => {
    expect(gateDecision(input({ camera: { cameraHash: 'hash-a' } }))).toMatchObject({ reason: 'no_verdict' });
  });

  it('treats a verdict for another camera geometry or registry version as pending, never as compliant', () => {
    expect(gateDecision(input({ camera: compliantCamera({ cameraHash: 'hash-b' }) }))).toMatchObject({
      reason: 'pending',
      detail: 'camera geometry changed since its verdict',
    });
    expect(
      gateDecision(input({ registry: { status: 'ok', version: 'reg-2', checkedAt: T0 } })),
    ).toMatchObject({
      reason: 'pending',
      detail: 'site registry changed since the verdict',
    });
  });

  it('refuses under a non-compliant verdict, naming the site ids', () => {
    const camera = compliantCamera({
      verdict: {
        id: 8,
        cameraHash: 'hash-a',
        registryVersion: 'reg-1',
        compliant: false,
        siteIds: ['rh-1', 'ro-2'],
      },
    });
    expect(gateDecision(input({ camera }))).toEqual({
      allow: false,
      reason: 'non_compliant',
      detail: 'capture area reaches 2 sensitive site(s): rh-1, ro-2',
    });
  });
});
