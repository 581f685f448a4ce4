// The de-duplication and rate rule, so a flapping camera (or a gate that re-decides every second) does not
// flood receivers. Events are grouped by subject (a camera's state, a camera's gate, forwarding, one hit);
// per subject and window at most `maxPerWindow` are sent, and an event of the same type as the last one
// sent is a duplicate. Held-back events are counted; the latest is kept, and when the window ends it is
// sent if it says something different from the last one sent (the camera is offline again), so a
// receiver's view always ends up at the true state. Pure: state in, decisions out, `now` as an argument.
import type { AlprEvent } from './event-catalog.js';

export interface RateRule {
  /** Length of a window per subject. */
  windowMs: number;
  /** Events per subject and window; 2 lets one offline/back pair through. */
  maxPerWindow: number;
  /** Subjects tracked at most (older ones are forgotten first). */
  maxSubjects?: number;
}

interface Subject {
  windowStart: number;
  sent: number;
  lastSentType: string;
  /** Held back since the last one sent. */
  held: number;
  latest?: AlprEvent;
}

export interface RateState {
  readonly subjects: Map<string, Subject>;
}

export interface Admission {
  /** Events to send now (the admitted one, carrying the count held back before it). */
  send: AlprEvent[];
  /** 1 when this event was held back. */
  suppressed: number;
}

/**
 * The subject an event is rate-limited under; undefined: never limited (a test event).
 * @example rateSubject(event) // 'camera:gate-north' for camera.offline and camera.back alike
 */
export function rateSubject(event: AlprEvent): string | undefined {
  const d = event.data as Record<string, unknown>;
  const node = event.source.nodeId;
  switch (event.type) {
    case 'camera.offline':
    case 'camera.back':
      return `${node}/camera/${d.cameraId}`;
    case 'gate.refusing':
    case 'gate.storing':
      return `${node}/gate/${d.cameraId}`;
    case 'forwarding.lag':
    case 'forwarding.caught_up':
      return `${node}/forwarding/${d.edgeId ?? ''}`;
    case 'retention.missed':
      return `${node}/retention/${d.scope}/${d.edgeId ?? ''}`;
    case 'hit.unverified_waiting':
      return `${node}/hit/${d.hitId}`;
    default:
      return undefined;
  }
}

/**
 * A fresh rule state.
 * @example const state = newRateState();
 */
export function newRateState(): RateState {
  return { subjects: new Map() };
}

/**
 * Decide whether `event`, published at `now`, is sent now or held back. Mutates `state`.
 * @example admit(state, offline, 0, { windowMs: 300_000, maxPerWindow: 2 }) // { send: [offline], suppressed: 0 }
 */
export function admit(state: RateState, event: AlprEvent, now: number, rule: RateRule): Admission {
  const key = rateSubject(event);
  if (key === undefined) return { send: [event], suppressed: 0 };
  let subject = state.subjects.get(key);
  if (subject && now - subject.windowStart >= rule.windowMs) {
    // The window ended: a held-back event that differs from the last one sent goes first, then this one
    // is judged in a fresh window.
    const flushed = endWindow(subject, now);
    if (flushed) {
      const verdict = admitInWindow(subject, event, rule);
      return { send: verdict.send ? [flushed, verdict.send] : [flushed], suppressed: verdict.send ? 0 : 1 };
    }
  }
  if (!subject) {
    subject = { windowStart: now, sent: 0, lastSentType: '', held: 0 };
    state.subjects.set(key, subject);
    forgetOldest(state, rule.maxSubjects ?? 10_000);
  }
  const verdict = admitInWindow(subject, event, rule);
  return verdict.send ? { send: [verdict.send], suppressed: 0 } : { send: [], suppressed: 1 };
}

/**
 * Events held back whose window has ended and that change what receivers last heard; call on a timer
 * (and with `force` at shutdown, to send every such event now). Also forgets idle subjects.
 * @example due(state, now, rule) // [the camera.offline held back while the camera flapped]
 */
export function due(state: RateState, now: number, rule: RateRule, force = false): AlprEvent[] {
  const out: AlprEvent[] = [];
  for (const [key, subject] of state.subjects) {
    if (!force && now - subject.windowStart < rule.windowMs) continue;
    const flushed = endWindow(subject, now);
    if (flushed) out.push(flushed);
    else if (subject.held === 0) state.subjects.delete(key);
  }
  return out;
}

/** Start a new window at `now`; returns the held-back event to send, if it differs from the last sent. */
function endWindow(subject: Subject, now: number): AlprEvent | undefined {
  const latest = subject.latest;
  subject.latest = undefined;
  subject.windowStart = now;
  subject.sent = 0;
  if (!latest || latest.type === subject.lastSentType) return undefined;
  return markSent(subject, latest);
}

function admitInWindow(subject: Subject, event: AlprEvent, rule: RateRule): { send?: AlprEvent } {
  const duplicate = subject.sent > 0 && event.type === subject.lastSentType;
  if (subject.sent >= rule.maxPerWindow || duplicate) {
    subject.held += 1;
    subject.latest = event;
    return {};
  }
  subject.latest = undefined;
  return { send: markSent(subject, event) };
}

function markSent(subject: Subject, event: AlprEvent): AlprEvent {
  subject.sent += 1;
  subject.lastSentType = event.type;
  const held = subject.held;
  subject.held = 0;
  return held > 0 ? { ...event, suppressed: held } : event;
}

function forgetOldest(state: RateState, max: number): void {
  // Map iteration order is insertion order: the first entries are the oldest subjects.
  for (const key of state.subjects.keys()) {
    if (state.subjects.size <= max) return;
    state.subjects.delete(key);
  }
}
