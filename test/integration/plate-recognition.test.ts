import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame } from '../../edge/pipeline/stages.js';
import type { CameraRecognizer } from '../../edge/recognition/camera-recognizer.js';
import { openPassTracker } from '../../edge/recognition/open-pipeline.js';
import { defaultModelPath, ModelFileError, manifestEntry } from '../../models/manifest.js';
import { MissingFontError } from '../../sim/synthetic/fonts.js';
import { plateSvg, renderPlatePng } from '../../sim/synthetic/render-plate.js';
import { renderScene } from '../../sim/synthetic/render-scene.js';
import { boxOnPlate } from '../../tools/evaluation/eval-metrics.js';
import { makeCameraConfig, T0 } from '../support/factories.js';
import { makeConfig, openTestRecognizer } from '../support/recognition.js';
import { tempDir } from '../support/temp-dir.js';

const W = 1280;
const H = 720;

function frameOf(image: { width: number; height: number; data: Buffer }, cameraId = 'cam-1', seq = 1): Frame {
  return {
    cameraId,
    seq,
    capturedAt: T0 + seq * 200,
    width: image.width,
    height: image.height,
    data: image.data,
  };
}

describe('plate pipeline on rendered plates', () => {
  let pipeline: CameraRecognizer;
  beforeAll(async () => {
    pipeline = await openTestRecognizer({
      // Each test shows the camera a different picture: search the whole frame every time (on a real
      // camera, frames between whole-frame searches look only around the last frame's plates).
      recognition: { fullFrameEvery: 1 },
      cameras: [makeCameraConfig({ id: 'cam-roi', roi: { x: 640, y: 0, width: 640, height: 720 } })] as never,
    });
  });
  afterAll(() => pipeline?.close());

  const cases = [
    { text: '7ABC123', at: { x: 200, y: 400, width: 90 } },
    { text: 'KL3B8K', at: { x: 700, y: 350, width: 130 } },
    { text: '4GHJ567', at: { x: 420, y: 300, width: 180 } },
    { text: '6TRK2024', at: { x: 560, y: 420, width: 250 } },
    { text: '5MRT318', at: { x: 480, y: 380, width: 150 }, style: { lettering: 'font' as const } },
  ];

  it.each(cases)('reads $text (plate $at.width px wide) at its known box', async ({ text, at, style }) => {
    const scene = await renderScene({ width: W, height: H, plates: [{ text, at, style }] });
    const observations = await pipeline.recognize(frameOf(scene.image));
    expect(observations.map((o) => o.text)).toEqual([text]);
    const [read] = observations;
    expect(boxOnPlate(read!.box, scene.plates[0]!.box)).toBe(true);
    expect(read!.confidence).toBeGreaterThan(0.9);
    expect(read!.charConfidences).toHaveLength(text.length);
    expect(read!.cropJpeg).toBeUndefined(); // crops are off by default
  });

  it('reads two vehicles in one frame', async () => {
    const scene = await renderScene({
      width: W,
      height: H,
      plates: [
        { text: 'AB12CDE', at: { x: 150, y: 420, width: 140 } },
        { text: 'XY98765', at: { x: 900, y: 380, width: 120 } },
      ],
    });
    const observations = await pipeline.recognize(frameOf(scene.image));
    expect(observations.map((o) => o.text).sort()).toEqual(['AB12CDE', 'XY98765']);
  });

  it('gives no read on a blank frame or an empty road', async () => {
    const blank = { width: W, height: H, data: Buffer.alloc(W * H * 3, 120) };
    expect(await pipeline.recognize(frameOf(blank))).toEqual([]);
    const road = await renderScene({ width: W, height: H, plates: [] });
    expect(await pipeline.recognize(frameOf(road.image))).toEqual([]);
  });

  it("searches only the camera's region of interest and reports full-frame boxes", async () => {
    const scene = await renderScene({
      width: W,
      height: H,
      plates: [
        { text: 'LEFT123', at: { x: 150, y: 400, width: 140 } },
        { text: 'RIGHT12', at: { x: 900, y: 400, width: 140 } },
      ],
    });
    const inRoi = await pipeline.recognize(frameOf(scene.image, 'cam-roi'));
    expect(inRoi.map((o) => o.text)).toEqual(['RIGHT12']);
    expect(boxOnPlate(inRoi[0]!.box, scene.plates[1]!.box)).toBe(true);
    const whole = await pipeline.recognize(frameOf(scene.image, 'cam-without-roi'));
    expect(whole.map((o) => o.text).sort()).toEqual(['LEFT123', 'RIGHT12']);
  });

  it('skips reading a camera frame in which nothing moved, and reads again when the car moves', async () => {
    const at = (x: number) =>
      renderScene({ width: W, height: H, plates: [{ text: 'STILL42', at: { x, y: 400, width: 140 } }] });
    const first = await at(400);
    const moved = await at(460);
    const frame = (image: typeof first.image, seq: number) => frameOf(image, 'cam-still', seq);
    const skippedBefore = pipeline.skippedStillFrames;
    expect((await pipeline.recognize(frame(first.image, 1))).map((o) => o.text)).toEqual(['STILL42']);
    // A still frame shows what the last one showed: its read is replayed (keeps the pass open), flagged.
    const still = await pipeline.recognize(frame(first.image, 2));
    expect(still.map((o) => [o.text, o.replayed])).toEqual([['STILL42', true]]);
    expect(pipeline.skippedStillFrames).toBe(skippedBefore + 1);
    expect((await pipeline.recognize(frame(moved.image, 3))).map((o) => o.text)).toEqual(['STILL42']);
  });

  it('refuses a frame whose buffer does not match its size', async () => {
    await expect(
      pipeline.recognize({ ...frameOf({ width: W, height: H, data: Buffer.alloc(10) }) }),
    ).rejects.toThrow(/expected 1280x720x3/);
  });

  it('groups a passing car into one voted read with its evidence', async () => {
    const tracker = openPassTracker(makeConfig().recognition);
    const passes = [];
    for (let i = 0; i < 4; i++) {
      const scene = await renderScene({
        width: W,
        height: H,
        plates: [{ text: '8XYZ901', at: { x: 300 + i * 80, y: 300 + i * 30, width: 100 + i * 20 } }],
      });
      const frame = frameOf(scene.image, 'cam-1', i + 1);
      passes.push(...tracker.observe(frame.cameraId, frame.capturedAt, await pipeline.recognize(frame)));
    }
    expect(passes).toEqual([]);
    passes.push(...tracker.flush(T0 + 10_000));
    expect(passes).toHaveLength(1);
    expect(passes[0]).toMatchObject({ cameraId: 'cam-1', plate: '8XYZ901' });
    expect(passes[0]!.evidence.framesSeen).toBe(4);
  });
});

