// The forwarder in the edge process: on its own timer, sends what the store holds to the hub in order:
// cameras and verdicts, then reads after the cursor (bounded batches), then purge receipts, then signed
// audit heads. A cursor moves only on the hub's 200. Network errors, timeouts, 5xx and 401 back off
// (exponential, capped, jittered) and resend the same data; any other 4xx is not resent unchanged: the
// batch is halved, and a single item the hub still rejects is logged, counted and skipped. It never
// touches recognition or storage: short indexed SQLite reads, one request at a time, a turn yielded
// between batches.
import { setImmediate as yieldTurn } from 'node:timers/promises';
import type { Registry } from 'prom-client';
import type { ForwardConfig } from '../../shared/config/forward.schema.js';
import type { EventBus } from '../../shared/events/event-bus.js';
import { forwardingLagStep, type LagState } from '../../shared/events/forwarding-lag.js';
import { INGEST_PATHS, type ReadsAnswer } from '../../shared/forward/wire.js';
import type { Logger } from '../../shared/logging/logger.js';
import type { Clock } from '../../shared/runtime/clock.js';
import type { Store } from '../../shared/store/store.js';
import { backoffDelay } from '../ingest/backoff.js';
import { type Batch, headsBatch, readsBatch, receiptsBatch, verdictBatch } from './forward-batches.js';
import { type CursorName, ForwardCursors } from './forward-cursors.js';
import { ForwardMetrics } from './forward-metrics.js';
import type { HeadSource } from './head-source.js';
import { HubClient, type HubResponse, RETRYABLE, type SendErrorKind } from './hub-client.js';
import { ForwardOutbox } from './outbox.js';

/** How long heads wait after the hub refused them (a fork or an unpinned key needs an admin). */
const HEADS_REFUSED_PAUSE_MS = 600_000;
const ITEMS_PER_REQUEST = 500;

export interface ForwarderOptions {
  store: Pick<Store, 'db'>;
  config: ForwardConfig & { hubUrl: string };
  edgeId: string;
  secret: Buffer;
  heads?: HeadSource;
  registry: Registry;
  clock: Clock;
  logger: Logger;
  random?: () => number;
  /** `forwarding.lag` / `forwarding.caught_up` go here (docs/events.md), sampled after every cycle */
  events?: Pick<EventBus, 'publish'>;
}

export interface ForwardHealth {
  hubUrl: string;
  state: 'starting' | 'ok' | 'backing_off' | 'stopped';
  backlogReads: number;
  oldestUnforwardedAgeS: number | null;
  lastSuccessAt: string | null;
  lastError: { kind: SendErrorKind | 'internal'; message: string; at: string } | null;
  cursors: Record<CursorName, number>;
  /** the oldest read waiting is older than forward.maxLagS */
  degraded: boolean;
}

type Failure = Extract<HubResponse<unknown>, { ok: false }>;
type Drained = 'done' | 'more' | Failure;

export class Forwarder {
  private readonly client: HubClient;
  private readonly outbox: ForwardOutbox;
  private readonly cursors: ForwardCursors;
  private readonly metrics: ForwardMetrics;
  private readonly limits: Record<'verdicts' | 'reads' | 'receipts' | 'heads', number>;
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private started = false;
  private failures = 0;
  private lastSuccessAt: number | null = null;
  private lastReadsAckAt = 0;
  private lastError: ForwardHealth['lastError'] = null;
  private headsPausedUntil = 0;
  private memo: { at: number; reads: number; oldestStoredAt: number | null } | undefined;
  /** reads wait for a verdict stored after this cycle's verdicts step: run the next cycle at once */
  private verdictsPending = false;
  private lagState: LagState = 'ok';

