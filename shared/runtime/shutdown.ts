// Layered, idempotent shutdown: cameras stop first, then services (worker, HTTP), then the store.
// Every step runs even if an earlier one fails or hangs; calling shutdown twice returns the same promise.
import type { Logger } from '../logging/logger.js';

/** Lower layers stop first. `audit`: the last signed head, after everything that appends, before the store closes. */
export const ShutdownLayer = { ingest: 10, services: 20, audit: 25, store: 30 } as const;

interface Step {
  name: string;
  layer: number;
  run: () => Promise<void> | void;
}

export class Shutdown {
  private readonly steps: Step[] = [];
  private running: Promise<void> | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly stepTimeoutMs = 15_000,
  ) {}

  /** Register a step; steps of one layer run concurrently, layers run in ascending order. */
  add(name: string, layer: number, run: () => Promise<void> | void): void {
    this.steps.push({ name, layer, run });
  }

  get started(): boolean {
    return this.running !== undefined;
  }

  run(reason: string): Promise<void> {
    this.running ??= this.runSteps(reason);
    return this.running;
  }

  private async runSteps(reason: string): Promise<void> {
    this.logger.info({ reason }, 'shutting down');
    const layers = [...new Set(this.steps.map((s) => s.layer))].sort((a, b) => a - b);
    for (const layer of layers) {
      const steps = this.steps.filter((s) => s.layer === layer);
      await Promise.all(steps.map((step) => this.runStep(step)));
    }
    this.logger.info('shutdown complete');
  }

  private async runStep(step: Step): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.stepTimeoutMs);
    });
    try {
      const outcome = await Promise.race([Promise.resolve().then(step.run), timeout]);
      if (outcome === 'timeout') {
        this.logger.error({ step: step.name, timeoutMs: this.stepTimeoutMs }, 'shutdown step timed out');
      }
    } catch (error) {
      this.logger.error({ step: step.name, err: error }, 'shutdown step failed');
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Run `shutdown` on SIGINT/SIGTERM; a second signal while shutting down forces exit.
 * Returns a function that removes the handlers.
 */
export function handleSignals(shutdown: Shutdown, logger: Logger, exit = process.exit): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    if (shutdown.started) {
      logger.warn({ signal }, 'second signal during shutdown: exiting now');
      exit(130);
      return;
    }
    void shutdown.run(signal).then(() => exit(0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
