import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POSTPROCESS,
  findTextComponents,
  textBoxesToImage,
  unclipBox,
} from '../../edge/recognition/detector-postprocess.js';
import { detectorInputSize, rgbToDetectorTensor } from '../../edge/recognition/detector-preprocess.js';

/** A probability map with rectangles of given values. */
function map(
  width: number,
  height: number,
  blobs: Array<[x: number, y: number, w: number, h: number, p: number]>,
) {
  const m = new Float32Array(width * height);
  for (const [x, y, w, h, p] of blobs) {
    for (let j = y; j < y + h; j++) for (let i = x; i < x + w; i++) m[j * width + i] = p;
  }
  return m;
}

describe('detectorInputSize', () => {
  it('scales the longer side to maxSide and rounds to multiples of 32', () => {
    expect(detectorInputSize(1280, 720, { maxSide: 960, squeeze: 1 })).toEqual({ width: 960, height: 544 });
  });

  it('squeezes the height relative to the width', () => {
    expect(detectorInputSize(1280, 720, { maxSide: 960, squeeze: 0.67 })).toEqual({
      width: 960,
      height: 352,
    });
  });

  it('never scales up unless asked, and never below 32', () => {
    expect(detectorInputSize(200, 100, { maxSide: 960, squeeze: 1 })).toEqual({ width: 192, height: 96 });
    expect(detectorInputSize(200, 100, { maxSide: 400, squeeze: 1, upscale: true })).toEqual({
      width: 416,
      height: 192,
    });
    expect(detectorInputSize(40, 10, { maxSide: 960, squeeze: 0.5 })).toEqual({ width: 32, height: 32 });
  });
});

describe('rgbToDetectorTensor', () => {
  it('writes planar BGR normalised with the ImageNet mean and deviation', () => {
    // Two pixels: pure red, then white.
    const out = rgbToDetectorTensor(Uint8Array.from([255, 0, 0, 255, 255, 255]), 2, 1);
    const norm = (v: number, mean: number, std: number) => (v / 255 - mean) / std;
    expect(out[0]).toBeCloseTo(norm(0, 0.485, 0.229)); // blue plane, pixel 0
    expect(out[2]).toBeCloseTo(norm(0, 0.456, 0.224)); // green plane, pixel 0
    expect(out[4]).toBeCloseTo(norm(255, 0.406, 0.225)); // red plane, pixel 0
    expect(out[1]).toBeCloseTo(norm(255, 0.485, 0.229)); // blue plane, pixel 1
  });

  it('refuses a buffer that does not match the size', () => {
    expect(() => rgbToDetectorTensor(new Uint8Array(5), 2, 1)).toThrow(RangeError);
  });
});

describe('findTextComponents', () => {
  it('finds separate blobs as separate boxes with their mean probability', () => {
    const m = map(40, 20, [
      [2, 2, 10, 4, 0.9],
      [20, 10, 12, 5, 0.8],
    ]);
    const boxes = findTextComponents(m, 40, 20, DEFAULT_POSTPROCESS);
    expect(boxes).toHaveLength(2);
    expect(boxes[0]).toMatchObject({ box: { x: 2, y: 2, width: 10, height: 4 } });
    expect(boxes[0]!.score).toBeCloseTo(0.9);
    expect(boxes[1]).toMatchObject({ box: { x: 20, y: 10, width: 12, height: 5 } });
  });

  it('joins pixels that touch only diagonally (8-connectivity)', () => {
    const m = map(20, 20, [
      [2, 2, 4, 4, 0.9],
      [6, 6, 4, 4, 0.9],
    ]);
    expect(findTextComponents(m, 20, 20, DEFAULT_POSTPROCESS)).toHaveLength(1);
  });

  it('drops faint components and components thinner than minSide', () => {
    const m = map(40, 20, [
      [2, 2, 10, 4, 0.5], // mean below boxThreshold 0.6
      [20, 10, 12, 2, 0.95], // 2 px tall, below minSide 3
    ]);
    expect(findTextComponents(m, 40, 20, DEFAULT_POSTPROCESS)).toEqual([]);
  });

  it('ignores everything at or below the pixel threshold', () => {
    expect(findTextComponents(map(10, 10, [[0, 0, 10, 10, 0.3]]), 10, 10, DEFAULT_POSTPROCESS)).toEqual([]);
  });

  it('refuses a map shorter than width x height', () => {
    expect(() => findTextComponents(new Float32Array(10), 10, 10)).toThrow(RangeError);
  });
});

describe('unclipBox', () => {
  it('grows every side by area * ratio / perimeter', () => {
    // 30 x 10: area 300, perimeter 80, ratio 1.5 -> 5.625 px per side
    expect(unclipBox({ x: 10, y: 10, width: 30, height: 10 }, 1.5)).toEqual({
      x: 4.375,
      y: 4.375,
      width: 41.25,
      height: 21.25,
    });
  });
});

describe('textBoxesToImage', () => {
  it('scales map boxes back to the covered region and offsets them', () => {
    const [out] = textBoxesToImage(
      [{ box: { x: 10, y: 10, width: 30, height: 10 }, score: 0.9 }],
      { mapWidth: 100, mapHeight: 50, region: { x: 100, y: 200, width: 200, height: 150 } },
      0,
    );
    expect(out!.box).toEqual({ x: 120, y: 230, width: 60, height: 30 });
    expect(out!.score).toBe(0.9);
  });

  it('clips an unclipped box to the region it came from', () => {
    const [out] = textBoxesToImage(
      [{ box: { x: 0, y: 0, width: 10, height: 10 }, score: 1 }],
      { mapWidth: 100, mapHeight: 100, region: { x: 50, y: 50, width: 100, height: 100 } },
      1.5,
    );
    expect(out!.box.x).toBe(50);
    expect(out!.box.y).toBe(50);
    expect(out!.box.width).toBeCloseTo(13.75);
  });
});
