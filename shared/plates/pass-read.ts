// What the store receives for one vehicle pass (pure): the tracker's voted read, the verdict that
// allowed storing it, the models that produced it, and the evidence of how it was voted.
import type { NewRead } from '../store/reads.repository.js';
import type { PassRead } from './pass-tracker.js';

export interface ReadProvenance {
  /** The compliant verdict the gate allowed this read under. */
  verdictId: number;
  /** Model versions, e.g. 'ppocrv4-det+cct-xs-v1-global'. */
  modelId: string;
  /** Where the plate crop was written, when crops are enabled. */
  cropPath?: string | null;
}

/**
 * Map a pass to the store's NewRead. The crop bytes are not part of the row, only its path.
 * @example store.reads.insert(passToNewRead(pass, { verdictId, modelId: pipeline.modelId }), now)
 */
export function passToNewRead(pass: PassRead, provenance: ReadProvenance): NewRead {
  return {
    cameraId: pass.cameraId,
    plate: pass.plate,
    rawText: pass.rawText,
    confidence: pass.confidence,
    charConfidences: pass.charConfidences,
    capturedAt: pass.capturedAt,
    box: pass.box,
    cropPath: provenance.cropPath ?? null,
    modelId: provenance.modelId,
    verdictId: provenance.verdictId,
    evidence: { ...pass.evidence },
  };
}
