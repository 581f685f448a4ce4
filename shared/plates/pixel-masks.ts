// Pixel masks (pure): polygons in frame pixels whose text is never read, like an NVR's privacy masks.

export type PixelPoint = readonly [number, number];
export type PixelPolygon = ReadonlyArray<PixelPoint>;

/**
 * Whether a point lies inside a polygon (even-odd rule; points on an edge may fall either way).
 * @example pointInPolygon([5, 5], [[0, 0], [10, 0], [10, 10], [0, 10]]) // true
 */
export function pointInPolygon(point: PixelPoint, polygon: PixelPolygon): boolean {
  const [x, y] = point;
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
