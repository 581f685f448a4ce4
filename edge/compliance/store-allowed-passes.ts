// Puts vehicle passes through the compliance gate before the sink: one decision per camera per batch
// (covering all its reads, so refusals are counted per read), allowed passes stored under the verdict
// that allowed them.
import type { GateRefusalReason } from '../../shared/geofence/gate-decision.js';
import type { ComplianceGate, GateDecision, PlatePass, ReadSink } from '../pipeline/stages.js';

export interface StoreOutcome {
  storedIds: number[];
  stored: Array<{ cameraId: string; count: number }>;
  refused: Array<{ cameraId: string; reason: GateRefusalReason; count: number; detail?: string }>;
  /** Allowed by the gate but the sink failed (nothing of that camera's batch was stored). */
  failed: Array<{ cameraId: string; count: number; error: Error }>;
}

/**
 * Store the passes the gate allows now; never store "now" and check later.
 * @example storeAllowedPasses(gate, sink, passes, recognizer.modelId, Date.now()) // { storedIds: [12, 13], refused: [] }
 */
export function storeAllowedPasses(
  gate: ComplianceGate,
  sink: ReadSink,
  passes: readonly PlatePass[],
  modelId: string,
  now: number,
): StoreOutcome {
  const byCamera = new Map<string, PlatePass[]>();
  for (const pass of passes) {
    const list = byCamera.get(pass.cameraId) ?? [];
    list.push(pass);
    byCamera.set(pass.cameraId, list);
  }
  const outcome: StoreOutcome = { storedIds: [], stored: [], refused: [], failed: [] };
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
