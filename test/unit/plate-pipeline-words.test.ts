// The photo pipeline's finer detection when the first found only words: a PRIVATE PROPERTY sign behind
// a car is not a plate, so a photo in which the first detection read only a sign gets the finer
// detection that finds the car's smaller plate. The detector and recognizer are stand-ins that answer
// from the image's pixels (the models are exercised in test/integration/plate-recognition.test.ts).
import { describe, expect, it } from 'vitest';
import { pipelineSettings } from '../../edge/recognition/open-pipeline.js';
import { PlatePipeline } from '../../edge/recognition/plate-pipeline.js';
import type { CropRead, PlateRecognizer } from '../../edge/recognition/plate-recognizer.js';
import { CCT_ALPHABET, decodeSlots } from '../../edge/recognition/recognizer-decode.js';
import type { DetectOptions, PlateDetector } from '../../edge/recognition/text-detector.js';
import { parseConfig } from '../../shared/config/load-config.js';
import type { PixelBox } from '../../shared/plates/box-geometry.js';

const W = 1280;
const H = 720;
const SLOTS = 9;
const SIGN: PixelBox = { x: 100, y: 100, width: 300, height: 60 };
const PLATE: PixelBox = { x: 800, y: 500, width: 90, height: 30 };

/** A frame whose red channel marks the sign (10) and the plate (20). */
function scene(): { width: number; height: number; data: Buffer } {
  const data = Buffer.alloc(W * H * 3);
  for (const [box, red] of [
    [SIGN, 10],
    [PLATE, 20],
  ] as const) {
    for (let y = box.y; y < box.y + box.height; y++) {
      for (let x = box.x; x < box.x + box.width; x++) data[(y * W + x) * 3] = red;
    }
  }
  return { width: W, height: H, data };
}

/** Finds the sign at the first (coarse) detection, and the small plate only at the finer one. */
const detector: PlateDetector = {
  modelId: 'stand-in-detector',
  async detect(_image, options: DetectOptions) {
    const found = [{ box: SIGN, score: 0.9 }];
    if (options.maxSide >= 1280 && options.squeeze === 1) found.push({ box: PLATE, score: 0.9 });
    return found;
  },
  close: async () => undefined,
};

/** Reads the text its crop's centre pixel marks, surely. */
function recognizer(texts: Record<number, string>): PlateRecognizer {
  const size = CCT_ALPHABET.length;
  const probabilitiesOf = (text: string) => {
    const p = new Float32Array(SLOTS * size);
    for (let s = 0; s < SLOTS; s++) {
      const ch = text[s] ?? '_';
      p[s * size + CCT_ALPHABET.indexOf(ch)] = 0.98;
    }
    return p;
  };
  const readOne = (crop: Uint8Array): CropRead => {
    const centre = (32 * 128 + 64) * 3;
    const p = probabilitiesOf(texts[crop[centre]!] ?? '');
    return { ...decodeSlots(p, 0, SLOTS, CCT_ALPHABET), probabilities: p };
  };
  return {
    modelId: 'stand-in-recognizer',
    inputWidth: 128,
    inputHeight: 64,
    read: async (crops) => crops.map(readOne),
    async readBatch(batch, count) {
      const n = 128 * 64 * 3;
      return Array.from({ length: count }, (_, i) => readOne(batch.subarray(i * n, (i + 1) * n)));
    },
    decode: (p) => decodeSlots(p, 0, SLOTS, CCT_ALPHABET),
    close: async () => undefined,
  };
}

const parsed = parseConfig({}, process.cwd());
if (!parsed.ok) throw new Error('default config invalid');
const settings = pipelineSettings(parsed.value.config.recognition, 'photos');

describe('photos: the finer detection when the first found only words', () => {
  it('finds the plate behind a sign and ranks it first', async () => {
    const pipeline = new PlatePipeline(detector, recognizer({ 10: 'PROPERTY', 20: '7ABC123' }), settings);
    const read = await pipeline.readImage(scene());
    expect(read.timings.fellBack).toBe(true);
    expect(read.observations.map((o) => o.text)).toEqual(['7ABC123', 'PR0PERTY']);
  });

  it('does not search again when the first detection read a plate', async () => {
    const pipeline = new PlatePipeline(detector, recognizer({ 10: '7XYZ999', 20: '7ABC123' }), settings);
    const read = await pipeline.readImage(scene());
    expect(read.timings.fellBack).toBe(false);
    expect(read.observations.map((o) => o.text)).toEqual(['7XYZ999']);
  });
});
