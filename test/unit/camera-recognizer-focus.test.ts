import { describe, expect, it } from 'vitest';
import { focusAround } from '../../edge/recognition/camera-recognizer.js';
import { workerCount } from '../../edge/recognition/open-pipeline.js';
import { makeConfig } from '../support/recognition.js';

describe('focusAround (where to look between whole-frame searches)', () => {
  it('looks three times as wide and as high around each plate, inside the frame', () => {
    expect(focusAround([{ x: 500, y: 300, width: 100, height: 50 }], 1280, 720)).toEqual([
      { x: 400, y: 250, width: 300, height: 150 },
    ]);
    const [edge] = focusAround([{ x: 10, y: 680, width: 100, height: 40 }], 1280, 720);
    expect(edge).toEqual({ x: 0, y: 640, width: 300, height: 80 }); // kept inside the frame
  });

  it('merges overlapping areas into one search', () => {
    const boxes = [
      { x: 500, y: 300, width: 100, height: 50 },
      { x: 620, y: 310, width: 100, height: 50 },
      { x: 1100, y: 50, width: 60, height: 30 },
    ];
    const areas = focusAround(boxes, 1280, 720);
    expect(areas).toHaveLength(2);
    expect(areas[0]).toEqual({ x: 400, y: 250, width: 420, height: 160 });
  });
});

describe('workerCount', () => {
  it('uses one worker per core, at most one per camera, unless configured', () => {
    const { recognition } = makeConfig();
    expect(workerCount(recognition, 4, 2)).toBe(2);
    expect(workerCount(recognition, 1, 2)).toBe(1);
    expect(workerCount({ ...recognition, workers: 3 }, 1, 2)).toBe(3);
  });
});
