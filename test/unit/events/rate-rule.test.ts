import { describe, expect, it } from 'vitest';
import type { AlprEvent } from '../../../shared/events/event-catalog.js';
import { admit, due, newRateState, type RateRule } from '../../../shared/events/rate-rule.js';
import { eventOf } from './factories.js';

const rule: RateRule = { windowMs: 60_000, maxPerWindow: 2 };
const offline = (camera = 'gate-north') => eventOf('camera.offline', { cameraId: camera });
const back = (camera = 'gate-north') => eventOf('camera.back', { cameraId: camera });
const types = (events: AlprEvent[]) => events.map((e) => [e.type, e.suppressed ?? 0]);

describe('rate rule (one offline/back pair per camera per window, the rest counted)', () => {
  it('lets the first offline/back pair through and holds back the rest of a flapping camera', () => {
    const state = newRateState();
    const sent: AlprEvent[] = [];
    let held = 0;
    for (let i = 0; i < 10; i++) {
      const a = admit(state, i % 2 === 0 ? offline() : back(), 1000 * i, rule);
      sent.push(...a.send);
      held += a.suppressed;
    }
    expect(types(sent)).toEqual([
      ['camera.offline', 0],
      ['camera.back', 0],
    ]);
    expect(held).toBe(8);
    // The flapping ended on "back", which receivers already heard: nothing more to send.
    expect(due(state, 61_000, rule)).toEqual([]);
  });

  it('sends the held-back state when the window ends if it differs from what receivers last heard', () => {
    const state = newRateState();
    for (const [i, e] of [offline(), back(), offline(), back(), offline()].entries())
      admit(state, e, i * 1000, rule);
    expect(due(state, 59_999, rule)).toEqual([]);
    const flushed = due(state, 60_000, rule);
    expect(types(flushed)).toEqual([['camera.offline', 3]]);
  });

  it('carries the held-back count on the next event sent, and starts a fresh window', () => {
    const state = newRateState();
    for (const [i, e] of [offline(), back(), offline(), back()].entries()) admit(state, e, i * 1000, rule);
    const next = admit(state, offline(), 70_000, rule);
    expect(types(next.send)).toEqual([['camera.offline', 2]]);
  });

  it('flushes a differing held-back event before judging a new one in the next window', () => {
    const state = newRateState();
    for (const [i, e] of [offline(), back(), offline()].entries()) admit(state, e, i * 1000, rule);
    const next = admit(state, back(), 65_000, rule);
    expect(types(next.send)).toEqual([
      ['camera.offline', 1],
      ['camera.back', 0],
    ]);
  });

  it('treats a repeat of the last type sent as a duplicate within a window, and as a reminder after it', () => {
    const state = newRateState();
    const missed = () => eventOf('retention.missed');
    expect(admit(state, missed(), 0, rule).send).toHaveLength(1);
    expect(admit(state, missed(), 10_000, rule)).toEqual({ send: [], suppressed: 1 });
    expect(admit(state, missed(), 20_000, rule)).toEqual({ send: [], suppressed: 1 });
    expect(due(state, 60_000, rule)).toEqual([]);
    expect(types(admit(state, missed(), 61_000, rule).send)).toEqual([['retention.missed', 2]]);
  });

  it('keeps cameras apart, and camera state apart from the gate', () => {
    const state = newRateState();
    const sent = [
      offline('gate-north'),
      back('gate-north'),
      offline('gate-south'),
      eventOf('gate.refusing', { cameraId: 'gate-north' }),
    ].flatMap((e) => admit(state, e, 0, rule).send);
    expect(sent).toHaveLength(4);
  });

  it('never limits a test event', () => {
    const state = newRateState();
    for (let i = 0; i < 5; i++) expect(admit(state, eventOf('events.test'), 0, rule).send).toHaveLength(1);
  });

  it('sends every differing held-back event at once when forced (shutdown)', () => {
    const state = newRateState();
    for (const [i, e] of [offline(), back(), offline()].entries()) admit(state, e, i, rule);
    expect(types(due(state, 10, rule, true))).toEqual([['camera.offline', 1]]);
  });

  it('forgets idle subjects and never tracks more than maxSubjects', () => {
    const state = newRateState();
    const small = { ...rule, maxSubjects: 3 };
    for (let i = 0; i < 10; i++) admit(state, offline(`cam-${i}`), 0, small);
    expect(state.subjects.size).toBe(3);
    due(state, 60_000, small);
    expect(state.subjects.size).toBe(0);
  });
});
