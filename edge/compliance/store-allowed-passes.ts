// Puts vehicle passes through the capture-time rule and the compliance gate before the sink: a pass
// stamped too far in the future is refused on its own, then one gate decision per camera per batch
// (covering all its reads, so refusals are counted per read), allowed passes stored under the verdict
// that allowed them.
import type { GateDecision, StoreRefusalReason } from '../../shared/geofence/gate-decision.js';
import type { PassRead } from '../../shared/plates/pass-tracker.js';
import { captureTimeDecision } from '../../shared/policy/clock-skew.js';
import type { ComplianceGate, ReadSink } from '../pipeline/stages.js';

/** Why a read was not stored: the gate's reasons, or a capture time too far ahead of the store time. */

export interface StoreOutcome {
  storedIds: number[];
  stored: Array<{ cameraId: string; count: number }>;
  refused: Array<{ cameraId: string; reason: StoreRefusalReason; count: number; detail?: string }>;
  /** Allowed by the gate but the sink failed (nothing of that camera's batch was stored). */
  failed: Array<{ cameraId: string; count: number; error: Error }>;
}

/** ingest.maxClockSkewS default, for callers that do not pass one. */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 120_000;

/**
 * Store the passes the gate allows now; never store "now" and check later. A pass captured more than
 * `maxClockSkewMs` after `now` is refused (reason clock_skew) whatever the gate says.
 * @example storeAllowedPasses(gate, sink, passes, recognizer.modelId, Date.now()) // { storedIds: [12, 13], refused: [] }
 */
export function storeAllowedPasses(
  gate: ComplianceGate,
  sink: ReadSink,
  passes: readonly PassRead[],
  modelId: string,
  now: number,
  maxClockSkewMs = DEFAULT_MAX_CLOCK_SKEW_MS,
): StoreOutcome {
  const outcome: StoreOutcome = { storedIds: [], stored: [], refused: [], failed: [] };
  const byCamera = new Map<string, PassRead[]>();
  const skewed = new Map<string, { count: number; detail: string }>();
  for (const pass of passes) {
    const time = captureTimeDecision({
      capturedAt: pass.capturedAt,
      storedAt: now,
      maxSkewMs: maxClockSkewMs,
    });
    if (!time.allow) {
      const seen = skewed.get(pass.cameraId);
      skewed.set(pass.cameraId, { count: (seen?.count ?? 0) + 1, detail: seen?.detail ?? time.detail });
      continue;
    }
    const list = byCamera.get(pass.cameraId) ?? [];
    list.push(pass);
    byCamera.set(pass.cameraId, list);
  }
  for (const [cameraId, { count, detail }] of skewed)
    outcome.refused.push({ cameraId, reason: 'clock_skew', count, detail });
  for (const [cameraId, list] of byCamera) {
    const decision = decideSafely(gate, cameraId, now, list.length);
    if (!decision.allow) {
      outcome.refused.push({
        cameraId,
        reason: decision.reason,
        count: list.length,
        detail: decision.detail,
      });
      continue;
    }
    try {
      const ids = sink.store(list, decision.verdictId, modelId, now);
      outcome.storedIds.push(...ids);
      outcome.stored.push({ cameraId, count: ids.length });
    } catch (error) {
      outcome.failed.push({ cameraId, count: list.length, error: error as Error });
    }
  }
  return outcome;
}

/** The gate fails closed; a gate that throws is a refusal too. */
function decideSafely(gate: ComplianceGate, cameraId: string, now: number, reads: number): GateDecision {
  try {
    return gate.decide(cameraId, now, reads);
  } catch (error) {
    return { allow: false, reason: 'registry_error', detail: (error as Error).message };
  }
}
