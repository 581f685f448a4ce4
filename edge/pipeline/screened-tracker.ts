// The PassTracker the edge runs: the pure pass tracker, then every ended pass through the pass screen
// (fixed text, evidence, parked-car repeats; shared/plates/pass-screen). A pass that never moved and
// whose text is still on screen, at a place not yet learned as fixed text, is held until that is
// settled: learned → fixed text, refused; gone → judged like any pass. (Overlay text that the tracker
// loses for a moment must not slip through as several short passes.) What the screen refuses is
// counted per camera and reason and never reaches the gate. Hooks let `alpr eval` see every pass.

import {
  createPassScreen,
  neverMoved,
  type PassScreen,
  type PassScreenSettings,
  type ScreenRefusal,
  type ScreenVerdict,
} from '../../shared/plates/pass-screen.js';
import type { PassRead, PlatePassTracker } from '../../shared/plates/pass-tracker.js';
import { type StaticTextLearner, samePlace } from '../../shared/plates/static-text.js';
import type { DiscardCount, PassTracker, PlateObservation } from './stages.js';

export interface ScreenedTrackerHooks {
  /** Every pass the tracker ended, with the screen's verdict (before the gate). */
  onPass?: (pass: PassRead, verdict: ScreenVerdict) => void;
}

const MAX_HELD = 256;

export class ScreenedTracker implements PassTracker {
  private readonly screen: PassScreen;
  private readonly refusals = new Map<string, Map<ScreenRefusal, number>>();
  private held: PassRead[] = [];

  constructor(
    private readonly tracker: PlatePassTracker,
    settings: PassScreenSettings,
    private readonly hooks: ScreenedTrackerHooks = {},
    /** The recognizer's fixed-text learner, when learning is on. */
    private readonly fixedText?: Pick<StaticTextLearner, 'placeOf'>,
  ) {
    this.screen = createPassScreen(settings);
  }

  observe(cameraId: string, capturedAt: number, observations: PlateObservation[]): PassRead[] {
    const ended = this.admit(this.tracker.observe(cameraId, capturedAt, observations), true);
    return [...ended, ...this.recheck((p) => p.cameraId === cameraId, capturedAt)];
  }

  flush(now: number): PassRead[] {
    return [...this.admit(this.tracker.flush(now), true), ...this.recheck(() => true, now)];
  }

  flushAll(): PassRead[] {
    const held = this.held;
    this.held = [];
    const settled = held.flatMap((p) => {
      const place = this.placeOf(p, p.evidence.lastSeenAt);
      return place === 'learned' ? this.refuse(p, 'static_text') : this.decide(p);
    });
    return [...this.admit(this.tracker.flushAll(), false), ...settled];
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

  /** Passes waiting for their place to be settled as fixed text or not. */
  get heldCount(): number {
    return this.held.length;
  }

  private placeOf(pass: PassRead, now: number) {
    return this.fixedText?.placeOf(pass.cameraId, pass.textBox ?? pass.box, now) ?? 'none';
  }

  private admit(passes: PassRead[], mayHold: boolean): PassRead[] {
    return passes.flatMap((pass) => {
      if (this.fixedText && neverMoved(pass)) {
        const place = this.placeOf(pass, pass.evidence.lastSeenAt);
        if (place === 'learned') return this.refuse(pass, 'static_text');
        if (place === 'watched' && mayHold) {
          this.hold(pass);
          return [];
        }
      }
      return this.decide(pass);
    });
  }

  private recheck(which: (p: PassRead) => boolean, now: number): PassRead[] {
    if (this.held.length === 0) return [];
    const keep: PassRead[] = [];
    const out: PassRead[] = [];
    for (const pass of this.held) {
      const place = which(pass) ? this.placeOf(pass, now) : 'watched';
      if (place === 'watched') keep.push(pass);
      else if (place === 'learned') this.refuse(pass, 'static_text');
      else out.push(...this.decide(pass));
    }
    this.held = keep;
    return out;
  }

  /** Hold a pass; one held pass per place (a lost-and-found overlay is one pass, not several). */
  private hold(pass: PassRead): void {
    const box = pass.textBox ?? pass.box;
    const same = this.held.find(
      (h) => h.cameraId === pass.cameraId && samePlace(h.textBox ?? h.box, box, 0.5),
    );
    if (!same) {
      this.held.push(pass);
      // Bounded: the oldest held pass is judged now rather than kept forever.
      if (this.held.length > MAX_HELD) this.decide(this.held.shift()!);
      return;
    }
    const e = same.evidence;
    e.framesSeen += pass.evidence.framesSeen;
    e.firstSeenAt = Math.min(e.firstSeenAt, pass.evidence.firstSeenAt);
    e.lastSeenAt = Math.max(e.lastSeenAt, pass.evidence.lastSeenAt);
    e.perFrame = [...e.perFrame, ...pass.evidence.perFrame].sort((a, b) => a.at - b.at).slice(-50);
    e.travelPx = Math.max(e.travelPx ?? 0, pass.evidence.travelPx ?? 0);
    if (pass.confidence > same.confidence) {
      Object.assign(same, { plate: pass.plate, rawText: pass.rawText, confidence: pass.confidence });
    }
  }

  private decide(pass: PassRead): PassRead[] {
    // The screen's clock is the pass's own time, so a replayed clip or a backlog is judged alike.
    const verdict = this.screen.admit(pass, pass.evidence.lastSeenAt);
    this.hooks.onPass?.(pass, verdict);
    if (verdict.store) return [pass];
    this.count(pass.cameraId, verdict.reason);
    return [];
  }

  private refuse(pass: PassRead, reason: ScreenRefusal): PassRead[] {
    this.hooks.onPass?.(pass, { store: false, reason });
    this.count(pass.cameraId, reason);
    return [];
  }

  private count(cameraId: string, reason: ScreenRefusal): void {
    const byReason = this.refusals.get(cameraId) ?? new Map<ScreenRefusal, number>();
    byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
    this.refusals.set(cameraId, byReason);
  }
}
