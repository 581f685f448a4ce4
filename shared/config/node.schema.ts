// Node section: this edge box's id and the area it serves. A camera positioned outside the service area
// is refused at validation (a swapped latitude/longitude or a typo, not a camera the node can have).
import { z } from 'zod';
import { findRingIntersection } from '../geofence/ring-intersections.js';
import { CAMERA_ID_PATTERN } from './camera.schema.js';

const lng = z.number().min(-180).max(180);
const lat = z.number().min(-90).max(90);

export const serviceAreaSchema = z
  .strictObject({
    bbox: z
      .tuple([lng, lat, lng, lat])
      .optional()
      .describe('[west longitude, south latitude, east longitude, north latitude] in decimal degrees.'),
    polygon: z
      .array(z.tuple([lng, lat]))
      .min(3)
      .max(10_000)
      .optional()
      .describe('Outline as [longitude, latitude] corners (closed automatically).'),
  })
  .superRefine((area, ctx) => {
    if ((area.bbox === undefined) === (area.polygon === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of bbox or polygon' });
      return;
    }
    if (area.bbox) {
      const [w, s, e, n] = area.bbox;
      if (w >= e || s >= n)
        ctx.addIssue({
          code: 'custom',
          path: ['bbox'],
          message: `west must be less than east and south less than north, got [${area.bbox.join(', ')}] (order: [west, south, east, north])`,
        });
    }
    if (area.polygon) {
      const ring = closeRing(area.polygon);
      if (ring.length < 4 || findRingIntersection([ring]))
        ctx.addIssue({
          code: 'custom',
          path: ['polygon'],
          message: 'the outline must have 3 distinct corners and must not cross itself',
        });
    }
  })
  .describe(
    'Where this node may have cameras: a bounding box or polygon in [longitude, latitude]. A camera outside it is a configuration error.',
  );

export type ServiceArea = z.output<typeof serviceAreaSchema>;

export const nodeSchema = z
  .strictObject({
    id: z
      .string()
      .regex(CAMERA_ID_PATTERN, 'must be 1-64 letters, digits, "_", "." or "-"')
      .default('edge-01')
      .describe('Edge node id; names the purge queue and appears in receipts.'),
    serviceArea: serviceAreaSchema.optional(),
  })
  .describe('This edge node.');

function closeRing(corners: ReadonlyArray<readonly [number, number]>): Array<readonly [number, number]> {
  const out: Array<readonly [number, number]> = [];
  for (const p of corners) {
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  const first = out[0];
  const last = out[out.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) out.push(first);
  return out;
}

/**
 * Whether [lng, lat] lies in the service area (its boundary counts as inside).
 * @example inServiceArea({ bbox: [-122, 37, -121, 38] }, -121.9, 37.3) // true
 */
export function inServiceArea(area: ServiceArea, pointLng: number, pointLat: number): boolean {
  if (area.bbox) {
    const [w, s, e, n] = area.bbox;
    return pointLng >= w && pointLng <= e && pointLat >= s && pointLat <= n;
  }
  const ring = closeRing(area.polygon ?? []);
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (onSegment(pointLng, pointLat, xi, yi, xj, yj)) return true;
    if (yi > pointLat !== yj > pointLat && pointLng < ((xj - xi) * (pointLat - yi)) / (yj - yi) + xi)
      inside = !inside;
  }
  return inside;
}

function onSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): boolean {
  const cross = (bx - ax) * (py - ay) - (by - ay) * (px - ax);
  return (
    Math.abs(cross) <= 1e-12 &&
    px >= Math.min(ax, bx) &&
    px <= Math.max(ax, bx) &&
    py >= Math.min(ay, by) &&
    py <= Math.max(ay, by)
  );
}

/** A short description of the area for messages. */
export function describeServiceArea(area: ServiceArea): string {
  if (area.bbox) return `bbox [${area.bbox.join(', ')}]`;
  return `a polygon of ${closeRing(area.polygon ?? []).length - 1} corners`;
}
