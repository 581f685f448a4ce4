// When forwarding lag is news: a pure, edge-triggered rule with hysteresis for whoever measures the lag
// (the edge's forwarder, or the hub watching an edge). `forwarding.lag` once the oldest unforwarded read
// is older than the threshold, `forwarding.caught_up` once it is back under half of it: a lag hovering at
// the threshold does not flap. Time is an argument; the caller publishes what this returns.
import type { EventData } from './event-catalog.js';

export type LagState = 'ok' | 'lagging';

export interface LagSample {
  /** Age of the oldest read not yet forwarded, in seconds (0 when none waits). */
  lagS: number;
  pendingReads: number;
  /** When the last batch was accepted by the hub (ms), if ever. */
  lastForwardedAt?: number;
  /** The edge this is about, when the hub is the one watching. */
  edgeId?: string;
}

export type LagEvent =
  | { type: 'forwarding.lag'; data: EventData<'forwarding.lag'> }
  | { type: 'forwarding.caught_up'; data: EventData<'forwarding.caught_up'> };

/**
 * The next state and the event to publish, if any.
 * @example forwardingLagStep('ok', { lagS: 900, pendingReads: 4200 }, 600)
 *   // { state: 'lagging', event: { type: 'forwarding.lag', data: { lagS: 900, pendingReads: 4200, thresholdS: 600, lastForwardedAt: null } } }
 */
export function forwardingLagStep(
  state: LagState,
  sample: LagSample,
  thresholdS: number,
): { state: LagState; event?: LagEvent } {
  const lagS = Math.max(0, Math.round(sample.lagS));
  const pendingReads = Math.max(0, Math.round(sample.pendingReads));
  const edge = sample.edgeId === undefined ? {} : { edgeId: sample.edgeId };
  if (state === 'ok' && lagS > thresholdS) {
    const lastForwardedAt =
      sample.lastForwardedAt === undefined ? null : new Date(sample.lastForwardedAt).toISOString();
    return {
      state: 'lagging',
      event: { type: 'forwarding.lag', data: { ...edge, lagS, pendingReads, thresholdS, lastForwardedAt } },
    };
  }
  if (state === 'lagging' && lagS <= thresholdS / 2) {
    return { state: 'ok', event: { type: 'forwarding.caught_up', data: { ...edge, lagS, pendingReads } } };
  }
  return { state };
}
