// Prometheus metrics of the events pipeline. Labels carry event types and endpoint names only (never a
// URL, which may hold a token). Registered in the process's own registry (the edge's /metrics).
import { Counter, Gauge, type Registry } from 'prom-client';

export interface SinkGauges {
  name: string;
  depth(): number;
  up(): boolean;
}

export class EventMetrics {
  readonly published: Counter<'type'>;
  readonly refused: Counter<'type'>;
  readonly suppressed: Counter<'type'>;
  readonly sent: Counter<'endpoint'>;
  readonly attemptsFailed: Counter<'endpoint'>;
  readonly dropped: Counter<'endpoint'>;
  readonly deadLetter: Counter<'endpoint'>;
  private readonly sinks: SinkGauges[] = [];

  constructor(registry: Registry) {
    const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
      new Counter<L>({ name, help, labelNames, registers: [registry] });
    this.published = counter('alpr_events_published_total', 'Events offered to the event bus.', ['type']);
    this.refused = counter(
      'alpr_events_refused_total',
      'Events refused because they could not be proven plate-free (never sent; see the log).',
      ['type'],
    );
    this.suppressed = counter(
      'alpr_events_suppressed_total',
      'Events held back by the rate rule (a flapping camera); the latest state is still sent.',
      ['type'],
    );
    this.sent = counter('alpr_events_sent_total', 'Events the endpoint acknowledged.', ['endpoint']);
    this.attemptsFailed = counter(
      'alpr_events_attempts_failed_total',
      'Delivery attempts that failed (each retry that fails counts).',
      ['endpoint'],
    );
    this.dropped = counter(
      'alpr_events_dropped_total',
      'Events dropped because the endpoint queue was full (the oldest goes first).',
      ['endpoint'],
    );
    this.deadLetter = counter(
      'alpr_events_dead_letter_total',
      'Events given up on after the last attempt (or at shutdown), written to the dead-letter file.',
      ['endpoint'],
    );
    const sinks = this.sinks;
    new Gauge({
      name: 'alpr_events_queue_depth',
      help: 'Events waiting for the endpoint.',
      labelNames: ['endpoint'],
      registers: [registry],
      collect() {
        this.reset();
        for (const s of sinks) this.set({ endpoint: s.name }, s.depth());
      },
    });
    new Gauge({
      name: 'alpr_events_endpoint_up',
      help: '1 when the last delivery to the endpoint succeeded (MQTT: connected to the broker).',
      labelNames: ['endpoint'],
      registers: [registry],
      collect() {
        this.reset();
        for (const s of sinks) this.set({ endpoint: s.name }, s.up() ? 1 : 0);
      },
    });
  }

  /** Create an endpoint's series at 0 and report its queue depth and state at scrape time. */
  addSink(sink: SinkGauges): void {
    this.sinks.push(sink);
    for (const c of [this.sent, this.attemptsFailed, this.dropped, this.deadLetter])
      c.inc({ endpoint: sink.name }, 0);
  }
}
