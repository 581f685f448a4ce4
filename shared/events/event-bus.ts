// The event bus of one process (an edge or the hub): publish → prove plate-free → rate rule → every
// configured sink that takes the type. Publishing never throws into the caller (a camera's state change
// must not fail because a receiver is down) and never blocks: sinks deliver from their own queues.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logging/logger.js';
import type { Clock } from '../runtime/clock.js';
import {
  type AlprEvent,
  type DeclaredIdKind,
  type EventData,
  type EventType,
  makeEvent,
} from './event-catalog.js';
import { checkEvent } from './plate-free.js';
import { admit, due, newRateState, type RateRule } from './rate-rule.js';
import type { EventMetrics } from './sinks/event-metrics.js';
import type { EventSink, ProbeResult } from './sinks/event-sink.js';

export interface EventBusOptions {
  source: AlprEvent['source'];
  sinks: EventSink[];
  rule: RateRule;
  /** Shared with the sinks, which count deliveries in it. */
  metrics: EventMetrics;
  clock: Clock;
  logger: Logger;
  /** Ids events may carry besides the node id (cameras, edges); more can be declared later. */
  declared?: Partial<Record<Exclude<DeclaredIdKind, 'node'>, Iterable<string>>>;
  /** At close, sinks get this long to deliver what they hold. */
  flushMs: number;
  newId?: () => string;
}

export type PublishOutcome = 'queued' | 'refused' | 'suppressed';

export class EventBus {
  readonly metrics: EventMetrics;
  private readonly ids: { node: Set<string>; camera: Set<string>; edge: Set<string> };
  private readonly state = newRateState();
  private readonly log: Logger;
  private timer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: EventBusOptions) {
    this.log = options.logger.child({ component: 'events' });
    this.metrics = options.metrics;
    this.ids = {
      node: new Set([options.source.nodeId]),
      camera: new Set(options.declared?.camera ?? []),
      edge: new Set(options.declared?.edge ?? []),
    };
    for (const sink of options.sinks) this.metrics.addSink(sink);
  }

  get sinks(): readonly EventSink[] {
    return this.options.sinks;
  }

  get nodeId(): string {
    return this.options.source.nodeId;
  }

  /** Start the sinks and the timer that releases events the rate rule held back. */
  start(): void {
    for (const sink of this.options.sinks) sink.start();
    const every = Math.max(250, Math.min(5000, Math.floor(this.options.rule.windowMs / 10)));
    this.timer = setInterval(() => this.release(false), every);
    this.timer.unref();
  }

  /** Allow events about these ids (cameras added by a config reload, edges the hub knows). */
  declare(kind: Exclude<DeclaredIdKind, 'node'>, ids: Iterable<string>): void {
    for (const id of ids) this.ids[kind].add(id);
  }

  /**
   * Publish one event now (id drawn here, time from the clock). Refused when it cannot be proven
   * plate-free (counted and logged, never sent), suppressed by the rate rule, else queued on every sink.
   */
  publish<T extends EventType>(type: T, data: EventData<T>): PublishOutcome {
    try {
      const event = makeEvent(type, data, {
        id: (this.options.newId ?? randomUUID)(),
        now: this.options.clock(),
        source: this.options.source,
      });
      return this.offer(event);
    } catch (error) {
      this.log.error({ err: error, type }, 'event could not be published');
      return 'refused';
    }
  }

  /** Offer a ready-made event (any value): the same checks as publish(). */
  offer(value: unknown): PublishOutcome {
    const check = checkEvent(value, this.ids);
    const type = check.ok ? check.event.type : check.type;
    this.metrics.published.inc({ type });
    if (!check.ok) {
      this.metrics.refused.inc({ type });
      // Paths and codes only: never the value that could not be proven plate-free.
      this.log.error({ type, problems: check.problems }, 'event refused: not provably plate-free; not sent');
      return 'refused';
    }
    if (this.closing) {
      this.dispatch([check.event]);
      return 'queued';
    }
    const admission = admit(this.state, check.event, this.options.clock(), this.options.rule);
    if (admission.suppressed > 0) this.metrics.suppressed.inc({ type });
    this.dispatch(admission.send);
    return admission.send.some((e) => e.id === check.event.id) ? 'queued' : 'suppressed';
  }

  /** One direct attempt per sink (no queue, no retry): what `alpr events test` prints. */
  async probe(): Promise<ProbeResult[]> {
    const event = makeEvent(
      'events.test',
      { requestedBy: 'cli' },
      {
        id: (this.options.newId ?? randomUUID)(),
        now: this.options.clock(),
        source: this.options.source,
      },
    );
    const check = checkEvent(event, this.ids);
    if (!check.ok) throw new Error('the test event did not pass the plate-free check');
    const body = JSON.stringify(check.event);
    return Promise.all(this.options.sinks.map((s) => s.probe(check.event, body)));
  }

  /** Send what the rate rule still holds, then let sinks deliver until the flush bound. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    clearInterval(this.timer);
    this.release(true);
    const deadline = this.options.clock() + this.options.flushMs;
    await Promise.all(this.options.sinks.map((s) => s.close(deadline)));
  }

  private release(force: boolean): void {
    try {
      this.dispatch(due(this.state, this.options.clock(), this.options.rule, force));
    } catch (error) {
      this.log.error({ err: error }, 'releasing held-back events failed');
    }
  }

  private dispatch(events: AlprEvent[]): void {
    for (const event of events) {
      const body = JSON.stringify(event);
      for (const sink of this.options.sinks) {
        if (!sink.accepts(event.type)) continue;
        try {
          sink.enqueue(event, body);
        } catch (error) {
          this.log.error({ err: error, endpoint: sink.name }, 'event sink failed to queue an event');
        }
      }
    }
  }
}
