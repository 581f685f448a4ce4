// Camera section of the config: what each camera is, where it points, and the tunables
// (field of view, range, sampling, frame size) that `cameraDefaults` sets once and a camera may override.
import { z } from 'zod';

const positionSchema = z
  .strictObject({
    lng: z.number().min(-180).max(180).describe('Longitude in decimal degrees (WGS84).'),
    lat: z.number().min(-90).max(90).describe('Latitude in decimal degrees (WGS84).'),
  })
  .describe('Where the camera is mounted.');

const frameSizeSchema = z
  .strictObject({
    width: z.number().int().min(64).max(7680).describe('Decoded frame width in pixels.'),
    height: z.number().int().min(64).max(4320).describe('Decoded frame height in pixels.'),
  })
  .describe('Size ffmpeg scales decoded frames to before recognition.');

/** A rectangle in decoded-frame pixels; only this part of the frame is searched for plates. */
export const pixelRoiSchema = z
  .strictObject({
    x: z.number().int().min(0).describe('Left edge in pixels.'),
    y: z.number().int().min(0).describe('Top edge in pixels.'),
    width: z.number().int().min(16).describe('Width in pixels.'),
    height: z.number().int().min(16).describe('Height in pixels.'),
  })
  .describe('Optional pixel region of interest; plates are searched only inside it.');

/** A polygon in decoded-frame pixels, [x, y] per vertex; text found inside it is never read. */
export const pixelMaskSchema = z
  .array(z.tuple([z.number().min(0), z.number().min(0)]))
  .min(3)
  .max(64)
  .describe('Polygon vertices [x, y] in frame pixels.');

interface Tunable<S extends z.ZodType> {
  schema: S;
  /** undefined: the field is optional everywhere (no global default). */
  fallback: z.output<S> | undefined;
  description: string;
}
const tunable = <S extends z.ZodType>(schema: S, fallback: z.output<S> | undefined, description: string) =>
  ({ schema, fallback, description }) satisfies Tunable<S>;

/** Settings every camera has; `cameraDefaults` gives them once, a camera entry may override any of them. */
const cameraTunables = {
  fovDeg: tunable(z.number().gt(0).lte(360), 60, 'Horizontal field of view in degrees (0 < fov <= 360).'),
  rangeM: tunable(
    z.number().gt(0).max(2000),
    undefined,
    'Capture range in metres. Omit it to derive it from frame width, FOV and minPlateWidthPx.',
  ),
  minPlateWidthPx: tunable(
    z.number().int().min(8).max(1000),
    40,
    'Smallest plate width in pixels the recognizer reads; used to derive the capture range.',
  ),
  plateWidthM: tunable(
    z.number().gt(0.1).max(1),
    0.305,
    'Physical plate width in metres (US plates: 12 in = 0.305 m); used to derive the capture range.',
  ),
  sampleFps: tunable(
    z.number().gt(0).max(30),
    5,
    'Frames per second sampled from the stream for recognition.',
  ),
  frame: tunable(frameSizeSchema, { width: 1280, height: 720 }, 'Decoded frame size.'),
  roi: tunable(pixelRoiSchema, undefined, 'Pixel region of interest inside the decoded frame.'),
  rtspTransport: tunable(z.enum(['tcp', 'udp']), 'tcp', 'RTSP transport; TCP survives lossy links better.'),
  masks: tunable(
    z.array(pixelMaskSchema).max(32),
    undefined,
    'Regions never read (on-screen text, signs): polygons in frame pixels, like the privacy masks of an NVR.',
  ),
};
type CameraTunables = typeof cameraTunables;

function tunableShape<M extends 'defaults' | 'overrides'>(mode: M) {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, t] of Object.entries(cameraTunables) as [string, Tunable<z.ZodType>][]) {
    const base = t.schema;
    shape[key] = (
      mode === 'defaults' && t.fallback !== undefined ? base.default(t.fallback as never) : base.optional()
    ).describe(t.description);
  }
  return shape as M extends 'defaults'
    ? {
        [K in keyof CameraTunables]: CameraTunables[K]['fallback'] extends undefined
          ? z.ZodOptional<CameraTunables[K]['schema']>
          : z.ZodDefault<CameraTunables[K]['schema']>;
      }
    : { [K in keyof CameraTunables]: z.ZodOptional<CameraTunables[K]['schema']> };
}

export const cameraDefaultsSchema = z
  .strictObject(tunableShape('defaults'))
  .describe('Defaults for every camera; a camera entry overrides any of these fields.');

export const CAMERA_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const cameraSchema = z
  .strictObject({
    id: z
      .string()
      .regex(
        CAMERA_ID_PATTERN,
        'must be 1-64 letters, digits, "_", "." or "-", starting with a letter or digit',
      )
      .describe('Stable camera id; reads and verdicts refer to it.'),
    label: z.string().max(200).optional().describe('Human description, e.g. "Main St northbound".'),
    url: z
      .string()
      .regex(/^(rtsps?|file):\/\/.+/, 'must be an rtsp://, rtsps:// or file:// URL')
      .describe('Stream URL; credentials may be embedded (they are redacted in logs).'),
    enabled: z.boolean().default(true).describe('Set false to keep a camera configured but not running.'),
    position: positionSchema,
    bearingDeg: z
      .number()
      .min(0)
      .lt(360)
      .describe('Compass bearing the camera looks along (0 = north, 90 = east).'),
    ...tunableShape('overrides'),
  })
  .describe('One camera.');

export type CameraConfig = z.output<typeof cameraSchema>;
export type CameraDefaults = z.output<typeof cameraDefaultsSchema>;
/** A camera with every tunable filled from its own entry or from `cameraDefaults`. */
export type ResolvedCamera = Omit<CameraConfig, keyof CameraTunables> & CameraDefaults;

/**
 * Merge a camera entry over the global defaults (camera values win, whole objects replace).
 * @example resolveCamera({ id: 'c1', ..., fovDeg: 40 }, defaults).sampleFps // from defaults
 */
export function resolveCamera(camera: CameraConfig, defaults: CameraDefaults): ResolvedCamera {
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(camera)) {
    if (value !== undefined) merged[key] = value;
  }
  return merged as ResolvedCamera;
}
