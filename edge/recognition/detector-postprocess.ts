// PP-OCRv4 detector output (pure): the text-probability map becomes boxes. Threshold the map,
// take 8-connected components, drop faint or thin ones, expand each box ("unclip": DB shrinks
// text regions during training, so the map undershoots the text) and map it back to the image.
import type { PixelBox } from '../../shared/plates/box-geometry.js';

export interface DetectorPostprocessOptions {
  /** A map pixel above this is text. */
  threshold: number;
  /** A component whose mean probability is below this is dropped. */
  boxThreshold: number;
  /** A component whose shorter side (map pixels) is below this is dropped. */
  minSide: number;
  /** Each side grows by area * unclipRatio / perimeter. */
  unclipRatio: number;
}

export const DEFAULT_POSTPROCESS: DetectorPostprocessOptions = {
  threshold: 0.3,
  boxThreshold: 0.6,
  minSide: 3,
  unclipRatio: 1.5,
};

export interface TextBox {
  /** In the space of the map until mapped back. */
  box: PixelBox;
  /** Mean text probability over the component's pixels. */
  score: number;
}

/**
 * Connected components of `map > threshold` (8-connected), as tight boxes in map pixels.
 * @example findTextComponents(map, 240, 160, DEFAULT_POSTPROCESS)
 */
export function findTextComponents(
  map: ArrayLike<number>,
  width: number,
  height: number,
  options: DetectorPostprocessOptions = DEFAULT_POSTPROCESS,
): TextBox[] {
  const n = width * height;
  if (map.length < n) throw new RangeError(`probability map has ${map.length} values, expected ${n}`);
  const seen = new Uint8Array(n);
  const stack = new Int32Array(n);
  const boxes: TextBox[] = [];
  for (let start = 0; start < n; start++) {
    if (seen[start] || map[start]! <= options.threshold) continue;
    seen[start] = 1;
    let top = 0;
    stack[top++] = start;
    let x0 = width;
    let y0 = height;
    let x1 = -1;
    let y1 = -1;
    let sum = 0;
    let count = 0;
    while (top > 0) {
      const i = stack[--top]!;
      const x = i % width;
      const y = (i - x) / width;
      sum += map[i]!;
      count++;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const j = ny * width + nx;
          if (!seen[j] && map[j]! > options.threshold) {
            seen[j] = 1;
            stack[top++] = j;
          }
        }
      }
    }
    const w = x1 - x0 + 1;
    const h = y1 - y0 + 1;
    const score = sum / count;
    if (Math.min(w, h) < options.minSide || score < options.boxThreshold) continue;
    boxes.push({ box: { x: x0, y: y0, width: w, height: h }, score });
  }
  return boxes;
}

/**
 * Grow a box on every side by `area * ratio / perimeter` (DB's unclip for a rectangle).
 * @example unclipBox({ x: 10, y: 10, width: 30, height: 10 }, 1.5) // grows 5.625 px per side
 */
export function unclipBox(box: PixelBox, ratio: number): PixelBox {
  const d = (box.width * box.height * ratio) / (2 * (box.width + box.height));
  return { x: box.x - d, y: box.y - d, width: box.width + 2 * d, height: box.height + 2 * d };
}

export interface MapToImage {
  /** Map size (the detector input size). */
  mapWidth: number;
  mapHeight: number;
  /** The image region the map covers (e.g. a region of interest), in image pixels. */
  region: PixelBox;
}

/** Unclip boxes in map space and express them in image pixels, clipped to the covered region. */
export function textBoxesToImage(boxes: TextBox[], to: MapToImage, unclipRatio: number): TextBox[] {
  const sx = to.region.width / to.mapWidth;
  const sy = to.region.height / to.mapHeight;
  const { x: rx, y: ry, width: rw, height: rh } = to.region;
  return boxes.map(({ box, score }) => {
    const u = unclipBox(box, unclipRatio);
    const x0 = Math.max(rx, rx + u.x * sx);
    const y0 = Math.max(ry, ry + u.y * sy);
    const x1 = Math.min(rx + rw, rx + (u.x + u.width) * sx);
    const y1 = Math.min(ry + rh, ry + (u.y + u.height) * sy);
    return { box: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }, score };
  });
}
