// Axis-aligned boxes in frame pixel space: overlap measures and the small transforms candidate
// selection, crop hypotheses and the pass tracker share.
/** A box in frame pixels: top-left corner and size. Stored with every read (reads.repository.ts). */
export interface PixelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const boxArea = (b: PixelBox): number => Math.max(0, b.width) * Math.max(0, b.height);

/** Area of the intersection of two boxes (0 when they do not touch). */
export function intersectionArea(a: PixelBox, b: PixelBox): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Intersection over union, 0..1.
 * @example iou({ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: 0, width: 10, height: 10 }) // 1/3
 */
export function iou(a: PixelBox, b: PixelBox): number {
  const inter = intersectionArea(a, b);
  const union = boxArea(a) + boxArea(b) - inter;
  return union > 0 ? inter / union : 0;
}

/** Share of `inner` that lies inside `outer`, 0..1 (1: fully covered). */
export function coverage(outer: PixelBox, inner: PixelBox): number {
  const area = boxArea(inner);
  return area > 0 ? intersectionArea(outer, inner) / area : 0;
}

export const boxCentre = (b: PixelBox): { x: number; y: number } => ({
  x: b.x + b.width / 2,
  y: b.y + b.height / 2,
});

/** A box of the given size centred on `centre`. */
export function centredBox(centre: { x: number; y: number }, width: number, height: number): PixelBox {
  return { x: centre.x - width / 2, y: centre.y - height / 2, width, height };
}

/** Clip a box to `[0, width) x [0, height)` and round it to whole pixels; undefined if nothing is left. */
export function clampBox(b: PixelBox, width: number, height: number): PixelBox | undefined {
  const x0 = Math.max(0, Math.floor(b.x));
  const y0 = Math.max(0, Math.floor(b.y));
  const x1 = Math.min(width, Math.ceil(b.x + b.width));
  const y1 = Math.min(height, Math.ceil(b.y + b.height));
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : undefined;
}

/** Move a box by an offset (e.g. from region-of-interest to full-frame coordinates). */
export const offsetBox = (b: PixelBox, dx: number, dy: number): PixelBox => ({
  x: b.x + dx,
  y: b.y + dy,
  width: b.width,
  height: b.height,
});

/** Scale a box's coordinates (e.g. from a resized detector input back to the frame). */
export const scaleBox = (b: PixelBox, sx: number, sy: number): PixelBox => ({
  x: b.x * sx,
  y: b.y * sy,
  width: b.width * sx,
  height: b.height * sy,
});
