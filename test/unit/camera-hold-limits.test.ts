import { describe, expect, it } from 'vitest';
import { type ActiveHoldScope, checkCameraHoldLimits } from '../../shared/policy/camera-hold-limits.js';
import type { HoldScope } from '../../shared/policy/holds.js';
import { T0 } from '../support/factories.js';

const H = 3_600_000;
const camera = (fromH: number, toH: number, overrides: Partial<HoldScope> = {}): HoldScope =>
  ({ kind: 'camera', cameraId: 'cam-1', from: T0 + fromH * H, to: T0 + toH * H, ...overrides }) as HoldScope;
const active = (...scopes: HoldScope[]): ActiveHoldScope[] =>
  scopes.map((scope, i) => ({ id: i + 1, scope }));
const messages = (scope: HoldScope, holds: ActiveHoldScope[], max = 24) =>
  checkCameraHoldLimits(scope, holds, max).map((p) => `${p.field}: ${p.message}`);

describe('checkCameraHoldLimits', () => {
  it('accepts a first camera hold and one well apart from another', () => {
    expect(messages(camera(0, 8), [])).toEqual([]);
    expect(messages(camera(20, 28), active(camera(0, 8)))).toEqual([]);
  });

  it('refuses a hold that overlaps or adjoins an active plate-less hold on the same camera', () => {
    expect(messages(camera(4, 12), active(camera(0, 8)))).toEqual([
      expect.stringMatching(/^from: overlaps active hold 1 on camera cam-1 .*may not be chained/),
    ]);
    expect(messages(camera(8, 16), active(camera(0, 8)))).toEqual([
      expect.stringMatching(/^from: adjoins active hold 1/),
    ]);
  });

  it("refuses once the camera's plate-less holds together would exceed the limit", () => {
    expect(messages(camera(40, 50), active(camera(0, 8), camera(20, 28)))).toEqual([
      'to: camera cam-1 already has 16 h under 2 active hold(s) without --plate; with this one it would exceed 24 h (retention.holdMaxCameraRangeHours)',
    ]);
  });

  it('does not limit holds naming a plate or read ids, nor count other cameras', () => {
    const plate = camera(0, 100, { plate: '7ABC123' } as Partial<HoldScope>);
    expect(messages(plate, active(camera(0, 24)))).toEqual([]);
    expect(
      messages(camera(0, 8), active(plate, camera(0, 24, { cameraId: 'cam-2' } as Partial<HoldScope>))),
    ).toEqual([]);
    expect(messages({ kind: 'reads', readIds: [1] }, active(camera(0, 24)))).toEqual([]);
  });
});
