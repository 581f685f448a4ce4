// Hold requests at the hub: the phase-1 hold rules (shared/policy/holds.ts) unchanged, plus the edge the
// reads came from, since a read at the hub is named by its edge and the edge's read id, and a camera by
// its edge and camera id. Pure.
import type { HoldScope, NewHold } from './holds.js';
import {
  describeScope,
  type HoldCheck,
  type HoldProblem,
  type HoldRequestInput,
  type HoldRules,
  validateHoldRequest,
} from './holds.js';

export interface HubHoldRequestInput extends HoldRequestInput {
  edgeId?: string;
}

export interface NewHubHold extends NewHold {
  edgeId: string;
}

const EDGE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Check a hub hold request at `now`: every phase-1 rule, and an edge id.
 * @example validateHubHoldRequest({ edgeId: 'edge-01', caseNumber: 'C-1', crimeType: 'PC211',
 *   reason: 'robbery', requestedBy: 'det.a', approvedBy: 'lt.b', readIds: ['42'] }, now, { maxCameraRangeHours: 24 })
 */
export function validateHubHoldRequest(
  input: HubHoldRequestInput,
  now: number,
  rules: HoldRules,
): HoldCheck<NewHubHold> {
  const checked = validateHoldRequest(input, now, rules);
  const problems: HoldProblem[] = checked.ok ? [] : [...checked.problems];
  const edgeId = input.edgeId?.trim() ?? '';
  if (!edgeId)
    problems.unshift({ field: 'edge', message: 'the edge the reads came from (--edge) is required' });
  else if (!EDGE_ID.test(edgeId))
    problems.unshift({ field: 'edge', message: `"${input.edgeId}" is not an edge id` });
  if (problems.length > 0 || !checked.ok) return { ok: false, problems };
  return { ok: true, value: { ...checked.value, edgeId } };
}

/** The audit-chain description of a hub hold's scope. */
export function describeHubScope(edgeId: string, scope: HoldScope): Record<string, unknown> {
  return { edgeId, ...describeScope(scope) };
}
