import { describe, expect, it } from 'vitest';
import { evidenceShortfall, summariseEvidence } from '../../shared/plates/pass-evidence.js';
import { createPassScreen, neverMoved, type ScreenedPass } from '../../shared/plates/pass-screen.js';
import { compilePlateFormat, US_PLATE_FORMAT } from '../../shared/plates/plate-format.js';
import { T0 } from '../support/factories.js';

const rules = { minFrames: 3, minAgreement: 0.5, minConfidence: 0.75 };

/** A pass of `texts` (one per frame, 200 ms apart) whose box moves `travelPx` over the pass. */
function makePass(
  overrides: Partial<ScreenedPass> & { texts?: string[]; travelPx?: number } = {},
): ScreenedPass {
  const texts = overrides.texts ?? ['7ABC123', '7ABC123', '7ABC123', '7ABC123'];
  const firstSeenAt = overrides.evidence?.firstSeenAt ?? T0;
  return {
    cameraId: 'cam-1',
    plate: '7ABC123',
    confidence: 0.95,
    box: { x: 500, y: 400, width: 120, height: 60 },
    ...overrides,
    evidence: {
      framesSeen: texts.length,
      firstSeenAt,
      lastSeenAt: firstSeenAt + (texts.length - 1) * 200,
      perFrame: texts.map((text) => ({ text })),
      travelPx: overrides.travelPx ?? 150,
      heightPx: 60,
      ...overrides.evidence,
    },
  };
}

describe('pass evidence', () => {
  it('counts frames that read the voted plate, O/0 and I/1 folded', () => {
    const pass = makePass({ plate: '0SG719', texts: ['0SG719', 'OSG719', 'QSG719'] });
    expect(summariseEvidence(pass)).toEqual({ agreeing: 2, agreement: 2 / 3 });
  });

  it('turns away a one-frame fragment', () => {
    expect(evidenceShortfall(makePass({ texts: ['7ABC123'] }), rules)).toBe('few_frames');
  });

  it('turns away a pass whose frames mostly read something else', () => {
    const pass = makePass({ texts: ['7ABC123', '7ABC123', '7ABC123', 'X1', 'X2', 'X3', 'X4'] });
    expect(evidenceShortfall(pass, rules)).toBe('disagreeing_frames');
  });

  it('turns away a low voted confidence and a plate outside the format', () => {
    expect(evidenceShortfall(makePass({ confidence: 0.6 }), rules)).toBe('low_confidence');
    const format = compilePlateFormat(US_PLATE_FORMAT);
    expect(
      evidenceShortfall(makePass({ plate: '1056', texts: ['1056', '1056', '1056'] }), rules, format),
    ).toBe('format');
  });

  it('asks a plate that reads like a word to be read surer (signs and lettering, not vanity plates)', () => {
    const words = { ...rules, minConfidenceWords: 0.9 };
    const sign = (confidence: number) =>
      makePass({ plate: 'N0RTHERN', confidence, texts: Array.from({ length: 7 }, () => 'N0RTHERN') });
    expect(evidenceShortfall(sign(0.78), words)).toBe('word_low_confidence');
    expect(evidenceShortfall(sign(0.97), words)).toBeUndefined();
    // A registration at the same confidence is not held to it.
    expect(evidenceShortfall(makePass({ confidence: 0.78 }), words)).toBeUndefined();
    // Without the rule a word is judged like any plate.
    expect(evidenceShortfall(sign(0.78), rules)).toBeUndefined();
  });

  it('stores a plate read the same way in enough frames', () => {
    expect(evidenceShortfall(makePass(), rules, compilePlateFormat(US_PLATE_FORMAT))).toBeUndefined();
  });

  it('scales agreement to frames beyond the kept evidence', () => {
    const pass = makePass({ texts: ['7ABC123', '7ABC123'] });
    pass.evidence.framesSeen = 10;
    expect(summariseEvidence(pass)).toEqual({ agreeing: 10, agreement: 1 });
  });
});

