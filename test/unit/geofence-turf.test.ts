// Property: the exact verdict agrees with an independent check built from Turf. Turf draws the sector arc
// and the site's buffer as polygons inscribed in the true shapes (smaller by at most the chord sagitta), so:
// where Turf's shapes intersect, the exact verdict must find a violation; where the exact distance is more
// than a metre inside the buffer, Turf's shapes must intersect too. (Turf is only a cross-check and a
// picture: verdicts come from the exact geometry, docs/decisions/0001-turf.md.)
import { booleanIntersects } from '@turf/boolean-intersects';
import { buffer } from '@turf/buffer';
import { polygon } from '@turf/helpers';
import { sector } from '@turf/sector';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LocalXy } from '../../shared/geofence/local-frame.js';
import { evaluateCamera } from '../../shared/geofence/verdict.js';
import { at, makeCamera, polygonSite, preparedOf } from '../support/geofence-factories.js';

const STEPS = 256;
/** Largest gap between a true arc of radius r and its STEPS-point polygon, plus float slack. */
const sagitta = (r: number) => r * (1 - Math.cos(Math.PI / STEPS)) + 0.01;

const num = (min: number, max: number) =>
  fc.noBias(fc.integer({ min: Math.round(min * 1000), max: Math.round(max * 1000) })).map((v) => v / 1000);

/** A convex-ish site: a rotated rectangle centred at (cx, cy) metres from the camera. */
const siteArb = fc.record({
  cx: num(-120, 120),
  cy: num(-120, 120),
  w: num(2, 40),
  h: num(2, 40),
  turn: num(0, Math.PI),
});
const cameraArb = fc.record({
  bearingDeg: num(0, 360),
  fovDeg: num(5, 170),
  rangeM: num(5, 80),
  bufferM: num(0, 40),
});

function ring({
  cx,
  cy,
  w,
  h,
  turn,
}: {
  cx: number;
  cy: number;
  w: number;
  h: number;
  turn: number;
}): LocalXy[] {
  const c = Math.cos(turn);
  const s = Math.sin(turn);
  const corners: LocalXy[] = [
    [-w / 2, -h / 2],
    [w / 2, -h / 2],
    [w / 2, h / 2],
    [-w / 2, h / 2],
  ].map(([x, y]) => [cx + x! * c - y! * s, cy + x! * s + y! * c]);
  return [...corners, corners[0]!];
}

describe('evaluateCamera against Turf (property)', () => {
  it('finds a violation wherever Turf’s inscribed shapes meet, and Turf’s shapes meet wherever it is clear', () => {
    let meetings = 0;
    let clearlyInside = 0;
    fc.assert(
      fc.property(siteArb, cameraArb, (site, cam) => {
        const outer = ring(site);
        const buffers = { reproductive_health: cam.bufferM, religious_observance: cam.bufferM };
        const camera = makeCamera({ bearingDeg: cam.bearingDeg, fovDeg: cam.fovDeg, rangeM: cam.rangeM });
        const verdict = evaluateCamera(camera, preparedOf([polygonSite([outer], { id: 's' })]), buffers);
        const exact = verdict.violations[0];

        const half = cam.fovDeg / 2;
        const drawnSector = sector(at(0, 0), cam.rangeM, cam.bearingDeg - half, cam.bearingDeg + half, {
          units: 'meters',
          steps: STEPS,
        });
        const parcel = polygon([outer.map(([x, y]) => at(x, y))]);
        const drawnSite =
          cam.bufferM > 0 ? buffer(parcel, cam.bufferM, { units: 'meters', steps: STEPS })! : parcel;
        const meets = booleanIntersects(drawnSector, drawnSite);

        if (meets) meetings += 1;
        if (meets) expect(exact, 'Turf’s shapes meet, so the exact verdict must refuse').toBeDefined();
        // Far enough inside the buffer that the inscribed polygons cannot miss it.
        const slack = sagitta(cam.rangeM) + sagitta(Math.max(cam.bufferM, 1)) + 1;
        if (exact && exact.distanceM < cam.bufferM - slack) clearlyInside += 1;
        if (exact && exact.distanceM < cam.bufferM - slack)
          expect(
            meets,
            `exact distance ${exact.distanceM} m is well inside the ${cam.bufferM} m buffer`,
          ).toBe(true);
      }),
      { numRuns: 200 },
    );
    // Both directions were exercised, not just sites far from every camera.
    expect(meetings).toBeGreaterThan(20);
    expect(clearlyInside).toBeGreaterThan(20);
    // Turf's buffer is slow (a polygon union per run): more time than the unit tier's 10 s on a busy box.
  }, 60_000);
});