  constructor(private readonly options: ForwarderOptions) {
    const { config } = options;
    this.client = new HubClient({
      hubUrl: config.hubUrl,
      edgeId: options.edgeId,
      secret: options.secret,
      timeoutMs: config.requestTimeoutMs,
      clock: options.clock,
    });
    this.outbox = new ForwardOutbox(options.store.db);
    this.cursors = new ForwardCursors(options.store.db);
    this.limits = {
      verdicts: ITEMS_PER_REQUEST,
      reads: config.batchSize,
      receipts: ITEMS_PER_REQUEST,
      heads: ITEMS_PER_REQUEST,
    };
    this.metrics = new ForwardMetrics(options.registry, {
      backlog: () => {
        const b = this.backlog();
        return {
          reads: b.reads,
          oldestAgeS: b.oldestStoredAt === null ? null : (options.clock() - b.oldestStoredAt) / 1000,
        };
      },
      lastSuccessAt: () => this.lastSuccessAt,
    });
  }

  /** Start forwarding on its own timer (first cycle at once). */
  start(): void {
    if (this.started) return;
    this.started = true;
    if (this.cursors.bindTo(this.options.config.hubUrl)) {
      this.options.logger.warn(
        { hubUrl: this.options.config.hubUrl },
        'forwarding to another hub: starting over from the first read',
      );
    }
    this.schedule(0);
  }

  /**
   * Stop: no new cycle. With `flushMs`, first wait for the cycle in flight and run one last cycle (bounded
   * by flushMs) so what was stored up to the shutdown, e.g. passes the cameras flushed as they stopped,
   * reaches the hub; whatever is still in flight then is abandoned and resent at the next start.
   */
  async stop(options: { flushMs?: number } = {}): Promise<void> {
    if (this.stopped) return this.running;
    this.stopped = true;
    clearTimeout(this.timer);
    const flushMs = options.flushMs ?? 0;
    if (flushMs <= 0) {
      this.abort.abort();
      return this.running;
    }
    const deadline = setTimeout(() => this.abort.abort(), flushMs);
    try {
      await this.running;
      if (!this.abort.signal.aborted && this.started) {
        this.running = this.cycle().then(() => undefined);
        await this.running;
      }
    } finally {
      clearTimeout(deadline);
      this.abort.abort();
    }
  }

  /** One full cycle now (tests, `drain`); returns the delay the timer would wait before the next. */
  async runOnce(): Promise<number> {
    if (!this.started) {
      this.started = true;
      this.cursors.bindTo(this.options.config.hubUrl);
    }
    return this.cycle();
  }

  health(): ForwardHealth {
    const b = this.backlog();
    const ageS =
      b.oldestStoredAt === null ? null : Math.max(0, (this.options.clock() - b.oldestStoredAt) / 1000);
    return {
      hubUrl: this.options.config.hubUrl,
      state: this.stopped
        ? 'stopped'
        : this.failures > 0
          ? 'backing_off'
          : this.lastSuccessAt === null
            ? 'starting'
            : 'ok',
      backlogReads: b.reads,
      oldestUnforwardedAgeS: ageS === null ? null : Math.round(ageS),
      lastSuccessAt: this.lastSuccessAt === null ? null : new Date(this.lastSuccessAt).toISOString(),
      lastError: this.lastError,
      cursors: this.cursors.all(),
      degraded: ageS !== null && ageS > this.options.config.maxLagS,
    };
  }

  private backlog(): { reads: number; oldestStoredAt: number | null } {
    const now = this.options.clock();
    if (!this.memo || now - this.memo.at > 1000) {
      this.memo = { at: now, ...this.outbox.backlog(this.cursors.get('reads')) };
    }
    return this.memo;
  }