describe('createPassScreen', () => {
  const screen = () =>
    createPassScreen({ evidence: rules, staticAfterMs: 20_000, stationaryRepeatMs: 900_000 });

  it('refuses text that never moved for staticAfterMs as fixed on-screen text', () => {
    const texts = Array.from({ length: 120 }, () => '614042');
    const overlay = makePass({ plate: '614042', texts, travelPx: 0 });
    expect(overlay.evidence.lastSeenAt - overlay.evidence.firstSeenAt).toBeGreaterThanOrEqual(20_000);
    expect(neverMoved(overlay)).toBe(true);
    expect(screen().admit(overlay, overlay.evidence.lastSeenAt)).toEqual({
      store: false,
      reason: 'static_text',
    });
  });

  it('stores a car that waited as long but arrived moving', () => {
    const texts = Array.from({ length: 120 }, () => '7ABC123');
    const waited = makePass({ texts, travelPx: 300 });
    expect(screen().admit(waited, waited.evidence.lastSeenAt)).toEqual({ store: true });
  });

  it('stores short still passes (a photo shown for two seconds is not an overlay)', () => {
    const still = makePass({ travelPx: 0 });
    expect(screen().admit(still, still.evidence.lastSeenAt)).toEqual({ store: true });
  });

  it('names the evidence rule a fragment fails', () => {
    expect(screen().admit(makePass({ texts: ['7ABC123'] }), T0)).toEqual({
      store: false,
      reason: 'evidence_few_frames',
    });
  });

  describe('a parked car (stationaryRepeatS)', () => {
    const minute = 60_000;
    const parkedPass = (i: number) =>
      makePass({ travelPx: 0, evidence: { firstSeenAt: T0 + i * minute } as never });

    it('stores the first pass, suppresses the repeats at the same place for 15 minutes, then stores again', () => {
      const s = screen();
      const verdicts = Array.from({ length: 31 }, (_, i) => s.admit(parkedPass(i), T0 + i * minute).store);
      // minute 0 stored; 1..15 suppressed (within 900 s of the stored read); 16 stored; 17..31 suppressed.
      expect(verdicts.filter(Boolean)).toHaveLength(2);
      expect(verdicts[0]).toBe(true);
      expect(verdicts[16]).toBe(true);
      expect(s.admit(parkedPass(17), T0 + 17 * minute)).toEqual({
        store: false,
        reason: 'stationary_repeat',
      });
    });

    it('stores the same plate again when its box moved (the car left and came back elsewhere)', () => {
      const s = screen();
      expect(s.admit(makePass({ travelPx: 0 }), T0).store).toBe(true);
      const elsewhere = makePass({ travelPx: 0, box: { x: 100, y: 100, width: 120, height: 60 } });
      expect(s.admit(elsewhere, T0 + minute).store).toBe(true);
    });

    it('never suppresses a car that drove through, even at the same place (a commuter every day)', () => {
      const s = screen();
      expect(s.admit(makePass(), T0).store).toBe(true);
      expect(s.admit(makePass(), T0 + minute).store).toBe(true);
    });

    it('remembers where a car that arrived moving came to rest', () => {
      const s = screen();
      const rest = { x: 800, y: 420, width: 120, height: 60 };
      expect(s.admit(makePass({ endBox: rest }), T0).store).toBe(true);
      const parked = makePass({ travelPx: 0, box: rest, endBox: rest });
      expect(s.admit(parked, T0 + minute)).toEqual({ store: false, reason: 'stationary_repeat' });
    });

    it('keeps cameras apart, and is off at 0', () => {
      const s = screen();
      expect(s.admit(makePass({ travelPx: 0 }), T0).store).toBe(true);
      expect(s.admit(makePass({ travelPx: 0, cameraId: 'cam-2' }), T0 + minute).store).toBe(true);
      const off = createPassScreen({ evidence: rules, staticAfterMs: 0, stationaryRepeatMs: 0 });
      expect(off.admit(makePass(), T0).store).toBe(true);
      expect(off.admit(makePass(), T0 + minute).store).toBe(true);
    });
  });
});
