import { describe, expect, it } from 'vitest';
import { niceScaleLength, siteMapExtent, siteMapSvg } from '../../shared/geofence/site-map-svg.js';
import { SpatialIndex } from '../../shared/geofence/spatial-index.js';
import { evaluateCamera } from '../../shared/geofence/verdict.js';
import {
  circleSite,
  DEFAULT_BUFFERS,
  entrance,
  makeCamera,
  multiPolygonSite,
  polygonSite,
  preparedOf,
  square,
} from '../support/geofence-factories.js';

describe('SpatialIndex', () => {
  it('finds exactly the boxes a brute-force scan finds', () => {
    let seed = 11;
    const rnd = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const boxes = Array.from({ length: 3000 }, () => {
      const [x, y, w, h] = [rnd() * 1000, rnd() * 1000, rnd() * 20, rnd() * 20];
      return [x, y, x + w, y + h] as [number, number, number, number];
    });
    const index = SpatialIndex.build(boxes);
    for (let q = 0; q < 200; q++) {
      const [x, y, s] = [rnd() * 1000, rnd() * 1000, rnd() * 80];
      const found = index.search(x, y, x + s, y + s).sort((a, b) => a - b);
      const expected = boxes
        .map((b, i) => (b[0] <= x + s && b[2] >= x && b[1] <= y + s && b[3] >= y ? i : -1))
        .filter((i) => i >= 0);
      expect(found).toEqual(expected);
    }
    expect(SpatialIndex.build([]).search(0, 0, 1, 1)).toEqual([]);
  });
});

describe('siteMapSvg', () => {
  const features = [
    polygonSite([square(0, 60, 10)], {
      id: 'rh-1',
      category: 'reproductive_health',
      name: 'Clinic <b>&</b> "Care"',
    }),
    multiPolygonSite([[square(-60, 40, 15), square(-60, 40, 5)]], { id: 'ro-1', name: 'Chapel' }),
    entrance('rh-1', [0, 45]),
    circleSite(5000, 0, 10, { id: 'far' }),
  ];
  const prepared = preparedOf(features);
  const verdict = evaluateCamera(makeCamera({ bearingDeg: 0, rangeM: 40 }), prepared, DEFAULT_BUFFERS);
  const sites = prepared.registry.sites.filter((s) => s.id !== 'far');

  it('escapes site names and leaves them out entirely when names are not shown', () => {
    const named = siteMapSvg({ sector: verdict.sector, verdict, sites, showNames: true }).svg;
    expect(named).toContain('Clinic &lt;b&gt;&amp;&lt;/b&gt; &quot;Care&quot;');
    expect(named).not.toContain('<b>');
    expect(named).toContain('CONFIDENTIAL');
    const pub = siteMapSvg({ sector: verdict.sector, verdict, sites, showNames: false }).svg;
    expect(pub).not.toMatch(/Clinic|Chapel|CONFIDENTIAL/);
    expect(pub).toContain('NOT COMPLIANT');
  });

  it('draws to one scale: the extent covers the sector plus the largest buffer', () => {
    const { extentM } = siteMapExtent(verdict.sector, verdict.bufferM);
    const { metresPerPixel } = siteMapSvg({ sector: verdict.sector, verdict, sites, showNames: false });
    expect((extentM[2] - extentM[0]) / metresPerPixel).toBeCloseTo(800, 6);
    expect(extentM[0]).toBeLessThan(-Math.sin((20 * Math.PI) / 180) * 40 - 30);
    expect(extentM[3]).toBeGreaterThan(40 + 30);
    expect(extentM[1]).toBeLessThan(-30);
  });

  it('picks round scale-bar lengths', () => {
    expect([niceScaleLength(100), niceScaleLength(230), niceScaleLength(4000), niceScaleLength(45)]).toEqual([
      20, 50, 1000, 10,
    ]);
  });
});
