// PP-OCRv4 detector input (pure): size rounded to multiples of 32, packed RGB to planar BGR float,
// scaled to 0..1 and normalised with the ImageNet mean and deviation PaddleOCR trained with.

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

export interface InputSize {
  width: number;
  height: number;
}

export interface InputSizing {
  /** The longer side is scaled down to this (never up unless `upscale`). */
  maxSide: number;
  /**
   * Vertical scale relative to horizontal, 0 < squeeze <= 1. Plate text runs horizontally: the
   * detector tolerates shorter characters far better than narrower ones, so squeezing the height
   * buys speed at little cost in recall.
   */
  squeeze: number;
  upscale?: boolean;
}

/**
 * Detector input size for an image: scaled so the longer side is at most `maxSide`, the height
 * further multiplied by `squeeze`, each side rounded to a multiple of 32 (at least 32).
 * @example detectorInputSize(1280, 720, { maxSide: 960, squeeze: 1 }) // { width: 960, height: 544 }
 * @example detectorInputSize(1280, 720, { maxSide: 960, squeeze: 2 / 3 }) // { width: 960, height: 352 }
 */
export function detectorInputSize(width: number, height: number, sizing: InputSizing): InputSize {
  const longer = Math.max(width, height);
  const scale = sizing.upscale || longer > sizing.maxSide ? sizing.maxSide / longer : 1;
  const round32 = (v: number) => Math.max(32, Math.round(v / 32) * 32);
  return { width: round32(width * scale), height: round32(height * scale * sizing.squeeze) };
}

/**
 * Fill `out` (length 3*w*h, NCHW with N=1) from packed RGB `rgb` of the same size: channel 0 is
 * blue, 1 green, 2 red, each `(v / 255 - mean) / std`. Returns `out`.
 */
export function rgbToDetectorTensor(
  rgb: Uint8Array,
  width: number,
  height: number,
  out: Float32Array = new Float32Array(3 * width * height),
): Float32Array {
  const plane = width * height;
  if (rgb.length < plane * 3) throw new RangeError(`expected ${plane * 3} RGB bytes, got ${rgb.length}`);
  if (out.length < plane * 3) throw new RangeError(`output holds ${out.length} values, needs ${plane * 3}`);
  // A lookup per channel turns the per-pixel arithmetic into three table reads.
  const lut = [0, 1, 2].map((c) =>
    Float32Array.from({ length: 256 }, (_, v) => (v / 255 - MEAN[c]!) / STD[c]!),
  );
  const [lb, lg, lr] = lut as [Float32Array, Float32Array, Float32Array];
  for (let i = 0, p = 0; i < plane; i++, p += 3) {
    out[i] = lb[rgb[p + 2]!]!;
    out[plane + i] = lg[rgb[p + 1]!]!;
    out[2 * plane + i] = lr[rgb[p]!]!;
  }
  return out;
}
