import { describe, expect, it } from 'vitest';
import { ScreenedTracker } from '../../../edge/pipeline/screened-tracker.js';
import { createPassTracker } from '../../../shared/plates/pass-tracker.js';
import { createStaticTextLearner } from '../../../shared/plates/static-text.js';
import { T0 } from '../../support/factories.js';
import { makeObservation, makeTrackerSettings } from '../../support/plate-factories.js';

const evidence = { minFrames: 3, minAgreement: 0.5, minConfidence: 0.75 };
const MINUTE = 60_000;

describe('ScreenedTracker', () => {
  it('stores a parked car once per stationaryRepeatS instead of once per trackMaxPassMs, counting the rest', () => {
    const tracker = new ScreenedTracker(createPassTracker(makeTrackerSettings({ maxPassMs: MINUTE })), {
      evidence,
      staticAfterMs: 0,
      stationaryRepeatMs: 15 * MINUTE,
    });
    const stored = [];
    // A car parks in view for 40 minutes, seen at 1 frame per second.
    for (let t = 0; t <= 40 * MINUTE; t += 1000) {
      stored.push(...tracker.observe('cam-1', T0 + t, [makeObservation()]));
    }
    stored.push(...tracker.flushAll());
    // Without the rule: a read per minute (40). With it: at about 0, 16 and 32 minutes.
    const passes = tracker.trackerStats().emitted;
    expect(passes).toBeGreaterThanOrEqual(39);
    expect(stored).toHaveLength(3);
    const suppressed = tracker.discarded().find((d) => d.reason === 'stationary_repeat')?.count ?? 0;
    expect(suppressed).toBe(passes - 3);
  });

  it('refuses one-frame fragments and counts them per camera and reason', () => {
    const tracker = new ScreenedTracker(createPassTracker(makeTrackerSettings()), {
      evidence,
      staticAfterMs: 0,
      stationaryRepeatMs: 0,
    });
    tracker.observe('cam-1', T0, [makeObservation({ text: 'CH21COP' })]);
    expect(tracker.flushAll()).toEqual([]);
    expect(tracker.discarded()).toEqual([{ cameraId: 'cam-1', reason: 'evidence_few_frames', count: 1 }]);
  });

  it('holds an unmoved pass while its text is still on screen, and refuses it once learned as fixed text', () => {
    const learner = createStaticTextLearner({
      afterMs: 10_000,
      forgetAfterMs: 3000,
      sameBoxIou: 0.5,
      maxRegions: 8,
    });
    const tracker = new ScreenedTracker(
      createPassTracker(makeTrackerSettings({ windowMs: 1000 })),
      { evidence, staticAfterMs: 10_000, stationaryRepeatMs: 0 },
      {},
      learner,
    );
    const box = { x: 20, y: 10, width: 200, height: 30 };
    const overlay = makeObservation({ text: 'CAM07', box, textBox: box });
    const out = [];
    for (let t = 0; t <= 12_000; t += 200) {
      learner.observe('cam-1', T0 + t, [box]);
      // The tracker loses the overlay for 2 s in the middle (it was not read), so its first pass ends early.
      const seen = t < 4000 || t > 6000;
      out.push(
        ...tracker.observe(
          'cam-1',
          T0 + t,
          seen ? [{ ...overlay, onStaticRegion: learner.isStatic('cam-1', box) }] : [],
        ),
      );
    }
    out.push(...tracker.flushAll());
    expect(out).toEqual([]);
    expect(tracker.discarded().find((d) => d.reason === 'static_text')?.count).toBeGreaterThanOrEqual(1);
  });

  it('judges a held pass normally once its text is gone (a photo shown for two seconds)', () => {
    const learner = createStaticTextLearner({
      afterMs: 10_000,
      forgetAfterMs: 1000,
      sameBoxIou: 0.5,
      maxRegions: 8,
    });
    const tracker = new ScreenedTracker(
      createPassTracker(makeTrackerSettings({ windowMs: 600 })),
      { evidence, staticAfterMs: 10_000, stationaryRepeatMs: 0 },
      {},
      learner,
    );
    const box = { x: 500, y: 400, width: 120, height: 40 };
    const out = [];
    for (let t = 0; t <= 5000; t += 200) {
      const inView = t < 2000;
      learner.observe('cam-1', T0 + t, inView ? [box] : []);
      out.push(...tracker.observe('cam-1', T0 + t, inView ? [makeObservation({ box, textBox: box })] : []));
    }
    expect(out.map((p) => p.plate)).toEqual(['7ABC123']);
  });
});
