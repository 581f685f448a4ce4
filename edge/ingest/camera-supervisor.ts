// Keeps one camera's frames flowing for months: starts ffmpeg runs, watches for frames, restarts a dead or
// stalled run with capped, jittered backoff, and tracks the camera state operators see
// (starting → online ⇄ reconnecting → offline). One camera's failures never touch another's.
import type { Logger } from '../../shared/logging/logger.js';
import { redactUrl } from '../../shared/logging/logger.js';
import type { Clock } from '../../shared/runtime/clock.js';
import type { Frame } from '../pipeline/stages.js';
import { type BackoffPolicy, backoffDelay } from './backoff.js';
import { FAILURE_HINTS, type SourceFailureReason } from './ffmpeg-failure.js';
import type { RunningSource, SourceExit, StartFrameSource } from './ffmpeg-frame-source.js';
import { FpsMeter } from './fps-meter.js';

export const CAMERA_STATES = ['starting', 'online', 'reconnecting', 'offline'] as const;
export type CameraState = (typeof CAMERA_STATES)[number];

export interface CameraStatus {
  id: string;
  state: CameraState;
  /** When the current state began (ms). */
  stateSince: number;
  lastFrameAt: number | undefined;
  /** ms since the last frame; null before the first frame. */
  lastFrameAgeMs: number | null;
  fps: number;
  framesIn: number;
  reconnects: number;
  tornFrames: number;
  lastFailure: { reason: SourceFailureReason; detail: string | undefined; at: number } | undefined;
  /** PID of the running ffmpeg, if any (diagnostics and tests). */
  pid: number | undefined;
}

export interface CameraSupervisorOptions {
  cameraId: string;
  /** Only for logs, always redacted. */
  url: string;
  startSource: StartFrameSource;
  onFrame: (frame: Frame) => void;
  staleAfterMs: number;
  offlineAfterMs: number;
  backoff: BackoffPolicy;
  /**
   * Until the first frame ever, this many failed connects are retried after `retryMs` instead of the
   * backoff: a camera server still starting should not cost a 16 s wait (default: none).
   */
  firstConnect?: { attempts: number; retryMs: number };
  random?: () => number;
  clock: Clock;
  logger: Logger;
  onStateChange?: (state: CameraState, previous: CameraState) => void;
  onReconnect?: () => void;
  onTornFrame?: () => void;
}

export class CameraSupervisor {
  private stateValue: CameraState = 'starting';
  private stateSince: number;
  private run: RunningSource | undefined;
  private runStartedAt = 0;
  private runLastFrameAt: number | undefined;
  private lastFrameAt: number | undefined;
  /** Since when the camera has had no frames (undefined while online). */
  private downSince: number | undefined;
  private attempts = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private stopped = false;
  private started = false;
  private failing = false;
  private lastLoggedReason: SourceFailureReason | undefined;
  private framesIn = 0;
  private reconnects = 0;
  private tornFrames = 0;
  private lastFailure: CameraStatus['lastFailure'];
  private readonly fps = new FpsMeter(5000);
  private readonly log: Logger;

  constructor(private readonly options: CameraSupervisorOptions) {
    this.stateSince = options.clock();
    this.log = options.logger.child({ component: 'camera', camera: options.cameraId });
  }

  get id(): string {
    return this.options.cameraId;
  }

  get state(): CameraState {
    return this.stateValue;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    const now = this.options.clock();
    this.downSince = now;
    this.stateSince = now;
    this.log.info({ stream: redactUrl(this.options.url) }, 'camera starting');
    const tick = Math.max(20, Math.min(1000, Math.floor(this.options.staleAfterMs / 4)));
    this.watchdog = setInterval(() => this.checkWatchdog(), tick);
    this.launch();
  }

  /** Stop the camera: no restart is scheduled afterwards and ffmpeg has exited when this resolves. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.watchdog);
    clearTimeout(this.restartTimer);
    const run = this.run;
    this.run = undefined;
    if (run) {
      const outcome = await run.stop();
      this.log.debug({ outcome }, 'camera stopped');
    }
  }

  /**
   * Stop the camera for good because something downstream of it failed: ffmpeg is ended, the camera
   * reports offline (so /health flags it) and no restart is scheduled.
   */
  async fault(detail: string): Promise<void> {
    const now = this.options.clock();
    this.lastFailure = { reason: 'pipeline_failed', detail, at: now };
    this.downSince ??= now;
    this.setState('offline', now);
    await this.stop();
  }

  status(now = this.options.clock()): CameraStatus {
    return {
      id: this.options.cameraId,
      state: this.stateValue,
      stateSince: this.stateSince,
      lastFrameAt: this.lastFrameAt,
      lastFrameAgeMs: this.lastFrameAt === undefined ? null : Math.max(0, now - this.lastFrameAt),
      fps: this.fps.rate(now),
      framesIn: this.framesIn,
      reconnects: this.reconnects,
      tornFrames: this.tornFrames,
      lastFailure: this.lastFailure,
      pid: this.run?.pid,
    };
  }

