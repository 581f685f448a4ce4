// The forwarder's Prometheus series, registered in the edge's registry: the outbox (reads not yet at the
// hub, age of the oldest), what the hub answered, and send errors by kind.
import { Counter, Gauge, type Registry } from 'prom-client';
import { SEND_ERROR_KINDS } from './hub-client.js';

export interface ForwardGauges {
  backlog(): { reads: number; oldestAgeS: number | null };
  lastSuccessAt(): number | null;
}

export class ForwardMetrics {
  readonly sendErrors: Counter<'kind' | 'endpoint'>;
  readonly reads: Counter<'outcome'>;
  readonly requests: Counter<'endpoint'>;

  constructor(registry: Registry, gauges: ForwardGauges) {
    const registers = [registry];
    this.sendErrors = new Counter({
      name: 'alpr_forward_send_errors_total',
      help: 'Requests to the hub that failed, by kind (network, timeout, unavailable, server, auth, too_large, conflict, rejected).',
      labelNames: ['kind', 'endpoint'],
      registers,
    });
    this.reads = new Counter({
      name: 'alpr_forward_reads_total',
      help: 'Reads the hub acknowledged, by its answer (accepted, duplicate, refused); skipped: dropped by the edge after the hub rejected it alone.',
      labelNames: ['outcome'],
      registers,
    });
    this.requests = new Counter({
      name: 'alpr_forward_requests_total',
      help: 'Requests the hub acknowledged (200), by endpoint.',
      labelNames: ['endpoint'],
      registers,
    });
    for (const kind of SEND_ERROR_KINDS) this.sendErrors.inc({ kind, endpoint: 'reads' }, 0);
    for (const outcome of ['accepted', 'duplicate', 'refused', 'skipped']) this.reads.inc({ outcome }, 0);
    new Gauge({
      name: 'alpr_forward_queue_reads',
      help: 'Reads stored on this edge and not yet acknowledged by the hub.',
      registers,
      collect() {
        this.set(gauges.backlog().reads);
      },
    });
    new Gauge({
      name: 'alpr_forward_oldest_unforwarded_age_seconds',
      help: 'Seconds since the oldest read not yet at the hub was stored (0 when none wait).',
      registers,
      collect() {
        this.set(gauges.backlog().oldestAgeS ?? 0);
      },
    });
    new Gauge({
      name: 'alpr_forward_last_success_timestamp_seconds',
      help: 'When the hub last acknowledged a request (absent before the first).',
      registers,
      collect() {
        const at = gauges.lastSuccessAt();
        this.reset();
        if (at !== null) this.set(at / 1000);
      },
    });
  }
}
