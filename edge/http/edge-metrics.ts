// The edge's Prometheus metrics, in a Registry of its own (not prom-client's global one), so a process
// or a test can hold several. Labels carry camera ids and refusal reasons only: never URLs or plates.
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { registerAnchorMetrics } from '../../shared/audit/anchor-metrics.js';
import type { AnchorStatus } from '../../shared/audit/anchorer.js';
import { STORE_REFUSAL_REASONS } from '../../shared/geofence/gate-decision.js';
import { registerBuildInfo } from '../../shared/http/build-info.js';
import { CAMERA_STATES, type CameraStatus } from '../ingest/camera-supervisor.js';
import type { DiscardCount } from '../pipeline/stages.js';

export class EdgeMetrics {
  readonly registry = new Registry();
  readonly framesIn: Counter<'camera'>;
  readonly framesAnalysed: Counter<'camera'>;
  readonly framesDropped: Counter<'camera'>;
  readonly tornFrames: Counter<'camera'>;
  readonly reconnects: Counter<'camera'>;
  readonly recognitionErrors: Counter<'camera'>;
  readonly readsStored: Counter<'camera'>;
  readonly readsRefused: Counter<'camera' | 'reason'>;
  readonly configReloads: Counter<'result'>;
  readonly framesExpected: Counter<'camera'>;

  /**
   * `statuses` is read at scrape time for the gauges (state, last-frame age, fps); `discarded`, when
   * given, for what recognition dropped on purpose (per camera and reason); `anchor` for the audit head.
   */
  constructor(
    statuses: () => CameraStatus[],
    options: { processMetrics?: boolean; anchor?: () => AnchorStatus; discarded?: () => DiscardCount[] } = {},
  ) {
    const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
      new Counter<L>({ name, help, labelNames, registers: [this.registry] });
    this.framesIn = counter('alpr_camera_frames_in_total', 'Frames decoded from the camera.', ['camera']);
    this.framesAnalysed = counter(
      'alpr_camera_frames_analysed_total',
      'Frames handed to plate recognition.',
      ['camera'],
    );
    this.framesDropped = counter(
      'alpr_camera_frames_dropped_total',
      'Frames replaced by a newer one before recognition took them (recognizer slower than the camera).',
      ['camera'],
    );
    this.tornFrames = counter(
      'alpr_camera_torn_frames_total',
      'Incomplete frames discarded when a stream stopped mid-frame.',
      ['camera'],
    );
    this.reconnects = counter('alpr_camera_reconnects_total', 'ffmpeg restarts after a failure.', ['camera']);
    this.recognitionErrors = counter(
      'alpr_recognition_errors_total',
      'Frames whose recognition threw an error (the frame is skipped).',
      ['camera'],
    );
    this.readsStored = counter('alpr_reads_stored_total', 'Plate reads written to the store.', ['camera']);
    this.readsRefused = counter(
      'alpr_reads_refused_total',
      'Plate reads refused before storage (compliance gate reasons, or clock_skew: captured too far ahead of the store time); they were never stored.',
      ['camera', 'reason'],
    );

    this.configReloads = counter(
      'alpr_config_reloads_total',
      'Config file changes the running edge picked up, by result (an invalid one closes the cameras it touches: reason config_invalid).',
      ['result'],
    );
    this.configReloads.inc({ result: 'valid' }, 0);
    this.configReloads.inc({ result: 'invalid' }, 0);

    this.framesExpected = counter(
      'alpr_camera_frames_expected_total',
      'Frames the sample rate called for while the camera was connected (expected - analysed = every frame lost).',
      ['camera'],
    );
    const analysed = this.framesAnalysed;
    const expected = this.framesExpected;
    new Gauge({
      name: 'alpr_camera_frames_lost',
      help: 'Frames the sample rate called for that recognition never analysed (dropped in the slot or never delivered).',
      labelNames: ['camera'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const got = new Map((await analysed.get()).values.map((v) => [String(v.labels.camera), v.value]));
        for (const v of (await expected.get()).values) {
          const camera = String(v.labels.camera);
          this.set({ camera }, Math.max(0, v.value - (got.get(camera) ?? 0)));
        }
      },
    });
    const discarded = options.discarded;
    if (discarded) {
      new Gauge({
        name: 'alpr_recognition_discarded',
        help: 'What recognition dropped on purpose since start, per camera and reason (masked, plate_too_small, fixed_text, still_frame, evidence_*, static_text, stationary_repeat).',
        labelNames: ['camera', 'reason'],
        registers: [this.registry],
        collect() {
          this.reset();
          for (const d of discarded()) this.set({ camera: d.cameraId, reason: d.reason }, d.count);
        },
      });
    }
    new Gauge({
      name: 'alpr_camera_state',
      help: `1 for the camera's current state (${CAMERA_STATES.join(', ')}), 0 for the others.`,
      labelNames: ['camera', 'state'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const s of statuses()) {
          for (const state of CAMERA_STATES) this.set({ camera: s.id, state }, s.state === state ? 1 : 0);
        }
      },
    });
    new Gauge({
      name: 'alpr_camera_last_frame_age_seconds',
      help: 'Seconds since the last frame (absent before the first frame).',
      labelNames: ['camera'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const s of statuses()) {
          if (s.lastFrameAgeMs !== null) this.set({ camera: s.id }, s.lastFrameAgeMs / 1000);
        }
      },
    });
    new Gauge({
      name: 'alpr_camera_fps',
      help: 'Frames per second received over the last 5 s.',
      labelNames: ['camera'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const s of statuses()) this.set({ camera: s.id }, s.fps);
      },
    });
    registerBuildInfo(this.registry);
    if (options.anchor) registerAnchorMetrics(this.registry, options.anchor);
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Create every per-camera series at 0, so dashboards and rate() see a camera before its first event. */
  registerCamera(camera: string): void {
    for (const c of [
      this.framesIn,
      this.framesAnalysed,
      this.framesDropped,
      this.framesExpected,
      this.tornFrames,
      this.reconnects,
      this.recognitionErrors,
      this.readsStored,
    ]) {
      c.inc({ camera }, 0);
    }
    for (const reason of STORE_REFUSAL_REASONS) this.readsRefused.inc({ camera, reason }, 0);
  }

  /** The Prometheus text exposition. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
