// The one config schema: every setting of edge, worker and CLI, validated before anything starts.
// Unknown keys are errors; every field has a default (or is explicitly optional), bounds and a description.
import { z } from 'zod';
import { parsePublicKey } from '../audit/signed-head.js';
import { accessSchema } from './access.schema.js';
import { auditSchema } from './audit.schema.js';
import { cameraDefaultsSchema, cameraSchema, resolveCamera } from './camera.schema.js';
import { eventsSchema } from './events.schema.js';
import { forwardProblems, forwardSchema } from './forward.schema.js';
import { sitesSchema } from './geofence.schema.js';
import { hubSchema, isLoopbackHost } from './hub.schema.js';
import { httpSchema, ingestSchema, liveViewSchema } from './ingest.schema.js';
import { describeServiceArea, inServiceArea, nodeSchema } from './node.schema.js';
import { modelsSchema, recognitionSchema, resolvedPlateFormat } from './recognition.schema.js';
import { retentionSchema, workerSchema } from './retention.schema.js';

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
    audit: auditSchema.prefault({}),
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
    access: accessSchema.prefault({}),
    events: eventsSchema.prefault({}),
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
      const area = config.node.serviceArea;
      const { lng, lat } = camera.position;
      if (area && !inServiceArea(area, lng, lat)) {
        const swapped = Math.abs(lng) <= 90 && inServiceArea(area, lat, lng);
        ctx.addIssue({
          code: 'custom',
          path: ['cameras', index, 'position'],
          message: `camera "${camera.id}" at lng ${lng}, lat ${lat} lies outside node.serviceArea (${describeServiceArea(area)})${swapped ? '; with latitude and longitude swapped it lies inside: check their order' : ''}`,
        });
      }
      const resolved = resolveCamera(camera, config.cameraDefaults);
      const { roi, frame, masks } = resolved;
      masks?.forEach((mask, m) => {
        const outside = mask.findIndex(([x, y]) => x > frame.width || y > frame.height);
        if (outside >= 0) {
          ctx.addIssue({
            code: 'custom',
            path: ['cameras', index, 'masks', m, outside],
            message: `vertex lies outside the ${frame.width}x${frame.height} frame`,
          });
        }
      });
      if (roi && (roi.x + roi.width > frame.width || roi.y + roi.height > frame.height)) {
        ctx.addIssue({
          code: 'custom',
          path: ['cameras', index, 'roi'],
          message: `region ${roi.width}x${roi.height}+${roi.x}+${roi.y} extends outside the ${frame.width}x${frame.height} frame`,
        });
      }
    });
    const plateFormat = resolvedPlateFormat(config.recognition.plateFormat);
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
    const registryHub = config.sites.hub;
    if (registryHub) {
      try {
        parsePublicKey(registryHub.publicKey);
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          path: ['sites', 'hub', 'publicKey'],
          message: `not an Ed25519 public key: ${(error as Error).message}`,
        });
      }
      if (registryHub.maxStaleS < 2 * config.sites.reevaluateEveryS) {
        ctx.addIssue({
          code: 'custom',
          path: ['sites', 'hub', 'maxStaleS'],
          message: `must be at least twice sites.reevaluateEveryS (${config.sites.reevaluateEveryS} s), or every read is refused between two fetches`,
        });
      }
      let url: URL | undefined;
      const registryUrl = registryHub.url ?? config.forward.hubUrl;
      if (registryUrl === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['sites', 'hub', 'url'],
          message: 'the hub to fetch the registry from: set sites.hub.url or forward.hubUrl',
        });
      }
      try {
        url = registryUrl === undefined ? undefined : new URL(registryUrl);
      } catch {
        ctx.addIssue({ code: 'custom', path: ['sites', 'hub', 'url'], message: 'not a URL' });
      }
      const hostname = url?.hostname.replace(/^\[|\]$/g, '') ?? '';
      if (url?.protocol === 'http:' && !isLoopbackHost(hostname)) {
        ctx.addIssue({
          code: 'custom',
          path: ['sites', 'hub', 'url'],
          message: `fetching the registry from ${hostname} over plain http would expose the sites' locations: use https`,
        });
      }
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
