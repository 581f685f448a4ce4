import { describe, expect, it } from 'vitest';
import { forwardingLagStep } from '../../../shared/events/forwarding-lag.js';
import { checkEvent } from '../../../shared/events/plate-free.js';
import { declared, eventOf } from './factories.js';

describe('forwardingLagStep (when forwarding lag is news)', () => {
  it('reports lag once over the threshold and catching up once under half of it', () => {
    const lagging = forwardingLagStep(
      'ok',
      { lagS: 900, pendingReads: 4200, lastForwardedAt: Date.UTC(2026, 0, 1) },
      600,
    );
    expect(lagging).toEqual({
      state: 'lagging',
      event: {
        type: 'forwarding.lag',
        data: { lagS: 900, pendingReads: 4200, thresholdS: 600, lastForwardedAt: '2026-01-01T00:00:00.000Z' },
      },
    });
    expect(forwardingLagStep('lagging', { lagS: 1200, pendingReads: 5000 }, 600)).toEqual({
      state: 'lagging',
    });
    expect(forwardingLagStep('lagging', { lagS: 400, pendingReads: 100 }, 600)).toEqual({ state: 'lagging' });
    expect(forwardingLagStep('lagging', { lagS: 300, pendingReads: 12, edgeId: 'edge-02' }, 600)).toEqual({
      state: 'ok',
      event: { type: 'forwarding.caught_up', data: { edgeId: 'edge-02', lagS: 300, pendingReads: 12 } },
    });
    expect(forwardingLagStep('ok', { lagS: 600, pendingReads: 1 }, 600)).toEqual({ state: 'ok' });
  });

  it('produces events that pass the plate-free check', () => {
    const step = forwardingLagStep('ok', { lagS: 901.4, pendingReads: 3, edgeId: 'edge-02' }, 600);
    const event = eventOf('forwarding.lag', {}, { data: step.event!.data as never });
    expect(checkEvent(event, declared()).ok).toBe(true);
  });
});
