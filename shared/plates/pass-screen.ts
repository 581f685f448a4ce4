// The last word on a vehicle pass before the compliance gate (pure but for its memory; time is an
// argument). In order: a pass that never moved and lasted `staticAfterMs` is fixed on-screen text; a
// pass without enough evidence is a fragment; a pass repeating a stored plate of the same camera at
// the same place within `stationaryRepeatMs`, and that itself stood still, is a parked car seen
// again. Each refusal has a reason.
import { boxCentre, type PixelBox } from './box-geometry.js';
import { type EvidenceRules, type EvidenceShortfall, evidenceShortfall } from './pass-evidence.js';
import { foldPlateText, type PlateFormatRule } from './plate-format.js';
import { samePlace } from './static-text.js';

export interface PassScreenSettings {
  evidence: EvidenceRules;
  format?: PlateFormatRule;
  /** A pass that never moved and lasted this long is fixed text (0: never). */
  staticAfterMs: number;
  /** Repeats of a stored plate at the same place within this long are suppressed (0: never). */
  stationaryRepeatMs: number;
}

/** What the screen reads from a pass (the shape of PassRead). */
export interface ScreenedPass {
  cameraId: string;
  plate: string;
  confidence: number;
  box: PixelBox;
  /** Where the plate was last seen (default: `box`). */
  endBox?: PixelBox;
  evidence: {
    framesSeen: number;
    firstSeenAt: number;
    lastSeenAt: number;
    perFrame: ReadonlyArray<{ text: string }>;
    /** Farthest the plate's box centre got from where the pass began (px). */
    travelPx?: number;
    /** Plate box height when the pass began (px). */
    heightPx?: number;
  };
}

export type ScreenRefusal = 'static_text' | 'stationary_repeat' | `evidence_${EvidenceShortfall}`;
export type ScreenVerdict = { store: true } | { store: false; reason: ScreenRefusal };

export interface PassScreen {
  /** Decide one pass; an admitted pass is remembered for the stationary rule. */
  admit(pass: ScreenedPass, now: number): ScreenVerdict;
}

/**
 * Whether a pass's plate never left the place it was first seen (travel under half its height).
 * @example neverMoved({ evidence: { travelPx: 3, heightPx: 40, ... } }) // true
 */
export function neverMoved(pass: Pick<ScreenedPass, 'evidence'>): boolean {
  const { travelPx, heightPx } = pass.evidence;
  if (travelPx === undefined || heightPx === undefined) return false;
  return travelPx < Math.max(2, heightPx / 2);
}

/** @example const screen = createPassScreen(settings); screen.admit(pass, now) // { store: true } */
export function createPassScreen(settings: PassScreenSettings): PassScreen {
  /** camera → folded plate → where and when it was last stored. */
  const stored = new Map<string, Map<string, { box: PixelBox; at: number }>>();
  return {
    admit(pass, now) {
      const duration = pass.evidence.lastSeenAt - pass.evidence.firstSeenAt;
      if (settings.staticAfterMs > 0 && duration >= settings.staticAfterMs && neverMoved(pass)) {
        return { store: false, reason: 'static_text' };
      }
      const shortfall = evidenceShortfall(pass, settings.evidence, settings.format);
      if (shortfall) return { store: false, reason: `evidence_${shortfall}` };
      // Only a pass that stood still can be a parked car seen again; a car driving past never is.
      if (settings.stationaryRepeatMs <= 0 || !neverMoved(pass)) {
        if (settings.stationaryRepeatMs > 0) remember(pass, now);
        return { store: true };
      }
      const memory = stored.get(pass.cameraId) ?? new Map<string, { box: PixelBox; at: number }>();
      stored.set(pass.cameraId, memory);
      for (const [key, entry] of memory) {
        if (now - entry.at > settings.stationaryRepeatMs) memory.delete(key);
      }
      const key = foldPlateText(pass.plate);
      const previous = memory.get(key);
      if (
        previous &&
        now - previous.at <= settings.stationaryRepeatMs &&
        stillThere(previous.box, pass.box)
      ) {
        return { store: false, reason: 'stationary_repeat' };
      }
      memory.set(key, { box: { ...pass.box }, at: now });
      return { store: true };
    },
  };

  function remember(pass: ScreenedPass, now: number): void {
    const memory = stored.get(pass.cameraId) ?? new Map<string, { box: PixelBox; at: number }>();
    stored.set(pass.cameraId, memory);
    memory.set(foldPlateText(pass.plate), { box: { ...(pass.endBox ?? pass.box) }, at: now });
  }
}

/** The same plate at (nearly) the same place: the boxes overlap and the centres are close. */
function stillThere(a: PixelBox, b: PixelBox): boolean {
  if (samePlace(a, b, 0.3)) return true;
  const ca = boxCentre(a);
  const cb = boxCentre(b);
  return Math.hypot(ca.x - cb.x, ca.y - cb.y) < Math.min(a.height, b.height) / 2;
}
