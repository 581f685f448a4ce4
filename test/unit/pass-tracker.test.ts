import { describe, expect, it } from 'vitest';
import type { PassTracker } from '../../edge/pipeline/stages.js';
import { createPassTracker } from '../../shared/plates/pass-tracker.js';
import { alignTo, votePlate } from '../../shared/plates/pass-voting.js';
import { T0 } from '../support/factories.js';
import {
  confidences,
  makeFrameRead,
  makeObservation,
  makeTrackerSettings,
} from '../support/plate-factories.js';

describe('votePlate', () => {
  it('outvotes a single misread character across frames', () => {
    const vote = votePlate([
      makeFrameRead({ text: '7ABC123', at: 1 }),
      makeFrameRead({ text: '7A8C123', at: 2, charConfidences: confidences('7A8C123', 0.7) }),
      makeFrameRead({ text: '7ABC123', at: 3 }),
    ]);
    expect(vote.text).toBe('7ABC123');
  });

  it('lowers a character confidence when frames disagree on it', () => {
    const agree = votePlate([makeFrameRead(), makeFrameRead()]);
    const disagree = votePlate([makeFrameRead(), makeFrameRead({ text: '7A8C123' })]);
    expect(agree.charConfidences[2]).toBeCloseTo(0.95);
    expect(disagree.charConfidences[2]).toBeCloseTo(0.95 / 2);
    expect(disagree.confidence).toBeLessThan(agree.confidence);
  });

  it('lowers only the character a frame dropped', () => {
    const vote = votePlate([makeFrameRead(), makeFrameRead(), makeFrameRead({ text: 'ABC123' })]);
    expect(vote.text).toBe('7ABC123');
    expect(vote.charConfidences[0]).toBeCloseTo(0.95 * (2 / 3));
    expect(vote.charConfidences.slice(1).every((c) => Math.abs(c - 0.95) < 1e-9)).toBe(true);
    expect(vote.confidence).toBeCloseTo((0.95 * (2 / 3) + 6 * 0.95) / 7);
  });

  it('does not let frames that dropped different characters outvote the whole plate', () => {
    // A plate read whole once, and three times with one character lost (different ones): by length
    // the six-character reads would win; by support the whole plate does.
    const vote = votePlate([
      makeFrameRead({ text: 'AJK7551' }),
      makeFrameRead({ text: 'JK7551', charConfidences: confidences('JK7551', 0.9) }),
      makeFrameRead({ text: 'AKK551', charConfidences: confidences('AKK551', 0.6) }),
      makeFrameRead({ text: 'AJK751', charConfidences: confidences('AJK751', 0.9) }),
    ]);
    expect(vote.text).toBe('AJK7551');
  });

  it('aligns a read with a dropped character to the plate', () => {
    expect(alignTo('JK7551', 'AJK7551')).toEqual([-1, 0, 1, 2, 3, 4, 5]);
    expect(alignTo('WWTC249', 'WTC249')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(alignTo('7A8C123', '7ABC123')).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('can settle on a text no single frame read', () => {
    const vote = votePlate([
      makeFrameRead({ text: '7A8C123' }),
      makeFrameRead({ text: '7ABC128' }),
      makeFrameRead({ text: '7ABX123' }),
    ]);
    expect(vote.text).toBe('7ABC123');
  });

  it('points at the most confident frame that read the voted text', () => {
    const vote = votePlate([
      makeFrameRead({ at: 1, charConfidences: confidences('7ABC123', 0.8) }),
      makeFrameRead({ at: 2, text: '7A8C123', charConfidences: confidences('7A8C123', 0.99) }),
      makeFrameRead({ at: 3, charConfidences: confidences('7ABC123', 0.9) }),
      makeFrameRead({ at: 4, charConfidences: confidences('7ABC123', 0.85) }),
    ]);
    expect(vote.bestIndex).toBe(2);
  });

  it('refuses an empty pass', () => {
    expect(() => votePlate([])).toThrow(RangeError);
  });
});

describe('createPassTracker', () => {
  const frameAt = (i: number) => T0 + i * 200; // 5 frames per second

  it('emits one read per vehicle pass once the plate has been unseen for the window', () => {
    const tracker = createPassTracker(makeTrackerSettings());
    for (let i = 0; i < 5; i++) {
      expect(
        tracker.observe('cam-1', frameAt(i), [
          makeObservation({ box: { x: 500 + i * 20, y: 400, width: 120, height: 60 } }),
        ]),
      ).toEqual([]);
    }
    expect(tracker.flush(frameAt(4) + 2999)).toEqual([]);
    const [pass, ...rest] = tracker.flush(frameAt(4) + 3001);
    expect(rest).toEqual([]);
    expect(pass).toMatchObject({ cameraId: 'cam-1', plate: '7ABC123' });
    expect(pass!.evidence).toMatchObject({ framesSeen: 5, firstSeenAt: frameAt(0), lastSeenAt: frameAt(4) });
    expect(pass!.evidence.perFrame).toHaveLength(5);
    expect(pass!.confidence).toBeCloseTo(0.95);
  });

  it('records how far the plate travelled over its pass', () => {
    const tracker = createPassTracker(makeTrackerSettings());
    for (let i = 0; i < 3; i++) {
      tracker.observe('cam-1', frameAt(i), [
        makeObservation({ box: { x: 500 + i * 30, y: 400 + i * 40, width: 120, height: 60 } }),
      ]);
    }
    const [pass] = tracker.flushAll();
    expect(pass!.evidence.travelPx).toBeCloseTo(100);
    expect(pass!.evidence.heightPx).toBe(60);
  });

  it('keeps a pass alive with replayed still-frame reads without counting them as frames', () => {
    const tracker = createPassTracker(makeTrackerSettings());
    tracker.observe('cam-1', frameAt(0), [makeObservation()]);
    for (let i = 1; i <= 25; i++) tracker.observe('cam-1', frameAt(i), [makeObservation({ replayed: true })]);
    // Five seconds later the plate is still there (nothing moved): the pass has not ended.
    expect(tracker.flush(frameAt(25) + 1000)).toEqual([]);
    const [pass] = tracker.flushAll();
    expect(pass!.evidence.framesSeen).toBe(1);
    expect(pass!.evidence.lastSeenAt).toBe(frameAt(25));
  });

  it('lets text on a learned fixed-text region continue a pass, never start one', () => {
    const tracker = createPassTracker(makeTrackerSettings());
    tracker.observe('cam-1', frameAt(0), [makeObservation({ onStaticRegion: true })]);
    expect(tracker.flushAll()).toEqual([]);
    expect(tracker.stats().staticIgnored).toBe(1);
    tracker.observe('cam-1', frameAt(1), [makeObservation()]);
    tracker.observe('cam-1', frameAt(2), [makeObservation({ onStaticRegion: true })]);
    const [pass] = tracker.flushAll();
    expect(pass!.evidence.framesSeen).toBe(2);
  });

  it('settles O/0 and I/1 of the voted plate with the preset', () => {
    const tracker = createPassTracker(makeTrackerSettings());
    tracker.observe('cam-1', frameAt(0), [makeObservation({ text: '7C1D930' })]);
    const [pass] = tracker.flushAll();
    expect(pass!.plate).toBe('7CID930');
  });

  it('votes the text over the frames of a pass', () => {
    const tracker = createPassTracker(makeTrackerSettings());
    tracker.observe('cam-1', frameAt(0), [makeObservation({ text: '7A8C123' })]);
    tracker.observe('cam-1', frameAt(1), [makeObservation()]);
    tracker.observe('cam-1', frameAt(2), [makeObservation()]);
    const [pass] = tracker.flushAll();
    expect(pass!.plate).toBe('7ABC123');
    expect(pass!.evidence.perFrame.map((f) => f.text)).toEqual(['7A8C123', '7ABC123', '7ABC123']);
  });

  it('keeps two vehicles in the same frames apart', () => {
    const tracker = createPassTracker(makeTrackerSettings());
    for (let i = 0; i < 3; i++) {
      tracker.observe('cam-1', frameAt(i), [
        makeObservation({ text: '7ABC123', box: { x: 100, y: 400, width: 120, height: 60 } }),
        makeObservation({ text: 'XYZ987', box: { x: 900, y: 400, width: 120, height: 60 } }),
      ]);
    }
    expect(
      tracker
        .flushAll()
        .map((p) => p.plate)
        .sort(),
    ).toEqual(['7ABC123', 'XYZ987']);
  });

  it('joins a fast vehicle whose box jumped, when the text matches strongly', () => {
    const tracker = createPassTracker(makeTrackerSettings());
    tracker.observe('cam-1', frameAt(0), [makeObservation({ box: { x: 0, y: 0, width: 100, height: 50 } })]);
    tracker.observe('cam-1', frameAt(1), [
      makeObservation({ box: { x: 1000, y: 600, width: 100, height: 50 } }),
    ]);
    expect(tracker.flushAll()).toHaveLength(1);
  });

  it('does not join a weakly similar text far away', () => {
    const tracker = createPassTracker(makeTrackerSettings());
    tracker.observe('cam-1', frameAt(0), [
      makeObservation({ text: '7ABC123', box: { x: 0, y: 0, width: 100, height: 50 } }),
    ]);
    tracker.observe('cam-1', frameAt(1), [
      makeObservation({ text: '7ABX999', box: { x: 1000, y: 600, width: 100, height: 50 } }),
    ]);
    expect(tracker.flushAll()).toHaveLength(2);
  });

  it('starts a new pass when the same plate returns after the window', () => {
    const tracker = createPassTracker(makeTrackerSettings());
    tracker.observe('cam-1', T0, [makeObservation()]);
    const ended = tracker.observe('cam-1', T0 + 10_000, [makeObservation()]);
    expect(ended).toHaveLength(1);
    expect(ended[0]!.evidence.lastSeenAt).toBe(T0);
    expect(tracker.flushAll()[0]!.evidence.firstSeenAt).toBe(T0 + 10_000);
  });

  it('closes a pass that lasts longer than maxPassMs (a parked car) and opens a new one', () => {
    const tracker = createPassTracker(makeTrackerSettings({ maxPassMs: 1000 }));
    const ended = [];
    for (let i = 0; i <= 10; i++) ended.push(...tracker.observe('cam-1', frameAt(i), [makeObservation()]));
    expect(ended).toHaveLength(1);
    expect(ended[0]!.evidence.framesSeen).toBe(6);
  });

  it('tracks cameras independently', () => {
    const tracker = createPassTracker(makeTrackerSettings());
    tracker.observe('cam-1', T0, [makeObservation()]);
    tracker.observe('cam-2', T0 + 100, [makeObservation()]);
    // A frame of cam-2 much later ends nothing of cam-1; flush does.
    expect(tracker.observe('cam-2', T0 + 100, [])).toEqual([]);
    expect(
      tracker
        .flushAll()
        .map((p) => p.cameraId)
        .sort(),
    ).toEqual(['cam-1', 'cam-2']);
  });

  it('drops and counts a pass whose voted read falls below the minimum confidence', () => {
    const tracker = createPassTracker(makeTrackerSettings({ minConfidence: 0.8 }));
    tracker.observe('cam-1', frameAt(0), [
      makeObservation({ text: '7ABC123', charConfidences: confidences('7ABC123', 0.85) }),
    ]);
    tracker.observe('cam-1', frameAt(1), [
      makeObservation({ text: '7XYZ123', charConfidences: confidences('7XYZ123', 0.85) }),
    ]);
    expect(tracker.flushAll()).toEqual([]);
    expect(tracker.stats()).toEqual({ emitted: 0, dropped: 1, staticIgnored: 0 });
  });

  it('carries the crop of the most confident frame only', () => {
    const tracker = createPassTracker(makeTrackerSettings());
    tracker.observe('cam-1', frameAt(0), [
      makeObservation({ cropJpeg: Buffer.from('low'), charConfidences: confidences('7ABC123', 0.7) }),
    ]);
    tracker.observe('cam-1', frameAt(1), [
      makeObservation({ cropJpeg: Buffer.from('high'), charConfidences: confidences('7ABC123', 0.99) }),
    ]);
    tracker.observe('cam-1', frameAt(2), [
      makeObservation({ cropJpeg: Buffer.from('mid'), charConfidences: confidences('7ABC123', 0.8) }),
    ]);
    const [pass] = tracker.flushAll();
    expect(pass!.cropJpeg?.toString()).toBe('high');
    expect(pass!.capturedAt).toBe(frameAt(1));
  });

  it('caps the per-frame evidence at the most confident frames, in time order', () => {
    const tracker = createPassTracker(makeTrackerSettings({ maxEvidence: 3 }));
    [0.7, 0.9, 0.8, 0.95, 0.75].forEach((c, i) => {
      tracker.observe('cam-1', frameAt(i), [makeObservation({ charConfidences: confidences('7ABC123', c) })]);
    });
    const [pass] = tracker.flushAll();
    expect(pass!.evidence.framesSeen).toBe(5);
    expect(pass!.evidence.perFrame.map((f) => f.at)).toEqual([frameAt(1), frameAt(2), frameAt(3)]);
  });

  it('satisfies the edge pipeline PassTracker contract', () => {
    const tracker: PassTracker = createPassTracker(makeTrackerSettings());
    expect(tracker.flushAll()).toEqual([]);
  });
});
