// One ffmpeg run for one camera: spawns ffmpeg with the pure argument builder, cuts stdout into whole
// RGB24 frames stamped with their capture time, and reports once how the run ended (with credentials
// scrubbed from ffmpeg's messages). The camera supervisor starts a new run after each failure.
import { spawn } from 'node:child_process';
import type { Clock } from '../../shared/runtime/clock.js';
import type { Frame } from '../pipeline/stages.js';
import { buildFfmpegArgs, type FrameSourceSpec, frameBytes } from './ffmpeg-args.js';
import { classifyFfmpegExit, redactText, type SourceFailureReason, urlSecrets } from './ffmpeg-failure.js';
import { FrameSplitter } from './frame-splitter.js';
import { type StopOutcome, stopChild, trackChild } from './stop-child.js';

export interface SourceExit {
  /** Why the run ended; meaningless when `requested` (we stopped it). */
  reason: SourceFailureReason;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Last meaningful ffmpeg stderr line, credentials redacted. */
  detail: string | undefined;
  /** True when stop() ended the run. */
  requested: boolean;
  /** Bytes of an incomplete last frame that were discarded. */
  tornBytes: number;
  frames: number;
}

export interface FrameSourceHandlers {
  onFrame(frame: Frame): void;
  /** Called exactly once per run. */
  onExit(exit: SourceExit): void;
  /** Each ffmpeg stderr line, redacted (for debug logs). */
  onStderr?(line: string): void;
}

export interface RunningSource {
  readonly pid: number | undefined;
  /** q, SIGTERM, SIGKILL in turn; resolves when ffmpeg has exited. Idempotent. */
  stop(): Promise<StopOutcome>;
  /** Stop / restart reading ffmpeg's output (back-pressure for a reader that must see every frame). */
  pause?(): void;
  resume?(): void;
}

export interface FrameSourceOptions extends FrameSourceSpec {
  cameraId: string;
  ffmpegPath: string;
  stopGraceMs: number;
  clock: Clock;
}

/** A way to start frame-source runs; the supervisor takes one so tests can count or wrap runs. */
export type StartFrameSource = (handlers: FrameSourceHandlers) => RunningSource;

const STDERR_KEEP = 20;

export function startFfmpegFrameSource(
  options: FrameSourceOptions,
  handlers: FrameSourceHandlers,
): RunningSource {
  const secrets = urlSecrets(options.url);
  const args = buildFfmpegArgs(options);
  const child = spawn(options.ffmpegPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  trackChild(child);

  let seq = 0;
  let stopRequested = false;
  const splitter = new FrameSplitter(frameBytes(options.width, options.height), (data) => {
    // ffmpeg flushes a few frames after "q"; whoever stopped the run no longer wants them.
    if (stopRequested) return;
    seq += 1;
    handlers.onFrame({
      cameraId: options.cameraId,
      seq,
      capturedAt: options.clock(),
      width: options.width,
      height: options.height,
      data,
    });
  });
  child.stdout.on('data', (chunk: Buffer) => splitter.push(chunk));

  const stderrTail: string[] = [];
  let partialLine = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    const lines = (partialLine + text).split(/\r?\n|\r/);
    partialLine = lines.pop() ?? '';
    for (const line of lines) recordStderr(line);
  });
  const recordStderr = (raw: string) => {
    const line = redactText(raw.trim(), secrets);
    if (!line) return;
    stderrTail.push(line);
    if (stderrTail.length > STDERR_KEEP) stderrTail.shift();
    handlers.onStderr?.(line);
  };

  let spawnError: string | undefined;
  let reported = false;
  const report = (code: number | null, signal: NodeJS.Signals | null) => {
    if (reported) return;
    reported = true;
    if (partialLine) recordStderr(partialLine);
    const tornBytes = splitter.end();
    handlers.onExit({
      reason: classifyFfmpegExit({ code, signal, stderr: stderrTail, spawnError }),
      code,
      signal,
      detail: spawnError ? redactText(spawnError, secrets) : stderrTail[stderrTail.length - 1],
      requested: stopRequested,
      tornBytes,
      frames: splitter.frames,
    });
  };
  child.once('error', (error) => {
    spawnError = `${options.ffmpegPath}: ${error.message}`;
    // A failed spawn emits no 'close' when nothing was opened; report here as well (report is once-only).
    if (child.pid === undefined) report(null, null);
  });
  // 'close' fires after stdout has drained, so the splitter has seen every byte ffmpeg wrote.
  child.once('close', (code, signal) => report(code, signal));

  let stopping: Promise<StopOutcome> | undefined;
  return {
    pid: child.pid,
    pause: () => child.stdout.pause(),
    resume: () => child.stdout.resume(),
    stop() {
      stopRequested = true;
      stopping ??= stopChild(child, options.stopGraceMs);
      return stopping;
    },
  };
}
