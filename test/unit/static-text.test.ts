import { describe, expect, it } from 'vitest';
import { pointInPolygon } from '../../shared/plates/pixel-masks.js';
import { createStaticTextLearner, samePlace } from '../../shared/plates/static-text.js';
import { T0 } from '../support/factories.js';

const settings = { afterMs: 20_000, forgetAfterMs: 3000, sameBoxIou: 0.5, maxRegions: 8 };
const overlay = { x: 20, y: 10, width: 260, height: 24 };

describe('static text learning', () => {
  it('learns a box that stays at one place for afterMs, and not before', () => {
    const learner = createStaticTextLearner(settings);
    for (let t = 0; t < 20_000; t += 200) learner.observe('cam', T0 + t, [overlay]);
    expect(learner.isStatic('cam', overlay)).toBe(false);
    learner.observe('cam', T0 + 20_000, [{ ...overlay, width: 258 }]); // a timestamp's width wobbles
    expect(learner.isStatic('cam', overlay)).toBe(true);
    expect(learner.isStatic('other-cam', overlay)).toBe(false);
  });

  it('does not learn a plate that moves across the frame', () => {
    const learner = createStaticTextLearner(settings);
    for (let t = 0; t <= 30_000; t += 200) {
      learner.observe('cam', T0 + t, [{ x: 100 + t / 50, y: 400, width: 120, height: 40 }]);
    }
    expect(learner.regions('cam').some((r) => r.learned)).toBe(false);
  });

  it('does not learn a plate creeping towards the camera (it drifts out of its first box)', () => {
    const learner = createStaticTextLearner(settings);
    for (let t = 0; t <= 30_000; t += 200) {
      const grow = t / 1000;
      learner.observe('cam', T0 + t, [
        { x: 500 - grow, y: 400 + grow * 2, width: 120 + grow * 2, height: 40 + grow },
      ]);
    }
    expect(learner.regions('cam').some((r) => r.learned)).toBe(false);
  });

  it('forgets a region that shows no text for forgetAfterMs (the spot of a car that left)', () => {
    const learner = createStaticTextLearner(settings);
    for (let t = 0; t <= 25_000; t += 200) learner.observe('cam', T0 + t, [overlay]);
    expect(learner.isStatic('cam', overlay)).toBe(true);
    learner.observe('cam', T0 + 29_000, []);
    expect(learner.isStatic('cam', overlay)).toBe(false);
  });

  it('keeps at most maxRegions per camera', () => {
    const learner = createStaticTextLearner(settings);
    const boxes = Array.from({ length: 20 }, (_, i) => ({ x: i * 60, y: 0, width: 50, height: 20 }));
    learner.observe('cam', T0, boxes);
    expect(learner.regions('cam')).toHaveLength(8);
  });
});

describe('samePlace', () => {
  it('tolerates a few pixels, not a move by half the height', () => {
    const a = { x: 10, y: 10, width: 100, height: 20 };
    expect(samePlace(a, { ...a, x: 12 }, 0.5)).toBe(true);
    expect(samePlace(a, { ...a, y: 20 }, 0.5)).toBe(false);
  });
});

describe('pointInPolygon (masks)', () => {
  const square = [
    [0, 0],
    [100, 0],
    [100, 50],
    [0, 50],
  ] as const;
  it('tells inside from outside, also for concave polygons', () => {
    expect(pointInPolygon([50, 25], square)).toBe(true);
    expect(pointInPolygon([150, 25], square)).toBe(false);
    const l = [
      [0, 0],
      [100, 0],
      [100, 20],
      [20, 20],
      [20, 100],
      [0, 100],
    ] as const;
    expect(pointInPolygon([10, 90], l)).toBe(true);
    expect(pointInPolygon([60, 60], l)).toBe(false);
  });
});
