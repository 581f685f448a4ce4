// The plate localiser: PP-OCRv4's generic text detector behind the `PlateDetector` interface, so a
// plate-specific detector can replace it later. One session per process, warmed up at start.
import { type ModelEntry, manifestEntry } from '../../models/manifest.js';
import type { PixelBox } from '../../shared/plates/box-geometry.js';
import {
  DEFAULT_POSTPROCESS,
  type DetectorPostprocessOptions,
  findTextComponents,
  type TextBox,
  textBoxesToImage,
} from './detector-postprocess.js';
import { detectorInputSize, type InputSizing, rgbToDetectorTensor } from './detector-preprocess.js';
import { type ModelSession, openModelSession, ort, type SessionSettings } from './onnx-session.js';
import { type RawImage, resizeRegion } from './raw-image.js';

export interface DetectOptions extends InputSizing {
  /** Image region to search (default: the whole image). Boxes are still in image pixels. */
  region?: PixelBox;
}

/** Finds regions that may hold a plate; boxes are in the image's pixel space. */
export interface PlateDetector {
  readonly modelId: string;
  detect(image: RawImage, options: DetectOptions): Promise<TextBox[]>;
  close(): Promise<void>;
}

export interface TextDetectorOptions extends SessionSettings {
  file: string;
  entry?: ModelEntry;
  postprocess?: Partial<DetectorPostprocessOptions>;
  /** Input size used to warm the session up (the size it will mostly see). */
  warmupSize?: { width: number; height: number };
}

export class TextDetector implements PlateDetector {
  readonly modelId: string;
  private readonly post: DetectorPostprocessOptions;
  // Input buffers by size, reused between runs: a fresh 1-2 MB Float32Array per frame costs more
  // (zeroing, garbage collection) than filling it. A buffer in use by an overlapping run is not shared.
  private readonly spare = new Map<string, Float32Array[]>();

  private constructor(
    private readonly session: ModelSession,
    post: Partial<DetectorPostprocessOptions>,
  ) {
    this.modelId = session.entry.name;
    this.post = { ...DEFAULT_POSTPROCESS, ...post };
  }

  /** Verify the model file, open the session and run it once so the first frame is not slow. */
  static async open(options: TextDetectorOptions): Promise<TextDetector> {
    const entry = options.entry ?? manifestEntry('detector');
    const session = await openModelSession(entry, options.file, options);
    const detector = new TextDetector(session, options.postprocess ?? {});
    const size = options.warmupSize ?? { width: 640, height: 384 };
    await detector.runMap(Buffer.alloc(size.width * size.height * 3, 128), size.width, size.height);
    return detector;
  }

  async detect(image: RawImage, options: DetectOptions): Promise<TextBox[]> {
    const region = options.region ?? { x: 0, y: 0, width: image.width, height: image.height };
    const size = detectorInputSize(region.width, region.height, options);
    const rgb = await resizeRegion(image, region, size.width, size.height);
    const map = await this.runMap(rgb, size.width, size.height);
    const components = findTextComponents(map, size.width, size.height, this.post);
    return textBoxesToImage(
      components,
      { mapWidth: size.width, mapHeight: size.height, region },
      this.post.unclipRatio,
    );
  }

  /** Run the model on packed RGB of exactly `width` x `height`; returns the probability map. */
  async runMap(rgb: Uint8Array, width: number, height: number): Promise<Float32Array> {
    const key = `${width}x${height}`;
    let pool = this.spare.get(key);
    if (!pool) {
      if (this.spare.size >= 16) this.spare.clear(); // sizes come from cameras and fallbacks: few
      pool = [];
      this.spare.set(key, pool);
    }
    const buffer = rgbToDetectorTensor(
      rgb,
      width,
      height,
      pool.pop() ?? new Float32Array(3 * width * height),
    );
    try {
      const output = await this.session.run(new ort.Tensor('float32', buffer, [1, 3, height, width]));
      return output.data as Float32Array;
    } finally {
      if (pool.length < 2) pool!.push(buffer);
    }
  }

  close(): Promise<void> {
    return this.session.close();
  }
}
