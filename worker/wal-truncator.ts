// After a purge whose final checkpoint could not truncate the WAL (another connection held a read
// snapshot), the deleted plates still sit in the WAL's old page images and in database pages not yet
// copied back. This keeps trying, with growing pauses and without blocking on the busy handler, until the
// truncate succeeds (audited) or a bound passes (logged and shown in /health), so the bytes are gone
// within minutes rather than at the next purge.
import { setTimeout as sleep } from 'node:timers/promises';
import { AuditKind } from '../shared/audit/audit-log.js';
import type { Logger } from '../shared/logging/logger.js';
import type { Clock } from '../shared/runtime/clock.js';
import type { PurgeRepository } from '../shared/store/purge.repository.js';
import type { Store } from '../shared/store/store.js';

export interface WalRetryPolicy {
  /** First pause before retrying (default 1 s); doubles per attempt. */
  firstDelayMs: number;
  /** Longest pause between attempts (default 30 s). */
  maxDelayMs: number;
  /** Stop trying after this long (default 15 min): /health then reports the WAL as stuck. */
  giveUpAfterMs: number;
}

export const DEFAULT_WAL_RETRY: WalRetryPolicy = {
  firstDelayMs: 1000,
  maxDelayMs: 30_000,
  giveUpAfterMs: 15 * 60_000,
};

export interface WalStatus {
  /** A purge left the WAL untruncated and retries are under way. */
  pending: boolean;
  runId?: string;
  since?: string;
  attempts: number;
  /** Set when the retries gave up: deleted plates may remain on disk until the next purge. */
  gaveUpAt?: string;
}

export class WalTruncator {
  private running: Promise<void> | undefined;
  private state: WalStatus = { pending: false, attempts: 0 };

  constructor(
    private readonly deps: {
      repo: Pick<PurgeRepository, 'checkpoint'>;
      store: Store;
      policy: WalRetryPolicy;
      clock: Clock;
      logger: Logger;
    },
  ) {}

  status(): WalStatus {
    return { ...this.state };
  }

  /** Start retrying for `runId` (one retry loop at a time: each attempt truncates everything). */
  schedule(runId: string, actor: string, signal?: AbortSignal): void {
    if (this.running) return;
    const since = this.deps.clock();
    this.state = { pending: true, runId, since: new Date(since).toISOString(), attempts: 0 };
    this.running = this.retry(runId, actor, since, signal)
      .catch((error: unknown) => {
        this.deps.logger.error({ err: error, runId }, 'WAL truncate retries failed');
      })
      .finally(() => {
        this.running = undefined;
      });
  }

  /** A later purge truncated the WAL itself: an earlier give-up no longer stands. */
  truncated(): void {
    if (!this.running) this.state = { pending: false, attempts: 0 };
  }

  /** Resolves when no retry loop runs (after an abort, at once). */
  async idle(): Promise<void> {
    await this.running;
  }

  private async retry(runId: string, actor: string, since: number, signal?: AbortSignal): Promise<void> {
    const { policy, logger, clock } = this.deps;
    const started = performance.now();
    let delay = policy.firstDelayMs;
    for (;;) {
      try {
        await sleep(delay, undefined, { signal, ref: false });
      } catch {
        this.state = { ...this.state, pending: false };
        return; // shutting down: the next purge truncates again
      }
      this.state.attempts += 1;
      const result = this.deps.repo.checkpoint('TRUNCATE', { wait: false });
      if (result.busy === 0 && result.walFrames === 0) {
        const at = clock();
        this.deps.store.audit.append(
          {
            kind: AuditKind.purgeWalTruncated,
            actor,
            payload: { runId, attempts: this.state.attempts, afterMs: Math.max(0, at - since) },
          },
          at,
        );
        // The audit append wrote a few pages of its own: cut those too (nothing of them is a plate).
        this.deps.repo.checkpoint('TRUNCATE', { wait: false });
        logger.info({ runId, attempts: this.state.attempts }, 'WAL truncated after the purge');
        this.state = { pending: false, runId, attempts: this.state.attempts };
        return;
      }
      if (performance.now() - started >= policy.giveUpAfterMs) {
        logger.error(
          { runId, attempts: this.state.attempts },
          'WAL still not truncated: a connection keeps an old read snapshot open; deleted plates remain on disk until it closes and the next purge runs',
        );
        this.state = { ...this.state, pending: false, gaveUpAt: new Date(clock()).toISOString() };
        return;
      }
      delay = Math.min(policy.maxDelayMs, delay * 2);
    }
  }
}