describe('plate crops', () => {
  it('attaches a JPEG of the plate when storeCrops is on', async () => {
    const pipeline = await openTestRecognizer({ recognition: { storeCrops: true } });
    try {
      const scene = await renderScene({
        width: W,
        height: H,
        plates: [{ text: '5CRAP55', at: { x: 500, y: 400, width: 150 } }],
      });
      const [read] = await pipeline.recognize(frameOf(scene.image));
      expect(read!.text).toBe('5CRAP55');
      const meta = await sharp(read!.cropJpeg!).metadata();
      expect(meta.format).toBe('jpeg');
      expect(meta.width).toBe(Math.round(read!.box.width));
    } finally {
      await pipeline.close();
    }
  });
});

describe('model files at session creation', () => {
  it('fails naming the recognizer file and its expected hash when it is missing', async () => {
    const file = path.join(tempDir(), 'missing.onnx');
    const error = await openTestRecognizer({ models: { recognizer: file } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain(manifestEntry('recognizer').sha256);
  });

  it('fails naming the detector file and its expected hash when it is corrupted', async () => {
    const file = path.join(tempDir(), 'det.onnx');
    copyFileSync(defaultModelPath(manifestEntry('detector')), file);
    writeFileSync(file, Buffer.from('corrupt'), { flag: 'r+' });
    const error = await openTestRecognizer({ models: { detector: file } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain(manifestEntry('detector').sha256);
  });
});

describe('synthetic plates', () => {
  it('refuses to render with a font that is not installed instead of substituting one', async () => {
    await expect(
      renderPlatePng('7ABC123', { lettering: 'font', fontFamily: 'No Such Face Mono' }),
    ).rejects.toThrow(MissingFontError);
  });

  it('draws its own glyphs by default, so no system font is needed', () => {
    const svg = plateSvg('7ABC123', { fontFamily: 'No Such Face Mono' });
    expect(svg).not.toContain('<text');
    expect(svg.match(/<path /g)).toHaveLength('7ABC123'.length + 'CALIFORNIA'.length);
  });
});
