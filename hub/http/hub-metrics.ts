// The hub process's Prometheus metrics, in a registry of its own. Labels carry routes, reasons and
// outcomes only: never edge secrets, plates or (to keep cardinality bounded) edge ids; per-edge status
// is in the database (`alpr hub edges list`). Each hub process counts what it served.
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { READ_REFUSAL_REASONS } from '../../shared/forward/wire.js';

export const AUTH_FAILURE_REASONS = [
  'missing_header',
  'malformed_header',
  'unknown_edge',
  'disabled_edge',
  'no_secret',
  'clock_skew',
  'replay',
  'bad_signature',
] as const;
export type AuthFailureReason = (typeof AUTH_FAILURE_REASONS)[number];

export class HubMetrics {
  readonly registry = new Registry();
  readonly requestDuration: Histogram<'method' | 'route' | 'status'>;
  readonly authFailures: Counter<'reason'>;
  readonly readsAccepted: Counter;
  readonly readsDuplicate: Counter;
  readonly readsRefused: Counter<'reason'>;
  readonly ingestRequests: Counter<'endpoint' | 'outcome'>;
  readonly anchors: Counter<'outcome'>;

  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.requestDuration = new Histogram({
      name: 'alpr_hub_http_request_duration_seconds',
      help: 'Time from request received to response sent, by route and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
      registers,
    });
    this.authFailures = new Counter({
      name: 'alpr_hub_auth_failures_total',
      help: 'Edge requests refused with 401, by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.readsAccepted = new Counter({
      name: 'alpr_hub_ingest_reads_accepted_total',
      help: 'Forwarded reads stored for the first time.',
      registers,
    });
    this.readsDuplicate = new Counter({
      name: 'alpr_hub_ingest_reads_duplicate_total',
      help: 'Forwarded reads the hub already had (a resend after a lost answer).',
      registers,
    });
    this.readsRefused = new Counter({
      name: 'alpr_hub_ingest_reads_refused_total',
      help: 'Forwarded reads refused and not stored, by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.ingestRequests = new Counter({
      name: 'alpr_hub_ingest_requests_total',
      help: 'Authenticated ingest requests by endpoint and outcome (ok, refused, unavailable, error); requests that failed before (401, 503 during authentication) are in the request histogram by status.',
      labelNames: ['endpoint', 'outcome'],
      registers,
    });
    this.anchors = new Counter({
      name: 'alpr_hub_audit_anchors_total',
      help: 'Attempts to sign and anchor the hub audit head, by outcome.',
      labelNames: ['outcome'],
      registers,
    });
    for (const reason of AUTH_FAILURE_REASONS) this.authFailures.inc({ reason }, 0);
    for (const reason of READ_REFUSAL_REASONS) this.readsRefused.inc({ reason }, 0);
    if (options.processMetrics ?? true)
      collectDefaultMetrics({ register: this.registry, prefix: 'alpr_hub_' });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
