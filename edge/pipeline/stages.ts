// The edge pipeline's stage contracts. Each stage is built and tested alone; the edge service
// wires concrete ones together:
//   FrameSource ─► (bounded, latest frame wins) ─► FrameRecognizer ─► PassTracker ─► ComplianceGate ─► ReadSink
import type { GateDecision, RegistryState } from '../../shared/geofence/gate-decision.js';
import type { ObservedPlate, PassRead } from '../../shared/plates/pass-tracker.js';

/** One decoded frame: packed RGB24, `width * height * 3` bytes. */
export interface Frame {
  cameraId: string;
  /** Monotonic per camera, starting at 1 for each frame-source start. */
  seq: number;
  /** ms since epoch, UTC: when the frame was received from the camera. */
  capturedAt: number;
  width: number;
  height: number;
  data: Buffer;
}

/** One plate seen in one frame; the type lives with the pure tracker in shared/plates. */
export type PlateObservation = ObservedPlate;

/** Something a stage dropped on purpose, counted per camera and reason (for metrics). */
export interface DiscardCount {
  cameraId: string;
  reason: string;
  count: number;
}

export interface FrameRecognizer {
  /** Identifies the model versions, stored with every read (e.g. 'ppocrv4-det+cct-xs-v1-global'). */
  readonly modelId: string;
  recognize(frame: Frame): Promise<PlateObservation[]>;
  /** What it dropped so far (masked text, plates too small, fixed text, still frames). */
  discarded?(): DiscardCount[];
  close(): Promise<void>;
}

export interface PassTracker {
  /** Feed one frame's observations; returns passes that ended (possibly none). */
  observe(cameraId: string, capturedAt: number, observations: PlateObservation[]): PassRead[];
  /** End passes not seen since `now - window`; returns them. */
  flush(now: number): PassRead[];
  /** End every open pass (shutdown). */
  flushAll(): PassRead[];
  /** Passes it ended but would not hand on (weak evidence, fixed text, parked-car repeats). */
  discarded?(): DiscardCount[];
}

export interface ComplianceGate {
  /** `reads`: how many reads this one decision covers (default 1), so refusals are counted per read. */
  decide(cameraId: string, now: number, reads?: number): GateDecision;
  /** What /health shows: the registry, the config file and each camera's decision now. */
  status?(now: number): GateStatus;
}

export interface GateStatus {
  registry: RegistryState;
  config?:
    | { status: 'valid'; reloads: { valid: number; invalid: number } }
    | {
        status: 'invalid';
        since: number;
        issues: string[];
        cameras: string[] | 'all';
        reloads: { valid: number; invalid: number };
      };
  cameras: Array<{ cameraId: string; decision: GateDecision }>;
}

/** Persists passes allowed by the gate; returns stored read ids. */
export interface ReadSink {
  store(passes: PassRead[], verdictId: number, modelId: string, now: number): number[];
}
