// Forward section (edge): sending what the edge stores to the hub (docs/hub.md, docs/hub-protocol.md).
// The edge store is the outbox: cursors in its meta table, the hub's acknowledgment moves them.
import { z } from 'zod';
import { MAX_READS_PER_BATCH } from '../forward/wire.js';
import { isLoopbackHost } from './hub.schema.js';

export const forwardSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe('Forward reads, cameras, verdicts, receipts and audit heads to the hub.'),
    hubUrl: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe(
        'Base URL of the hub, e.g. https://hub.example.org:9470; http:// only to a loopback address.',
      ),
    edgeKeyPath: z
      .string()
      .min(1)
      .default('./data/keys/hub-edge.key')
      .describe(
        'File holding this edge’s secret from `alpr hub edges add` (mode 0600; refused if others can read it).',
      ),
    everyMs: z
      .number()
      .int()
      .min(100)
      .max(600_000)
      .default(2000)
      .describe('How often the forwarder looks for new reads once it has caught up.'),
    batchSize: z
      .number()
      .int()
      .min(1)
      .max(MAX_READS_PER_BATCH)
      .default(MAX_READS_PER_BATCH)
      .describe('Most reads per request (the protocol allows 500).'),
    maxBatchesPerCycle: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(20)
      .describe('While catching up, send at most this many batches back to back before yielding a turn.'),
    maxLagS: z
      .number()
      .int()
      .min(10)
      .max(30 * 86_400)
      .default(900)
      .describe(
        '/health is degraded when the oldest read not yet at the hub was stored longer ago than this.',
      ),
    heartbeatS: z
      .number()
      .int()
      .min(5)
      .max(3600)
      .default(60)
      .describe(
        'With nothing to send, report the (empty) backlog this often so the hub sees the edge alive.',
      ),
    requestTimeoutMs: z
      .number()
      .int()
      .min(1000)
      .max(300_000)
      .default(30_000)
      .describe('Give up on one request after this long (then back off and resend).'),
    backoffInitialMs: z
      .number()
      .int()
      .min(100)
      .max(600_000)
      .default(1000)
      .describe('First delay after a failed send (5xx, 401, network); doubles per failure.'),
    backoffMaxMs: z
      .number()
      .int()
      .min(100)
      .max(3_600_000)
      .default(300_000)
      .describe('Cap on the delay between attempts while the hub is unreachable.'),
    backoffJitter: z
      .number()
      .min(0)
      .max(1)
      .default(0.3)
      .describe('Random fraction added to or removed from each delay, so edges do not retry in lockstep.'),
  })
  .describe('Forwarding to the hub.');

export type ForwardConfig = z.output<typeof forwardSchema>;

/** Cross-field rules of the section, as [path, message] pairs (checked by the top-level schema). */
export function forwardProblems(forward: ForwardConfig): [string[], string][] {
  const problems: [string[], string][] = [];
  if (forward.enabled && !forward.hubUrl)
    problems.push([['hubUrl'], 'required when forward.enabled is true']);
  if (forward.hubUrl) {
    const url = new URL(forward.hubUrl);
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname.replace(/^\[|\]$/g, ''))) {
      problems.push([
        ['hubUrl'],
        `http:// to ${url.hostname} would send plates in clear text: use https:// (or a loopback address)`,
      ]);
    }
    if (url.search || url.hash) problems.push([['hubUrl'], 'must not have a query string or fragment']);
  }
  if (forward.backoffInitialMs > forward.backoffMaxMs) {
    problems.push([['backoffInitialMs'], `must not exceed backoffMaxMs (${forward.backoffMaxMs})`]);
  }
  return problems;
}
