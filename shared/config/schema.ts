// The one config schema: every setting of edge, worker and CLI, validated before anything starts.
// Unknown keys are errors; every field has a default (or is explicitly optional), bounds and a description.
import { z } from 'zod';
import { CAMERA_ID_PATTERN, cameraDefaultsSchema, cameraSchema, resolveCamera } from './camera.schema.js';
import { forwardProblems, forwardSchema } from './forward.schema.js';
import { sitesSchema } from './geofence.schema.js';
import { hubSchema, isLoopbackHost } from './hub.schema.js';
import { httpSchema, ingestSchema, liveViewSchema } from './ingest.schema.js';
import { modelsSchema, recognitionSchema } from './recognition.schema.js';
import { retentionSchema, workerSchema } from './retention.schema.js';

const nodeSchema = z
  .strictObject({
    id: z
      .string()
      .regex(CAMERA_ID_PATTERN, 'must be 1-64 letters, digits, "_", "." or "-"')
      .default('edge-01')
      .describe('Edge node id; names the purge queue and appears in receipts.'),
  })
  .describe('This edge node.');

const storeSchema = z
  .strictObject({
    path: z.string().min(1).default('./data/alpr.db').describe('SQLite database file (created if missing).'),
    cropsDir: z
      .string()
      .min(1)
      .default('./data/crops')
      .describe('Directory for plate-crop JPEGs (only when recognition.storeCrops is on).'),
    busyTimeoutMs: z
      .number()
      .int()
      .min(0)
      .max(60_000)
      .default(5000)
      .describe('How long a writer waits for another process holding the write lock.'),
  })
  .describe('The SQLite store.');

const redisSchema = z
  .strictObject({
    url: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
      .default('redis://127.0.0.1:6379')
      .describe('Redis for the purge scheduler (the edge itself never needs it).'),
  })
  .describe('Redis connection.');

const logSchema = z
  .strictObject({
    level: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info')
      .describe('Minimum log level.'),
  })
  .describe('Logging.');

export const configSchema = z
  .strictObject({
    node: nodeSchema.prefault({}),
    store: storeSchema.prefault({}),
    retention: retentionSchema.prefault({}),
    worker: workerSchema.prefault({}),
    redis: redisSchema.prefault({}),
    sites: sitesSchema.prefault({}),
    models: modelsSchema.prefault({}),
    recognition: recognitionSchema.prefault({}),
    ingest: ingestSchema.prefault({}),
    http: httpSchema.prefault({}),
    live: liveViewSchema.prefault({}),
    log: logSchema.prefault({}),
    hub: hubSchema.prefault({}),
    forward: forwardSchema.prefault({}),
    cameraDefaults: cameraDefaultsSchema.prefault({}),
    cameras: z.array(cameraSchema).max(64).default([]).describe('Cameras this edge node pulls frames from.'),
  })
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>();
    config.cameras.forEach((camera, index) => {
      const first = seen.get(camera.id);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['cameras', index, 'id'],
          message: `duplicate camera id "${camera.id}" (also cameras[${first}])`,
        });
      } else seen.set(camera.id, index);
      const resolved = resolveCamera(camera, config.cameraDefaults);
      const { roi, frame } = resolved;
      if (roi && (roi.x + roi.width > frame.width || roi.y + roi.height > frame.height)) {
        ctx.addIssue({
          code: 'custom',
          path: ['cameras', index, 'roi'],
          message: `region ${roi.width}x${roi.height}+${roi.x}+${roi.y} extends outside the ${frame.width}x${frame.height} frame`,
        });
      }
    });
    const { plateFormat } = config.recognition;
    if (plateFormat.minLength > plateFormat.maxLength) {
      ctx.addIssue({
        code: 'custom',
        path: ['recognition', 'plateFormat', 'minLength'],
        message: `must not exceed maxLength (${plateFormat.maxLength})`,
      });
    }
    try {
      new RegExp(plateFormat.pattern);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        path: ['recognition', 'plateFormat', 'pattern'],
        message: `not a valid regular expression: ${(error as Error).message}`,
      });
    }
    if (!config.hub.tls && !isLoopbackHost(config.hub.host)) {
      ctx.addIssue({
        code: 'custom',
        path: ['hub', 'host'],
        message: `listening on ${config.hub.host} without TLS would send logins and reads in clear text: set hub.tls or use 127.0.0.1`,
      });
    }
    for (const [path, message] of forwardProblems(config.forward)) {
      ctx.addIssue({ code: 'custom', path: ['forward', ...path], message });
    }
    if (config.ingest.backoffInitialMs > config.ingest.backoffMaxMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['ingest', 'backoffInitialMs'],
        message: `must not exceed backoffMaxMs (${config.ingest.backoffMaxMs})`,
      });
    }
  });

export type AlprConfig = z.output<typeof configSchema>;
export type AlprConfigInput = z.input<typeof configSchema>;
