// Config of the hub (the central, governed store): where it listens, where its data lives, which
// PostgreSQL it uses (none: embedded PGlite under dataDir), TLS. Features add their own keys here.
import { z } from 'zod';
import { hubRetentionSchema } from './hub-retention.schema.js';

const tlsSchema = z
  .strictObject({
    certPath: z.string().min(1).describe('PEM certificate chain served by the hub.'),
    keyPath: z.string().min(1).describe('PEM private key of that certificate.'),
  })
  .describe('Serve HTTPS with this certificate; required to listen on any non-loopback address.');

export const hubSchema = z
  .strictObject({
    host: z
      .string()
      .min(1)
      .default('127.0.0.1')
      .describe('Address the hub listens on; anything but loopback requires hub.tls.'),
    port: z.number().int().min(0).max(65535).default(9470).describe('Hub HTTP(S) port (0: any free port).'),
    dataDir: z
      .string()
      .min(1)
      .default('./data/hub')
      .describe('Hub data: the embedded PGlite database (when no databaseUrl), keys, anchor file.'),
    keysDir: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Directory of the hub signing key and secrets key (mode 0700); unset: <dataDir>/keys. Keep it off the database host if you can.',
      ),
    databaseUrl: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional()
      .describe('PostgreSQL server (13+) for the hub; unset: embedded PGlite under dataDir.'),
    poolSize: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(10)
      .describe('Connections to the PostgreSQL server (PGlite has one).'),
    tls: tlsSchema.optional(),
    bodyLimitBytes: z
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .default(4 * 1024 * 1024)
      .describe('Largest request body the hub accepts (an ingest batch of 500 reads is ~150 KiB).'),
    redisUrl: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
      .optional()
      .describe("Redis for the hub's scheduled jobs (retention); unset: redis.url."),
    retention: hubRetentionSchema.prefault({}),
    sharingDrift: z
      .strictObject({
        everyHours: z
          .number()
          .gt(0)
          .max(24)
          .default(24)
          .describe('Interval of the sharing drift check (BullMQ on the hub Redis); at least daily (SH-07).'),
        localFallbackMinutes: z
          .number()
          .gt(0)
          .max(1440)
          .default(60)
          .describe(
            'Local timer: check here, without Redis, this often while Redis is unreachable or scheduled checks are overdue.',
          ),
      })
      .prefault({})
      .describe(
        'The daily job that compares the effective sharing ACL with the approved grants, revokes and alerts on drift.',
      ),
    maxCaptureSkewS: z
      .number()
      .int()
      .min(0)
      .max(3600)
      .default(120)
      .describe(
        'A forwarded read captured more than this far ahead of the hub clock is refused (future_capture): it would outlive retention.',
      ),
    anchorEveryS: z
      .number()
      .int()
      .min(1)
      .max(86_400)
      .default(300)
      .describe(
        'Sign the hub audit head and append it to <dataDir>/audit-anchors.jsonl at least this often when the chain moved (also at start and stop).',
      ),
  })
  .describe('The hub: one governed store for every edge box.');

export type HubConfig = z.output<typeof hubSchema>;

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** True when `host` can only be reached from this machine. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}
