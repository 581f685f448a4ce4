// The plate reader: fast-plate-ocr CCT-XS behind the `PlateRecognizer` interface. It reads a batch
// of plate crops in one session run (one call into onnxruntime per frame, not one per crop).
import { type ModelEntry, manifestEntry } from '../../models/manifest.js';
import { type ModelSession, openModelSession, ort, type SessionSettings } from './onnx-session.js';
import { CCT_ALPHABET, decodeSlots, type SlotRead } from './recognizer-decode.js';

/** One crop's read plus its raw slot probabilities (`slots x alphabet`), for averaging views. */
export interface CropRead extends SlotRead {
  probabilities: Float32Array;
}

export interface PlateRecognizer {
  readonly modelId: string;
  /** Size every crop must have (packed RGB24). */
  readonly inputWidth: number;
  readonly inputHeight: number;
  /** Read crops; one result per crop, in order. */
  read(crops: Uint8Array[]): Promise<CropRead[]>;
  /** Read `count` crops packed back to back in `batch` (no copy). */
  readBatch(batch: Uint8Array, count: number): Promise<CropRead[]>;
  /** Decode (e.g. averaged) slot probabilities the way `read` does. */
  decode(probabilities: Float32Array): SlotRead;
  close(): Promise<void>;
}

export interface CctRecognizerOptions extends SessionSettings {
  file: string;
  entry?: ModelEntry;
}

// Bounds one run's memory and latency when a frame is full of text.
const MAX_BATCH = 32;

export class CctPlateRecognizer implements PlateRecognizer {
  readonly modelId: string;
  readonly inputWidth: number;
  readonly inputHeight: number;
  private readonly slots: number;
  private readonly alphabet: string;

  private constructor(private readonly session: ModelSession) {
    const entry = session.entry;
    const inShape = entry.input.shape as unknown[];
    const outShape = entry.output.shape as unknown[];
    this.modelId = entry.name;
    this.inputHeight = Number(inShape[1]);
    this.inputWidth = Number(inShape[2]);
    this.slots = Number(outShape[1]);
    this.alphabet = typeof entry.output.alphabet === 'string' ? entry.output.alphabet : CCT_ALPHABET;
    if (!(this.inputHeight > 0 && this.inputWidth > 0 && this.slots > 0)) {
      throw new Error(`models/manifest.json: bad tensor shapes for ${entry.name}`);
    }
  }

  /** Verify the model file, open the session and run it once so the first frame is not slow. */
  static async open(options: CctRecognizerOptions): Promise<CctPlateRecognizer> {
    const entry = options.entry ?? manifestEntry('recognizer');
    const recognizer = new CctPlateRecognizer(await openModelSession(entry, options.file, options));
    const blank = new Uint8Array(recognizer.inputWidth * recognizer.inputHeight * 3).fill(200);
    await recognizer.read([blank, blank]);
    return recognizer;
  }

  async read(crops: Uint8Array[]): Promise<CropRead[]> {
    const size = this.inputWidth * this.inputHeight * 3;
    const batch = new Uint8Array(crops.length * size);
    crops.forEach((crop, i) => {
      if (crop.length !== size) {
        throw new RangeError(
          `crop ${i} has ${crop.length} bytes, expected ${this.inputWidth}x${this.inputHeight}x3`,
        );
      }
      batch.set(crop, i * size);
    });
    return this.readBatch(batch, crops.length);
  }

  async readBatch(batch: Uint8Array, count: number): Promise<CropRead[]> {
    const size = this.inputWidth * this.inputHeight * 3;
    if (batch.length < count * size) throw new RangeError(`batch holds fewer than ${count} crops`);
    const results: CropRead[] = [];
    for (let start = 0; start < count; start += MAX_BATCH) {
      const n = Math.min(MAX_BATCH, count - start);
      results.push(...(await this.runBatch(batch.subarray(start * size, (start + n) * size), n)));
    }
    return results;
  }

  decode(probabilities: Float32Array): SlotRead {
    return decodeSlots(probabilities, 0, this.slots, this.alphabet);
  }

  private async runBatch(batch: Uint8Array, count: number): Promise<CropRead[]> {
    const output = await this.session.run(
      new ort.Tensor('uint8', batch, [count, this.inputHeight, this.inputWidth, 3]),
    );
    const data = output.data as Float32Array;
    const stride = this.slots * this.alphabet.length;
    if (data.length < count * stride) {
      throw new RangeError(`recognizer output has ${data.length} values, expected ${count * stride}`);
    }
    return Array.from({ length: count }, (_, i) => {
      const probabilities = data.slice(i * stride, (i + 1) * stride);
      return { ...decodeSlots(probabilities, 0, this.slots, this.alphabet), probabilities };
    });
  }

  close(): Promise<void> {
    return this.session.close();
  }
}
