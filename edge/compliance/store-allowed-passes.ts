// Puts vehicle passes through the compliance gate before the sink: one decision per camera per batch
// (covering all its reads, so refusals are counted per read), allowed passes stored under the verdict
// that allowed them.
import type { GateRefusalReason } from '../../shared/geofence/gate-decision.js';
import type { ComplianceGate, PlatePass, ReadSink } from '../pipeline/stages.js';

export interface StoreOutcome {
  storedIds: number[];
  refused: Array<{ cameraId: string; reason: GateRefusalReason; count: number; detail?: string }>;
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
  const outcome: StoreOutcome = { storedIds: [], refused: [] };
  for (const [cameraId, list] of byCamera) {
    const decision = gate.decide(cameraId, now, list.length);
    if (decision.allow) outcome.storedIds.push(...sink.store(list, decision.verdictId, modelId, now));
    else
      outcome.refused.push({
        cameraId,
        reason: decision.reason,
        count: list.length,
        detail: decision.detail,
      });
  }
  return outcome;
}
