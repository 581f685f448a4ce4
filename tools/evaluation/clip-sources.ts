// Frame sources for `alpr eval --video`: the clip's one ffmpeg run (a restart by the camera supervisor
// must not read the clip again), and the paced source that hands on every sampled frame one at a time.

import {
  type RunningSource,
  type StartFrameSource,
  startFfmpegFrameSource,
} from '../../edge/ingest/ffmpeg-frame-source.js';
import type { Frame } from '../../edge/pipeline/stages.js';
import type { ResolvedCamera } from '../../shared/config/camera.schema.js';

/** Resolves when the clip's ffmpeg run ends by itself; later restarts by the supervisor read nothing. */
export function clipEnd() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  let runs = 0;
  return {
    promise,
    wrap(start: StartFrameSource): StartFrameSource {
      return (handlers) => {
        runs += 1;
        if (runs > 1) {
          // The clip is over: a restart must not read it again from the start.
          return { pid: undefined, stop: async () => 'already_exited' as const };
        }
        return start({
          ...handlers,
          onExit(exit) {
            handlers.onExit(exit);
            resolve();
          },
        });
      };
    },
  };
}

/**
 * Every sampled frame of a file, one at a time: the next frame is handed on only once the recognizer
 * finished the last (so the latest-frame slot never drops), stamped with the clip's own time, and never
 * faster than twice real time (timers elsewhere — the gate's re-check — run on the wall clock).
 */
export function pacedSource(camera: ResolvedCamera, ffmpegPath: string, origin: number) {
  const periodMs = 1000 / camera.sampleFps;
  const queue: Frame[] = [];
  let running: RunningSource | undefined;
  let deliver: ((frame: Frame) => void) | undefined;
  let busy = false;
  let ended = false;
  let finish: (() => void) | undefined;
  let virtual = origin;
  const startedAt = Date.now();
  const pump = () => {
    if (busy || !deliver) return;
    const frame = queue.shift();
    if (!frame) {
      if (ended) finish?.();
      return;
    }
    if (queue.length < 2) running?.resume?.();
    const wait = (frame.capturedAt - origin) / 2 - (Date.now() - startedAt);
    busy = true;
    setTimeout(
      () => {
        virtual = frame.capturedAt;
        deliver?.(frame);
      },
      Math.max(0, wait),
    );
  };
  const start: StartFrameSource = (handlers) => {
    deliver = handlers.onFrame;
    running = startFfmpegFrameSource(
      {
        cameraId: camera.id,
        url: camera.url,
        sampleFps: camera.sampleFps,
        width: camera.frame.width,
        height: camera.frame.height,
        rtspTransport: camera.rtspTransport,
        realtime: false,
        ffmpegPath,
        stopGraceMs: 2000,
        clock: () => virtual,
      },
      {
        onFrame(frame) {
          queue.push({ ...frame, capturedAt: origin + (frame.seq - 1) * periodMs });
          if (queue.length >= 2) running?.pause?.();
          pump();
        },
        onExit(exit) {
          ended = true;
          // The clip is decoded; its end is reported once every queued frame has been analysed.
          finish = () => handlers.onExit(exit);
          pump();
        },
        onStderr: handlers.onStderr,
      },
    );
    return running;
  };
  return {
    start,
    clock: () => virtual,
    frameDone() {
      busy = false;
      pump();
    },
  };
}
