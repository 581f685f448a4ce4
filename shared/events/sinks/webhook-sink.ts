// Delivers events to one webhook endpoint: HTTP POST of the event's JSON, signed per attempt with the
// endpoint's secret (Standard Webhooks headers), one event at a time in publish order, retried with
// exponential back-off and jitter on network errors, timeouts, 429 and 5xx, given up on (dead letter)
// after the last attempt or on any other answer. Redirects are not followed. Logs name the endpoint,
// never its URL.
import type { Logger } from '../../logging/logger.js';
import type { Clock } from '../../runtime/clock.js';
import { ALPR_VERSION } from '../../runtime/version.js';
import {
  type AttemptOutcome,
  attemptVerdict,
  describeOutcome,
  parseRetryAfter,
  type RetryPolicy,
  retryDelay,
} from '../delivery-policy.js';
import type { AlprEvent, EventType } from '../event-catalog.js';
import { webhookHeaders } from '../webhook-signature.js';
import { BoundedQueue } from './bounded-queue.js';
import type { DeadLetterFile } from './dead-letter-file.js';
import type { EventMetrics } from './event-metrics.js';
import type { EventSink, ProbeResult } from './event-sink.js';

export interface WebhookSinkOptions {
  name: string;
  url: string;
  /** Safe to print: the URL without its query string. */
  displayUrl: string;
  key: Buffer;
  types?: readonly EventType[];
  timeoutMs: number;
  retry: RetryPolicy;
  queueSize: number;
  deadLetters: DeadLetterFile;
  metrics: EventMetrics;
  clock: Clock;
  logger: Logger;
  random?: () => number;
}

interface Item {
  event: AlprEvent;
  body: string;
}

export class WebhookSink implements EventSink {
  readonly name: string;
  private readonly queue: BoundedQueue<Item>;
  private readonly types: ReadonlySet<EventType> | undefined;
  private readonly log: Logger;
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private closed = false;
  private lastOk = true;
  private failing = false;
  private warnedDrop = false;

  constructor(private readonly options: WebhookSinkOptions) {
    this.name = options.name;
    this.queue = new BoundedQueue(options.queueSize);
    this.types = options.types && new Set(options.types);
    this.log = options.logger.child({ component: 'events', endpoint: options.name });
  }

  accepts(type: EventType): boolean {
    return !this.types || this.types.has(type);
  }

  depth(): number {
    return this.queue.size;
  }

  up(): boolean {
    return this.lastOk;
  }

  start(): void {
    this.running ??= this.loop();
  }

  enqueue(event: AlprEvent, body: string): void {
    if (this.closed) {
      this.deadLetter({ event, body }, 'shutdown', 0);
      return;
    }
    const dropped = this.queue.push({ event, body });
    if (dropped) {
      this.options.metrics.dropped.inc({ endpoint: this.name });
      if (!this.warnedDrop) {
        this.log.warn(
          { queueSize: this.options.queueSize },
          'webhook queue full; dropping the oldest events',
        );
        this.warnedDrop = true;
      }
    }
    this.wake?.();
  }

  async probe(event: AlprEvent, body: string): Promise<ProbeResult> {
    const started = performance.now();
    const outcome = await this.attempt(event, body);
    return {
      endpoint: this.name,
      target: this.options.displayUrl,
      ok: attemptVerdict(outcome) === 'delivered',
      outcome: describeOutcome(outcome),
      ms: Math.round(performance.now() - started),
    };
  }

  close(deadline: number): Promise<void> {
    this.closing ??= this.closeOnce(deadline);
    return this.closing;
  }

  private async closeOnce(deadline: number): Promise<void> {
    this.closed = true;
    // At the deadline, in-flight requests and back-off waits end; what is left is dead-lettered.
    const timer = setTimeout(() => this.abort.abort(), Math.max(0, deadline - this.options.clock()));
    this.wake?.();
    try {
      await (this.running ?? Promise.resolve());
    } finally {
      clearTimeout(timer);
    }
    const left = this.queue.drain();
    for (const item of left) this.deadLetter(item, 'shutdown', 0, false);
    if (left.length > 0) this.log.warn({ reason: 'shutdown', events: left.length }, 'events dead-lettered');
  }

  private async loop(): Promise<void> {
    for (;;) {
      const item = this.queue.shift();
      if (item) {
        await this.deliver(item);
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }

  private async deliver(item: Item): Promise<void> {
    const { retry, metrics } = this.options;
    for (let attempt = 1; ; attempt++) {
      if (this.abort.signal.aborted) {
        this.deadLetter(item, 'shutdown', attempt - 1);
        return;
      }
      const outcome = await this.attempt(item.event, item.body);
      const verdict = attemptVerdict(outcome);
      if (verdict === 'delivered') {
        metrics.sent.inc({ endpoint: this.name });
        this.lastOk = true;
        if (this.failing) this.log.info({ attempt }, 'webhook endpoint accepts events again');
        this.failing = false;
        return;
      }
      metrics.attemptsFailed.inc({ endpoint: this.name });
      this.lastOk = false;
      const reason = this.abort.signal.aborted ? 'shutdown' : describeOutcome(outcome);
      const entry = { outcome: reason, attempt, eventId: item.event.id, type: item.event.type };
      if (!this.failing) this.log.warn(entry, 'webhook delivery failed');
      else this.log.debug(entry, 'webhook delivery failed again');
      this.failing = true;
      if (verdict === 'final' || attempt > retry.retries || this.abort.signal.aborted) {
        this.deadLetter(item, reason, attempt);
        return;
      }
      const retryAfterS = outcome.kind === 'status' ? outcome.retryAfterS : undefined;
      await this.sleep(retryDelay(attempt, retry, this.options.random ?? Math.random, retryAfterS));
    }
  }

  private async attempt(event: AlprEvent, body: string): Promise<AttemptOutcome> {
    const { clock, key, url, timeoutMs } = this.options;
    const now = clock();
    try {
      const response = await fetch(url, {
        method: 'POST',
        body,
        redirect: 'manual',
        headers: {
          ...webhookHeaders(key, event.id, now, body),
          'content-type': 'application/json',
          'user-agent': `alpr/${ALPR_VERSION}`,
        },
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), this.abort.signal]),
      });
      // The answer's body is not needed (and never logged): release the connection.
      await response.body?.cancel().catch(() => undefined);
      return {
        kind: 'status',
        status: response.status,
        retryAfterS: parseRetryAfter(response.headers.get('retry-after'), clock()),
      };
    } catch (error) {
      const e = error as { name?: string; code?: string; cause?: { code?: string } };
      if (e.name === 'TimeoutError') return { kind: 'timeout' };
      return { kind: 'network', code: e.cause?.code ?? e.code ?? e.name ?? 'error' };
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.abort.signal;
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private deadLetter(item: Item, reason: string, attempts: number, log = true): void {
    this.options.metrics.deadLetter.inc({ endpoint: this.name });
    this.options.deadLetters.append({
      at: new Date(this.options.clock()).toISOString(),
      endpoint: this.name,
      reason,
      attempts,
      event: item.event,
    });
    if (log)
      this.log.warn(
        { reason, attempts, eventId: item.event.id, type: item.event.type },
        'event dead-lettered',
      );
  }
}
