// Skips camera frames in which nothing moved (pure but for its per-camera memory): most frames of
// a road camera show an empty or unchanged scene, and detection is most of the recognizer's cost.
// A frame is compared with the last one read, as a small grey thumbnail of the region searched;
// the first frame, any change, and one frame every `maxSkipMs` are always read.
import type { PixelBox } from '../../shared/plates/box-geometry.js';
import type { RawImage } from './raw-image.js';

export interface MotionGateSettings {
  /** Thumbnail size the comparison runs on (downsampling also averages out sensor noise). */
  thumbWidth: number;
  thumbHeight: number;
  /** A thumbnail pixel changed when its grey level moved by more than this (0-255). */
  pixelDelta: number;
  /** Share of thumbnail pixels that must change for the frame to count as moving. */
  minChangedShare: number;
  /** Read a frame at least this often even without motion (ms). */
  maxSkipMs: number;
}

export const DEFAULT_MOTION_GATE: MotionGateSettings = {
  thumbWidth: 96,
  thumbHeight: 54,
  pixelDelta: 16,
  minChangedShare: 0.002,
  maxSkipMs: 5000,
};

/**
 * Grey thumbnail of `region` by point sampling (pure): cheap enough to run on every frame.
 * @example greyThumbnail(frame, { x: 0, y: 0, width: 1280, height: 720 }, 96, 54)
 */
export function greyThumbnail(image: RawImage, region: PixelBox, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const { data } = image;
  for (let y = 0; y < height; y++) {
    const sy = Math.min(image.height - 1, Math.floor(region.y + ((y + 0.5) * region.height) / height));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(image.width - 1, Math.floor(region.x + ((x + 0.5) * region.width) / width));
      const i = (sy * image.width + sx) * 3;
      out[y * width + x] = (data[i]! * 77 + data[i + 1]! * 150 + data[i + 2]! * 29) >> 8;
    }
  }
  return out;
}

/** Share of pixels whose grey level differs by more than `delta` (pure). */
export function changedShare(a: Uint8Array, b: Uint8Array, delta: number): number {
  if (a.length !== b.length || a.length === 0) return 1;
  let changed = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i]! - b[i]!) > delta) changed++;
  return changed / a.length;
}

export interface MotionGate {
  /** Whether this frame should be read; remembers it as the reference when it is. */
  shouldRead(cameraId: string, capturedAt: number, image: RawImage, region: PixelBox): boolean;
  readonly skipped: number;
}

export function createMotionGate(settings: MotionGateSettings = DEFAULT_MOTION_GATE): MotionGate {
  const last = new Map<string, { thumb: Uint8Array; at: number; key: string }>();
  let skipped = 0;
  return {
    shouldRead(cameraId, capturedAt, image, region) {
      const thumb = greyThumbnail(image, region, settings.thumbWidth, settings.thumbHeight);
      const key = `${image.width}x${image.height}:${region.x},${region.y},${region.width},${region.height}`;
      const previous = last.get(cameraId);
      const still =
        previous !== undefined &&
        previous.key === key &&
        capturedAt - previous.at < settings.maxSkipMs &&
        changedShare(previous.thumb, thumb, settings.pixelDelta) < settings.minChangedShare;
      if (still) {
        skipped++;
        return false;
      }
      last.set(cameraId, { thumb, at: capturedAt, key });
      return true;
    },
    get skipped() {
      return skipped;
    },
  };
}
