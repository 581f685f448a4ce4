// What the event bus needs from a sink (webhook endpoint, MQTT broker): take an already validated event,
// deliver it in the background from a bounded queue, answer one direct probe, and close within a bound.
import type { AlprEvent, EventType } from '../event-catalog.js';

export interface ProbeResult {
  endpoint: string;
  /** Where it went, safe to print (a webhook URL without its query, the broker URL and topic). */
  target: string;
  ok: boolean;
  /** `http_204`, `puback`, `timeout`, `network_ECONNREFUSED`, … */
  outcome: string;
  ms: number;
}

export interface EventSink {
  /** The endpoint label in metrics, logs and dead letters. */
  readonly name: string;
  accepts(type: EventType): boolean;
  start(): void;
  /** Queue an event that passed checkEvent(); `body` is its JSON, exactly what is sent. */
  enqueue(event: AlprEvent, body: string): void;
  /** One attempt now, outside the queue, no retry and no dead letter (`alpr events test`). */
  probe(event: AlprEvent, body: string): Promise<ProbeResult>;
  /** Deliver what is queued until `deadline` (ms since epoch), then dead-letter the rest. Idempotent. */
  close(deadline: number): Promise<void>;
  depth(): number;
  up(): boolean;
}
