import { describe, expect, it } from 'vitest';
import {
  changedShare,
  createMotionGate,
  DEFAULT_MOTION_GATE,
  greyThumbnail,
} from '../../edge/recognition/motion-gate.js';
import type { RawImage } from '../../edge/recognition/raw-image.js';
import { T0 } from '../support/factories.js';

const W = 320;
const H = 180;
const whole = { x: 0, y: 0, width: W, height: H };

/** A grey frame with an optional dark square (a "car") at x. */
function frame(carX?: number): RawImage {
  const data = Buffer.alloc(W * H * 3, 128);
  if (carX !== undefined) {
    for (let y = 60; y < 120; y++) data.fill(20, (y * W + carX) * 3, (y * W + carX + 60) * 3);
  }
  return { width: W, height: H, data };
}

describe('greyThumbnail and changedShare', () => {
  it('samples the region to grey levels', () => {
    const thumb = greyThumbnail(frame(), whole, 16, 9);
    expect(thumb).toHaveLength(144);
    expect(thumb.every((v) => v === 127 || v === 128)).toBe(true);
  });

  it('measures the share of pixels that changed by more than delta', () => {
    expect(changedShare(Uint8Array.from([10, 10, 10, 10]), Uint8Array.from([10, 40, 12, 10]), 16)).toBe(0.25);
    expect(changedShare(new Uint8Array(2), new Uint8Array(3), 16)).toBe(1);
  });
});

describe('createMotionGate', () => {
  it('reads the first frame, skips an unchanged one and reads when something moves', () => {
    const gate = createMotionGate();
    expect(gate.shouldRead('cam-1', T0, frame(40), whole)).toBe(true);
    expect(gate.shouldRead('cam-1', T0 + 200, frame(40), whole)).toBe(false);
    expect(gate.shouldRead('cam-1', T0 + 400, frame(80), whole)).toBe(true);
    expect(gate.skipped).toBe(1);
  });

  it('reads one frame every maxSkipMs even when nothing moves', () => {
    const gate = createMotionGate();
    gate.shouldRead('cam-1', T0, frame(), whole);
    expect(gate.shouldRead('cam-1', T0 + DEFAULT_MOTION_GATE.maxSkipMs - 1, frame(), whole)).toBe(false);
    expect(gate.shouldRead('cam-1', T0 + DEFAULT_MOTION_GATE.maxSkipMs, frame(), whole)).toBe(true);
  });

  it('compares each camera with its own last frame, and only inside the searched region', () => {
    const gate = createMotionGate();
    gate.shouldRead('cam-1', T0, frame(), whole);
    expect(gate.shouldRead('cam-2', T0, frame(), whole)).toBe(true);
    const rightHalf = { x: 160, y: 0, width: 160, height: 180 };
    gate.shouldRead('cam-3', T0, frame(), rightHalf);
    // A car moving in the left half is outside cam-3's region of interest.
    expect(gate.shouldRead('cam-3', T0 + 200, frame(20), rightHalf)).toBe(false);
  });
});