  private launch(): void {
    if (this.stopped) return;
    this.runStartedAt = this.options.clock();
    this.runLastFrameAt = undefined;
    const holder: { run?: RunningSource; exited?: boolean } = {};
    const run = this.options.startSource({
      onFrame: (frame) => this.handleFrame(frame, holder.run),
      onExit: (exit) => {
        holder.exited = true;
        this.handleExit(exit, holder.run);
      },
      onStderr: (line) => this.log.debug({ ffmpeg: line }, 'ffmpeg'),
    });
    holder.run = run;
    // A run that ended synchronously has already been handled as a failure.
    if (!holder.exited) this.run = run;
  }

  private handleFrame(frame: Frame, from: RunningSource | undefined): void {
    if (this.stopped || (from && this.run && from !== this.run)) return;
    const now = frame.capturedAt;
    this.framesIn += 1;
    this.lastFrameAt = now;
    this.runLastFrameAt = now;
    this.fps.record(now);
    if (this.stateValue !== 'online') {
      const downFor = this.downSince === undefined ? 0 : now - this.downSince;
      this.log.info({ afterMs: downFor, attempts: this.attempts }, 'camera online');
      this.attempts = 0;
      this.lastLoggedReason = undefined;
      this.downSince = undefined;
      this.setState('online', now);
    }
    this.options.onFrame(frame);
  }

  private handleExit(exit: SourceExit, from: RunningSource | undefined): void {
    if (exit.tornBytes > 0) {
      this.tornFrames += 1;
      this.options.onTornFrame?.();
      this.log.debug({ bytes: exit.tornBytes }, 'discarded an incomplete last frame');
    }
    if (this.stopped || exit.requested) return;
    if (from && this.run && from !== this.run) return;
    this.run = undefined;
    void this.fail(exit.reason, exit.detail);
  }

  private checkWatchdog(): void {
    if (this.stopped) return;
    const now = this.options.clock();
    if (this.run && !this.failing) {
      const since = this.runLastFrameAt ?? this.runStartedAt;
      if (now - since > this.options.staleAfterMs) {
        void this.fail('stalled', `no frame for ${Math.round((now - since) / 1000)} s`);
        return;
      }
    }
    this.updateOffline(now);
  }

  private updateOffline(now: number): void {
    if (this.stateValue === 'online' || this.stateValue === 'offline' || this.downSince === undefined) return;
    if (now - this.downSince >= this.options.offlineAfterMs) {
      this.log.warn(
        { downForMs: now - this.downSince, lastFailure: this.lastFailure?.reason },
        'camera offline',
      );
      this.setState('offline', now);
    }
  }

  /** End the current run (if any) and schedule the next one after backoff. */
  private async fail(reason: SourceFailureReason, detail: string | undefined): Promise<void> {
    if (this.failing || this.stopped) return;
    this.failing = true;
    try {
      const run = this.run;
      this.run = undefined;
      if (run) await run.stop();
      if (this.stopped) return;
      const now = this.options.clock();
      this.downSince ??= this.lastFrameAt ?? now;
      this.lastFailure = { reason, detail, at: now };
      this.attempts += 1;
      const first = this.options.firstConnect;
      const quick = first !== undefined && this.framesIn === 0 && this.attempts <= first.attempts;
      const delay = quick
        ? first.retryMs
        : backoffDelay(
            this.attempts - (first && this.framesIn === 0 ? first.attempts : 0),
            this.options.backoff,
            this.options.random ?? Math.random,
          );
      if (this.stateValue === 'online' || this.stateValue === 'starting') {
        this.setState('reconnecting', now);
      }
      this.updateOffline(now);
      const entry = { reason, hint: FAILURE_HINTS[reason], detail, attempt: this.attempts, retryInMs: delay };
      // One warning per kind of failure; identical repeats while retrying go to debug, so a dead camera
      // does not flood the log for months.
      if (reason !== this.lastLoggedReason)
        this.log.warn({ ...entry, state: this.stateValue }, 'camera stream failed');
      else this.log.debug(entry, 'camera stream failed again');
      this.lastLoggedReason = reason;
      this.restartTimer = setTimeout(() => {
        this.reconnects += 1;
        this.options.onReconnect?.();
        this.launch();
      }, delay);
    } finally {
      this.failing = false;
    }
  }

  private setState(state: CameraState, now: number): void {
    const previous = this.stateValue;
    if (previous === state) return;
    this.stateValue = state;
    this.stateSince = now;
    this.options.onStateChange?.(state, previous);
  }
}
