import { describe, expect, it } from 'vitest';
import { FrameBudget } from '../../edge/pipeline/frame-budget.js';
import { T0 } from '../support/factories.js';

describe('FrameBudget', () => {
  it('expects sampleFps frames per second of a run, delivered or not', () => {
    const budget = new FrameBudget(5);
    budget.arrived(1, T0);
    budget.arrived(2, T0 + 200);
    // ffmpeg stalled for 2 s (the analysis thread was busy): ten frames were due, one arrived.
    budget.arrived(3, T0 + 2200);
    expect(budget.expected).toBe(12);
  });

  it('does not count an outage between runs as lost frames', () => {
    const budget = new FrameBudget(5);
    budget.arrived(1, T0);
    budget.arrived(2, T0 + 1000);
    budget.arrived(1, T0 + 60_000); // reconnected a minute later
    budget.arrived(2, T0 + 60_200);
    expect(budget.expected).toBe(6 + 2);
  });

  it('is not fooled by frames arriving in a burst', () => {
    const budget = new FrameBudget(5);
    for (let seq = 1; seq <= 10; seq++) budget.arrived(seq, T0 + 1000); // all at once after a stall
    expect(budget.expected).toBe(1);
    budget.arrived(11, T0 + 3000);
    expect(budget.expected).toBe(11);
  });
});
