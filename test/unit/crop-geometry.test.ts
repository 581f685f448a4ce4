import { describe, expect, it } from 'vitest';
import {
  cropFor,
  cropHypotheses,
  DETAIL_VIEWS,
  SCREEN_VIEWS,
} from '../../edge/recognition/crop-hypotheses.js';
import { sampleCrop } from '../../edge/recognition/crop-sampler.js';
import type { RawImage } from '../../edge/recognition/raw-image.js';
import { clampBox, coverage, iou } from '../../shared/plates/box-geometry.js';

/** An image whose red channel is x, green y, blue a constant. */
function gradient(width: number, height: number): RawImage {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set([x, y, 77], (y * width + x) * 3);
  }
  return { width, height, data };
}

describe('cropFor', () => {
  it('reads a number line as 3/4 of a 2:1 plate around the same centre', () => {
    expect(cropFor({ x: 100, y: 100, width: 100, height: 30 }, { reading: 'line', scale: 1 })).toEqual({
      x: 85,
      y: 82.5,
      width: 130,
      height: 65,
    });
  });

  it('pads a compact blob out to 2:1 and scales it', () => {
    expect(cropFor({ x: 0, y: 0, width: 60, height: 40 }, { reading: 'blob', scale: 1 })).toEqual({
      x: -10,
      y: 0,
      width: 80,
      height: 40,
    });
    expect(cropFor({ x: 0, y: 0, width: 100, height: 20 }, { reading: 'blob', scale: 1.2 })).toEqual({
      x: -10,
      y: -20,
      width: 120,
      height: 60,
    });
  });
});

describe('cropHypotheses', () => {
  it('clips crops to the frame and drops duplicates', () => {
    const crops = cropHypotheses({ x: 0, y: 0, width: 10, height: 8 }, 20, 10, [
      { reading: 'blob', scale: 3 },
      { reading: 'blob', scale: 4 },
    ]);
    expect(crops).toEqual([{ x: 0, y: 0, width: 20, height: 10 }]);
  });

  it('gives every screening and detail view for a box well inside the frame', () => {
    const box = { x: 500, y: 300, width: 90, height: 30 };
    expect(cropHypotheses(box, 1280, 720, [...SCREEN_VIEWS, ...DETAIL_VIEWS])).toHaveLength(5);
  });
});

describe('box geometry', () => {
  it('measures overlap', () => {
    const a = { x: 0, y: 0, width: 10, height: 10 };
    expect(iou(a, { x: 5, y: 0, width: 10, height: 10 })).toBeCloseTo(1 / 3);
    expect(coverage({ x: -5, y: -5, width: 30, height: 30 }, a)).toBe(1);
    expect(iou(a, { x: 20, y: 20, width: 5, height: 5 })).toBe(0);
  });

  it('clamps to whole pixels inside the frame or gives nothing', () => {
    expect(clampBox({ x: -3.5, y: 2.2, width: 10, height: 100 }, 50, 40)).toEqual({
      x: 0,
      y: 2,
      width: 7,
      height: 38,
    });
    expect(clampBox({ x: 60, y: 0, width: 10, height: 10 }, 50, 40)).toBeUndefined();
  });
});

describe('sampleCrop', () => {
  it('copies pixels exactly when the box already has the output size', () => {
    const image = gradient(40, 30);
    const out = new Uint8Array(8 * 4 * 3);
    sampleCrop(image, { x: 10, y: 5, width: 8, height: 4 }, 8, 4, out);
    expect([...out.subarray(0, 3)]).toEqual([10, 5, 77]);
    expect([...out.subarray(out.length - 3)]).toEqual([17, 8, 77]);
  });

  it('interpolates bilinearly with pixel centres aligned (OpenCV INTER_LINEAR)', () => {
    const image = gradient(40, 30);
    const out = new Uint8Array(4 * 2 * 3);
    // 8x4 box to 4x2: output pixel 0 samples source x = 10 + 0.5*2 - 0.5 = 10.5, y = 5.5
    sampleCrop(image, { x: 10, y: 5, width: 8, height: 4 }, 4, 2, out);
    expect([...out.subarray(0, 3)]).toEqual([11, 6, 77]); // 10.5 and 5.5 rounded half up
    expect(out[3]).toBe(13); // x = 12.5
  });

  it('repeats edge pixels for a box that reaches outside the image', () => {
    const image = gradient(10, 10);
    const out = new Uint8Array(4 * 4 * 3);
    sampleCrop(image, { x: -4, y: -4, width: 4, height: 4 }, 4, 4, out);
    expect([...out.subarray(0, 3)]).toEqual([0, 0, 77]);
  });

  it('writes at an offset into a batch and refuses a buffer too small', () => {
    const image = gradient(10, 10);
    const out = new Uint8Array(2 * 2 * 3 * 2);
    sampleCrop(image, { x: 3, y: 4, width: 2, height: 2 }, 2, 2, out, 12);
    expect([...out.subarray(12, 15)]).toEqual([3, 4, 77]);
    expect(() => sampleCrop(image, { x: 0, y: 0, width: 2, height: 2 }, 2, 2, out, 20)).toThrow(RangeError);
  });
});
