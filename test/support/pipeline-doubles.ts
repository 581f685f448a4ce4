// Small in-test stage doubles (pure logic) for exercising the edge service around the real ingest.
// Production code never uses these: `alpr edge` refuses to start without the real stages.
import type {
  ComplianceGate,
  Frame,
  FrameRecognizer,
  PassTracker,
  PlateObservation,
} from '../../edge/pipeline/stages.js';
import type { GateDecision } from '../../shared/geofence/gate-decision.js';
import type { PassRead } from '../../shared/plates/pass-tracker.js';

/** Sees one plate in every frame; records which frames it was given. */
export function plateEveryFrame(text = 'TEST123'): FrameRecognizer & { seen: Frame[] } {
  const seen: Frame[] = [];
  return {
    modelId: 'test-recognizer-v1',
    seen,
    async recognize(frame) {
      seen.push(frame);
      return [
        {
          text,
          rawText: text,
          confidence: 0.9,
          charConfidences: [...text].map(() => 0.9),
          box: { x: 10, y: 10, width: 40, height: 20 },
        },
      ];
    },
    close: async () => undefined,
  };
}

/** Ends a pass every `every` observed frames per camera (a stand-in for vehicle passes). */
export function passEvery(every: number, options: { throwFor?: string } = {}): PassTracker {
  const counts = new Map<string, number>();
  const pass = (cameraId: string, at: number, o: PlateObservation): PassRead => ({
    cameraId,
    plate: o.text,
    rawText: o.rawText,
    confidence: o.confidence,
    charConfidences: o.charConfidences,
    capturedAt: at,
    box: o.box,
    cropJpeg: o.cropJpeg,
    evidence: { framesSeen: every, firstSeenAt: at, lastSeenAt: at, perFrame: [] },
  });
  return {
    observe(cameraId, capturedAt, observations) {
      if (cameraId === options.throwFor) throw new Error(`tracker bug for ${cameraId}`);
      const n = (counts.get(cameraId) ?? 0) + 1;
      counts.set(cameraId, n);
      return n % every === 0 && observations[0] ? [pass(cameraId, capturedAt, observations[0])] : [];
    },
    flush: () => [],
    flushAll: () => [],
  };
}

/** A gate with a fixed answer per camera; unknown cameras are refused (fails closed). */
export function fixedGate(decisions: Record<string, GateDecision>): ComplianceGate & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    decide(cameraId) {
      asked.push(cameraId);
      return decisions[cameraId] ?? { allow: false, reason: 'unknown_camera' };
    },
  };
}
