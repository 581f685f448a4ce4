// A registry built to be the worst case of a self-intersection check that only prunes by x: every site's
// ring is one long zigzag whose edges all span the same longitudes, so no edge can be skipped by its
// x-range. Valid (every ring simple), about 2 MB as JSON with the default sizes.
import { type LocalXy, localFrame } from '../shared/geofence/local-frame.js';

export interface SawtoothOptions {
  centre: [number, number];
  sites: number;
  /** Positions per ring (the registry allows at most 20,000). */
  positionsPerRing: number;
}

export const SAWTOOTH_2MB: SawtoothOptions = {
  centre: [-121.8863, 37.3382],
  sites: 3,
  positionsPerRing: 17_000,
};

/**
 * Each site: a zigzag between x = 0 and x = 80 m climbing 0.05 m per edge, closed by a return edge
 * 1 m west of it. Sites stand 500 m apart.
 */
export function sawtoothSitesGeoJson(options: SawtoothOptions): Record<string, unknown> {
  const frame = localFrame(options.centre);
  const ll = ([x, y]: LocalXy) => [...frame.toLngLat([x, y])];
  const teeth = options.positionsPerRing - 4; // zigzag vertices; + 3 return corners + the closing repeat
  const features: unknown[] = [];
  for (let s = 0; s < options.sites; s++) {
    const ox = s * 500;
    const ring: number[][] = [];
    for (let i = 0; i < teeth; i++) ring.push(ll([ox + (i % 2 === 0 ? 0 : 80), i * 0.05]));
    const top = (teeth - 1) * 0.05;
    ring.push(ll([ox, top + 0.05]), ll([ox - 1, top + 0.05]), ll([ox - 1, 0]), ring[0]!);
    features.push({
      type: 'Feature',
      properties: { id: `saw-${s}`, category: 'religious_observance' },
      geometry: { type: 'Polygon', coordinates: [ring] },
    });
  }
  return { type: 'FeatureCollection', features };
}
