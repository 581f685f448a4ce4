// Fixed on-screen text per camera (pure but for its per-camera memory; time is an argument). Camera
// overlays (timestamps, camera names, speed read-outs) sit at one place in every frame while their
// characters change a little; a plate moves with its vehicle. Text boxes that stay at one place for
// `afterMs` are learned as a static region; a region that shows no text for `forgetAfterMs` is
// forgotten (so a spot where a car once stood does not stay blind).
import { boxCentre, coverage, iou, type PixelBox } from './box-geometry.js';

export interface StaticTextSettings {
  /** Text at one place this long is fixed text. */
  afterMs: number;
  /** A region with no text for this long is forgotten. */
  forgetAfterMs: number;
  /** Boxes overlapping more than this (IoU) are the same place. */
  sameBoxIou: number;
  /** The most regions tracked per camera (oldest unlearned ones go first). */
  maxRegions: number;
}

export const DEFAULT_STATIC_TEXT: StaticTextSettings = {
  afterMs: 20_000,
  forgetAfterMs: 3000,
  sameBoxIou: 0.5,
  maxRegions: 64,
};

export interface StaticRegion {
  /** The box as first seen (a region stays where it began; drift means it moved). */
  box: PixelBox;
  firstSeenAt: number;
  lastSeenAt: number;
  hits: number;
  learned: boolean;
}

export interface StaticTextLearner {
  /** Feed the text boxes found in one analysed frame of a camera. */
  observe(cameraId: string, at: number, boxes: readonly PixelBox[]): void;
  /** Whether `box` lies on a learned static region of the camera. */
  isStatic(cameraId: string, box: PixelBox): boolean;
  /**
   * Where `box` stands at `now`: on a learned region, on a region still being watched (text seen there
   * within forgetAfterMs, not yet long enough to tell), or on none.
   */
  placeOf(cameraId: string, box: PixelBox, now: number): 'learned' | 'watched' | 'none';
  regions(cameraId: string): StaticRegion[];
}

/**
 * Whether two boxes are the same place: they overlap well and their centres are within a third of the
 * text height (a plate creeping towards the camera drifts out of its first box and is not fixed text).
 * @example samePlace({ x: 10, y: 10, width: 100, height: 20 }, { x: 12, y: 10, width: 98, height: 20 }, 0.5) // true
 */
export function samePlace(a: PixelBox, b: PixelBox, minIou: number): boolean {
  const ca = boxCentre(a);
  const cb = boxCentre(b);
  const tolerance = Math.min(a.height, b.height) / 3;
  return iou(a, b) >= minIou && Math.abs(ca.x - cb.x) <= tolerance * 2 && Math.abs(ca.y - cb.y) <= tolerance;
}

/**
 * Whether `box` lies on `region`: the same place, or a part of it (a detector splits an overlay line
 * into words on some frames and not on others) with text of about the same height.
 * @example onRegion({ x: 0, y: 0, width: 300, height: 30 }, { x: 150, y: 1, width: 90, height: 29 }, 0.5) // true
 */
export function onRegion(region: PixelBox, box: PixelBox, minIou: number): boolean {
  if (samePlace(region, box, minIou)) return true;
  const ratio = box.height / Math.max(1e-6, region.height);
  return ratio >= 0.6 && ratio <= 1.5 && coverage(region, box) >= 0.8;
}

/** @example const l = createStaticTextLearner(); l.observe('cam', now, boxes); l.isStatic('cam', box) */
export function createStaticTextLearner(
  settings: StaticTextSettings = DEFAULT_STATIC_TEXT,
): StaticTextLearner {
  const byCamera = new Map<string, StaticRegion[]>();
  return {
    observe(cameraId, at, boxes) {
      const regions = (byCamera.get(cameraId) ?? []).filter(
        (r) => at - r.lastSeenAt <= settings.forgetAfterMs,
      );
      for (const box of boxes) {
        const region =
          regions.find((r) => samePlace(r.box, box, settings.sameBoxIou)) ??
          regions.find((r) => onRegion(r.box, box, settings.sameBoxIou));
        if (region) {
          region.lastSeenAt = Math.max(region.lastSeenAt, at);
          region.hits += 1;
          if (!region.learned && region.lastSeenAt - region.firstSeenAt >= settings.afterMs)
            region.learned = true;
        } else {
          regions.push({ box: { ...box }, firstSeenAt: at, lastSeenAt: at, hits: 1, learned: false });
        }
      }
      if (regions.length > settings.maxRegions) {
        regions.sort((a, b) => Number(b.learned) - Number(a.learned) || b.lastSeenAt - a.lastSeenAt);
        regions.length = settings.maxRegions;
      }
      byCamera.set(cameraId, regions);
    },
    isStatic(cameraId, box) {
      return (byCamera.get(cameraId) ?? []).some(
        (r) => r.learned && samePlace(r.box, box, settings.sameBoxIou),
      );
    },
    placeOf(cameraId, box, now) {
      const here = (byCamera.get(cameraId) ?? []).filter(
        (r) => now - r.lastSeenAt <= settings.forgetAfterMs && onRegion(r.box, box, settings.sameBoxIou),
      );
      if (here.some((r) => r.learned)) return 'learned';
      return here.length > 0 ? 'watched' : 'none';
    },
    regions(cameraId) {
      return (byCamera.get(cameraId) ?? []).map((r) => ({ ...r, box: { ...r.box } }));
    },
  };
}