  /** After a cycle: is the lag news (over forward.maxLagS, or back under half of it)? */
  private sampleLag(): void {
    const { events, clock, config } = this.options;
    if (!events) return;
    const b = this.backlog();
    const lagS = b.oldestStoredAt === null ? 0 : Math.max(0, (clock() - b.oldestStoredAt) / 1000);
    const step = forwardingLagStep(
      this.lagState,
      { lagS, pendingReads: b.reads, lastForwardedAt: this.lastSuccessAt ?? undefined },
      config.maxLagS,
    );
    this.lagState = step.state;
    if (step.event?.type === 'forwarding.lag') events.publish('forwarding.lag', step.event.data);
    else if (step.event) events.publish('forwarding.caught_up', step.event.data);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.cycle().then((next) => this.schedule(next));
    }, ms);
    this.timer.unref();
  }

  private async cycle(): Promise<number> {
    try {
      return await this.cycleSteps();
    } finally {
      this.sampleLag();
    }
  }

  private async cycleSteps(): Promise<number> {
    const { config, logger } = this.options;
    try {
      const steps: (() => Promise<Drained>)[] = [
        () => this.sendVerdicts(),
        () => this.sendReads(),
        () => this.sendReceipts(),
        () => this.sendHeads(),
      ];
      let more = false;
      this.verdictsPending = false;
      for (const step of steps) {
        if (this.abort.signal.aborted) return config.everyMs;
        const outcome = await step();
        if (typeof outcome === 'object') return this.failed(outcome);
        more ||= outcome === 'more';
      }
      if (this.failures > 0)
        logger.info({ afterFailures: this.failures }, 'hub reachable again: forwarding resumed');
      this.failures = 0;
      this.memo = undefined;
      return more || this.verdictsPending ? 0 : config.everyMs;
    } catch (error) {
      // An outbox read failed (store locked too long, disk error): say so and try again later.
      this.failures += 1;
      this.lastError = {
        kind: 'internal',
        message: (error as Error).message,
        at: new Date(this.options.clock()).toISOString(),
      };
      logger.error({ err: error }, 'forwarding cycle failed');
      return this.delay();
    }
  }

  private delay(retryAfterMs = 0): number {
    const { config, random } = this.options;
    const policy = {
      initialMs: config.backoffInitialMs,
      maxMs: config.backoffMaxMs,
      jitter: config.backoffJitter,
    };
    return Math.max(retryAfterMs, backoffDelay(this.failures, policy, random ?? Math.random));
  }

  private failed(f: Failure): number {
    if (this.abort.signal.aborted) return this.options.config.everyMs;
    this.failures += 1;
    this.lastError = { kind: f.kind, message: f.message, at: new Date(this.options.clock()).toISOString() };
    const delay = this.delay(f.retryAfterMs);
    const log = this.failures === 1 || this.failures % 10 === 0 ? 'warn' : 'debug';
    this.options.logger[log](
      { kind: f.kind, status: f.status, problem: f.message, failures: this.failures, retryInMs: delay },
      'hub send failed: backing off, nothing is lost',
    );
    return delay;
  }

  private async drain<B, A>(
    endpoint: keyof Forwarder['limits'],
    path: string,
    cursor: CursorName,
    next: (limit: number) => Batch<B> | undefined,
    ack: (answer: A, batch: Batch<B>) => void,
    rounds = 10,
  ): Promise<Drained> {
    const defaultLimit = endpoint === 'reads' ? this.options.config.batchSize : ITEMS_PER_REQUEST;
    for (let round = 0; round < rounds; round++) {
      if (this.abort.signal.aborted) return 'done';
      const batch = next(this.limits[endpoint]);
      if (!batch) return 'done';
      const res = await this.client.post<A>(path, batch.body, this.abort.signal);
      if (res.ok) {
        this.metrics.requests.inc({ endpoint });
        this.lastSuccessAt = this.options.clock();
        this.limits[endpoint] = Math.min(defaultLimit, this.limits[endpoint] * 2);
        ack(res.body, batch);
        await yieldTurn();
        continue;
      }
      this.metrics.sendErrors.inc({ kind: res.kind, endpoint });
      if (RETRYABLE.has(res.kind)) return res;
      if (endpoint === 'heads') return res; // handled by sendHeads
      if (batch.size > 1) {
        this.limits[endpoint] = Math.max(1, Math.floor(batch.size / 2));
        this.options.logger.warn(
          { endpoint, status: res.status, problem: res.message, nextSize: this.limits[endpoint] },
          'hub refused a batch: sending smaller batches',
        );
        continue;
      }
      this.options.logger.error(
        { endpoint, status: res.status, problem: res.message, cursor, skipped: batch.lastId },
        'hub rejects this item on its own: skipped (not resent unchanged)',
      );
      if (endpoint === 'reads') this.metrics.reads.inc({ outcome: 'skipped' });
      this.cursors.advance(cursor, batch.lastId);
    }
    return 'more';
  }

  private sendVerdicts(): Promise<Drained> {
    const onUndescribed = (cameras: string[]) =>
      this.options.logger.error(
        { cameras },
        'camera rows without geometry: their verdicts are not forwarded, the hub refuses their reads',
      );
    return this.drain<unknown, unknown>(
      'verdicts',
      INGEST_PATHS.cameras,
      'verdicts',
      (limit) => verdictBatch(this.outbox, this.cursors, limit, onUndescribed),
      (_answer, batch) => this.cursors.advance('verdicts', batch.lastId),
    );
  }

  private sendReads(): Promise<Drained> {
    const { config, clock, logger } = this.options;
    return this.drain<unknown, ReadsAnswer>(
      'reads',
      INGEST_PATHS.reads,
      'reads',
      (limit) => {
        const heartbeatDue = clock() - this.lastReadsAckAt >= config.heartbeatS * 1000;
        const { batch, heldBack } = readsBatch(this.outbox, this.cursors, limit, heartbeatDue);
        // A verdict stored after this cycle's verdicts step: its reads wait for the next cycle, at once.
        if (heldBack) this.verdictsPending = true;
        return batch;
      },
      (answer, batch) => {
        this.lastReadsAckAt = clock();
        // The hub names the batch's highest id; never let an answer move the cursor past what was sent.
        this.cursors.advance('reads', Math.min(Number(answer.cursor) || 0, batch.lastId));
        this.metrics.reads.inc({ outcome: 'accepted' }, answer.accepted?.length ?? 0);
        this.metrics.reads.inc({ outcome: 'duplicate' }, answer.duplicates?.length ?? 0);
        this.metrics.reads.inc({ outcome: 'refused' }, answer.refused?.length ?? 0);
        if (answer.refused?.length) {
          const refused = answer.refused.map((r) => ({
            id: r.edgeReadId,
            reason: r.reason,
            message: r.message,
          }));
          logger.warn({ refused }, 'the hub refused reads (not stored there)');
        }
      },
      config.maxBatchesPerCycle,
    );
  }

  private sendReceipts(): Promise<Drained> {
    return this.drain<unknown, unknown>(
      'receipts',
      INGEST_PATHS.receipts,
      'receipts',
      (limit) => receiptsBatch(this.outbox, this.cursors, limit),
      (_answer, batch) => this.cursors.advance('receipts', batch.lastId),
    );
  }

  private async sendHeads(): Promise<Drained> {
    const source = this.options.heads;
    if (!source || this.options.clock() < this.headsPausedUntil) return 'done';
    const publicKey = source.publicKey();
    if (!publicKey) return 'done';
    const outcome = await this.drain<unknown, unknown>(
      'heads',
      INGEST_PATHS.heads,
      'heads',
      (limit) => headsBatch(source, publicKey, this.cursors, limit),
      (_answer, batch) => this.cursors.advance('heads', batch.lastId),
    );
    if (typeof outcome === 'object' && !RETRYABLE.has(outcome.kind)) {
      // A fork, another key than the pinned one, or a head the hub cannot take: an admin must look.
      this.headsPausedUntil = this.options.clock() + HEADS_REFUSED_PAUSE_MS;
      this.lastError = {
        kind: outcome.kind,
        message: outcome.message,
        at: new Date(this.options.clock()).toISOString(),
      };
      this.options.logger.error(
        { status: outcome.status, problem: outcome.message },
        'the hub refused this edge’s audit heads',
      );
      return 'done';
    }
    return outcome;
  }
}
