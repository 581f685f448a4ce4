// Issue 10 item 10: the geofence derives a camera's capture range from minPlateWidthPx, so the
// recognizer must not read plates narrower than that (they are farther away than the range the
// compliance check assumed). Plates are rendered at the pixel width a real 0.305 m plate has at a
// distance inside and beyond the derived range, and read by the camera's recognizer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame } from '../../edge/pipeline/stages.js';
import type { CameraRecognizer } from '../../edge/recognition/camera-recognizer.js';
import { resolveCamera } from '../../shared/config/camera.schema.js';
import { deriveRangeM } from '../../shared/geofence/sector.js';
import { renderScene } from '../../sim/synthetic/render-scene.js';
import { makeCameraConfig, T0 } from '../support/factories.js';
import { makeConfig, openTestRecognizer } from '../support/recognition.js';

const W = 1280;
const H = 720;
const FOV = 60;
const PLATE_M = 0.305;

/** Pixel width of a plate `distanceM` away, by the same pinhole model the geofence uses. */
const plateWidthAt = (distanceM: number) =>
  (PLATE_M * W) / (2 * Math.tan((FOV / 2) * (Math.PI / 180)) * distanceM);

describe('minPlateWidthPx: the derived capture range and what is read agree', () => {
  const input = {
    recognition: { skipStillFrames: false },
    cameras: [
      makeCameraConfig({ id: 'near-only', fovDeg: FOV, minPlateWidthPx: 100 }),
      makeCameraConfig({ id: 'default-width', fovDeg: FOV }),
    ],
  };
  const config = makeConfig(input as never);
  const camera = resolveCamera(config.cameras[0]!, config.cameraDefaults);
  const rangeM = deriveRangeM({ fovDeg: FOV, frameWidthPx: W, minPlateWidthPx: 100, plateWidthM: PLATE_M });
  let recognizer: CameraRecognizer;
  let seq = 0;
  beforeAll(async () => {
    recognizer = await openTestRecognizer(input as never);
  });
  afterAll(() => recognizer?.close());

  const readAt = async (cameraId: string, text: string, distanceM: number) => {
    const width = Math.round(plateWidthAt(distanceM));
    const scene = await renderScene({
      width: W,
      height: H,
      plates: [{ text, at: { x: 560, y: 380, width } }],
    });
    seq += 1;
    const frame: Frame = {
      cameraId,
      seq,
      capturedAt: T0 + seq * 200,
      width: W,
      height: H,
      data: scene.image.data,
    };
    return { width, reads: (await recognizer.recognize(frame)).map((o) => o.text) };
  };

  it('derives the range the recognizer is held to', () => {
    expect(camera.minPlateWidthPx).toBe(100);
    expect(plateWidthAt(rangeM)).toBeCloseTo(100, 6);
  });

  it('reads a plate inside the derived range', async () => {
    const { width, reads } = await readAt('near-only', '7NEAR42', rangeM * 0.75);
    expect(width).toBeGreaterThan(120);
    expect(reads).toEqual(['7NEAR42']);
  });

  it('drops (and counts) a plate beyond the derived range, which a camera with the default width reads', async () => {
    const before = recognizer.countsFor('near-only').tooSmall;
    const far = await readAt('near-only', '8FAR731', rangeM * 1.35);
    expect(far.width).toBeLessThan(80);
    expect(far.reads).toEqual([]);
    expect(recognizer.countsFor('near-only').tooSmall).toBe(before + 1);
    // The same picture from a camera whose range assumes 40 px plates: read.
    expect((await readAt('default-width', '8FAR731', rangeM * 1.35)).reads).toEqual(['8FAR731']);
    expect(recognizer.countsFor('default-width').tooSmall).toBe(0);
  });
});
