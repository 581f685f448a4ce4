// Seeded random sensitive sites and cameras over a city-sized area, for the geofence benchmark.
// Deterministic (mulberry32), so two runs measure the same work.
import { type LocalXy, localFrame } from '../shared/geofence/local-frame.js';
import type { CameraGeometry } from '../shared/geofence/sector.js';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface CityOptions {
  centre: [number, number];
  /** Half the side of the square area, metres. */
  halfSizeM: number;
  seed: number;
}

/** `count` sites: 45% polygons, 15% multipolygons (one part with a hole), 40% circles; 30% with entrances. */
export function randomSitesGeoJson(count: number, city: CityOptions): Record<string, unknown> {
  const rnd = mulberry32(city.seed);
  const frame = localFrame(city.centre);
  const between = (a: number, b: number) => a + (b - a) * rnd();
  const ll = ([x, y]: LocalXy) => [...frame.toLngLat([x, y])];
  const star = (cx: number, cy: number, size: number, k: number, clockwise = false): number[][] => {
    const pts: number[][] = [];
    for (let i = 0; i < k; i++) {
      const a = ((i + between(-0.3, 0.3)) * 2 * Math.PI) / k;
      const r = size * between(0.6, 1);
      pts.push(ll([cx + r * Math.cos(a), cy + r * Math.sin(a)]));
    }
    if (clockwise) pts.reverse();
    return [...pts, pts[0]!];
  };
  const features: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const id = `site-${String(i).padStart(5, '0')}`;
    const category = rnd() < 0.3 ? 'reproductive_health' : 'religious_observance';
    const cx = between(-city.halfSizeM, city.halfSizeM);
    const cy = between(-city.halfSizeM, city.halfSizeM);
    const size = between(15, 80);
    const kind = rnd();
    let geometry: unknown;
    const properties: Record<string, unknown> = { id, category, name: `Site ${i}` };
    if (kind < 0.45)
      geometry = { type: 'Polygon', coordinates: [star(cx, cy, size, 6 + Math.floor(rnd() * 7))] };
    else if (kind < 0.6) {
      geometry = {
        type: 'MultiPolygon',
        coordinates: [
          [star(cx, cy, size, 8), star(cx, cy, size * 0.25, 6, true)],
          [star(cx + size * 2.5, cy, size * 0.5, 6)],
        ],
      };
    } else {
      geometry = { type: 'Point', coordinates: ll([cx, cy]) };
      properties.radiusM = size;
    }
    features.push({ type: 'Feature', properties, geometry });
    if (rnd() < 0.3) {
      const a = between(0, 2 * Math.PI);
      const door: LocalXy = [cx + (size + 5) * Math.cos(a), cy + (size + 5) * Math.sin(a)];
      const line = rnd() < 0.5;
      features.push({
        type: 'Feature',
        properties: { role: 'entrance', siteId: id },
        geometry: line
          ? {
              type: 'LineString',
              coordinates: [ll(door), ll([door[0] + 20 * Math.cos(a), door[1] + 20 * Math.sin(a)])],
            }
          : { type: 'Point', coordinates: ll(door) },
      });
    }
  }
  return { type: 'FeatureCollection', features };
}

/** Cameras spread over the same area: FOV 20–90° (5% at 360°), range 10–60 m. */
export function randomCameras(count: number, city: CityOptions): CameraGeometry[] {
  const rnd = mulberry32(city.seed + 1);
  const frame = localFrame(city.centre);
  const between = (a: number, b: number) => a + (b - a) * rnd();
  return Array.from({ length: count }, () => {
    const [lng, lat] = frame.toLngLat([
      between(-city.halfSizeM, city.halfSizeM),
      between(-city.halfSizeM, city.halfSizeM),
    ]);
    return {
      position: { lng, lat },
      bearingDeg: between(0, 360),
      fovDeg: rnd() < 0.05 ? 360 : between(20, 90),
      rangeM: between(10, 60),
      frameWidthPx: 1280,
      minPlateWidthPx: 40,
      plateWidthM: 0.305,
    };
  });
}
