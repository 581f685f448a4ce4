// The PassTracker the edge runs: the pure pass tracker, then every ended pass through the pass screen
// (fixed text, evidence, parked-car repeats; shared/plates/pass-screen). What the screen refuses is
// counted per camera and reason and never reaches the gate. Hooks let `alpr eval` see every pass.

import {
  createPassScreen,
  type PassScreen,
  type PassScreenSettings,
  type ScreenRefusal,
  type ScreenVerdict,
} from '../../shared/plates/pass-screen.js';
import type { PassRead, PlatePassTracker } from '../../shared/plates/pass-tracker.js';
import type { DiscardCount, PassTracker, PlateObservation, PlatePass } from './stages.js';

export interface ScreenedTrackerHooks {
  /** Every pass the tracker ended, with the screen's verdict (before the gate). */
  onPass?: (pass: PassRead, verdict: ScreenVerdict) => void;
}

export class ScreenedTracker implements PassTracker {
  private readonly screen: PassScreen;
  private readonly refusals = new Map<string, Map<ScreenRefusal, number>>();

  constructor(
    private readonly tracker: PlatePassTracker,
    settings: PassScreenSettings,
    private readonly hooks: ScreenedTrackerHooks = {},
  ) {
    this.screen = createPassScreen(settings);
  }

  observe(cameraId: string, capturedAt: number, observations: PlateObservation[]): PlatePass[] {
    return this.admit(this.tracker.observe(cameraId, capturedAt, observations));
  }

  flush(now: number): PlatePass[] {
    return this.admit(this.tracker.flush(now));
  }

  flushAll(): PlatePass[] {
    return this.admit(this.tracker.flushAll());
  }

  /** Passes the screen refused, per camera and reason. */
  discarded(): DiscardCount[] {
    return [...this.refusals].flatMap(([cameraId, byReason]) =>
      [...byReason].map(([reason, count]) => ({ cameraId, reason, count })),
    );
  }

  /** Tracker counters (emitted, dropped below the rules, fixed-text reads that started no pass). */
  trackerStats() {
    return this.tracker.stats();
  }

  private admit(passes: PassRead[]): PlatePass[] {
    const admitted: PlatePass[] = [];
    for (const pass of passes) {
      // The screen's clock is the pass's own time, so a replayed clip or a backlog is judged alike.
      const verdict = this.screen.admit(pass, pass.evidence.lastSeenAt);
      this.hooks.onPass?.(pass, verdict);
      if (verdict.store) admitted.push(pass);
      else {
        const byReason = this.refusals.get(pass.cameraId) ?? new Map<ScreenRefusal, number>();
        byReason.set(verdict.reason, (byReason.get(verdict.reason) ?? 0) + 1);
        this.refusals.set(pass.cameraId, byReason);
      }
    }
    return admitted;
  }
}
