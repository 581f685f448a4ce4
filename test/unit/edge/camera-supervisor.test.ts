import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type CameraState, CameraSupervisor } from '../../../edge/ingest/camera-supervisor.js';
import type { FrameSourceHandlers, SourceExit } from '../../../edge/ingest/ffmpeg-frame-source.js';
import { createLogger } from '../../../shared/logging/logger.js';

/** A scripted frame source (pure logic test of the state machine; the real one is tested in integration). */
function scriptedSources() {
  const runs: Array<{
    handlers: FrameSourceHandlers;
    stopped: boolean;
    frame(): void;
    exit(e?: Partial<SourceExit>): void;
  }> = [];
  const start = (handlers: FrameSourceHandlers) => {
    let seq = 0;
    const run = {
      handlers,
      stopped: false,
      frame: () =>
        handlers.onFrame({
          cameraId: 'c1',
          seq: ++seq,
          capturedAt: Date.now(),
          width: 2,
          height: 2,
          data: Buffer.alloc(12),
        }),
      exit: (e: Partial<SourceExit> = {}) =>
        handlers.onExit({
          reason: 'stream_ended',
          code: 0,
          signal: null,
          detail: undefined,
          requested: run.stopped,
          tornBytes: 0,
          frames: seq,
          ...e,
        }),
    };
    runs.push(run);
    return {
      pid: 1000 + runs.length,
      stop: async () => {
        if (!run.stopped) {
          run.stopped = true;
          run.exit({ requested: true });
        }
        return 'quit' as const;
      },
    };
  };
  return { runs, start };
}

const logger = createLogger({ level: 'silent' });

function supervisor(
  start: ReturnType<typeof scriptedSources>['start'],
  states: CameraState[] = [],
  firstConnect?: { attempts: number; retryMs: number },
) {
  return new CameraSupervisor({
    firstConnect,
    cameraId: 'c1',
    url: 'rtsp://u:p@cam/s',
    startSource: start,
    onFrame: () => undefined,
    onStateChange: (s) => states.push(s),
    staleAfterMs: 4000,
    offlineAfterMs: 20_000,
    backoff: { initialMs: 1000, maxMs: 8000, jitter: 0 },
    random: () => 0.5,
    clock: () => Date.now(),
    logger,
  });
}

describe('CameraSupervisor', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.UTC(2026, 2, 1) });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('goes starting → online on the first frame', async () => {
    const { runs, start } = scriptedSources();
    const s = supervisor(start);
    s.start();
    expect(s.state).toBe('starting');
    runs[0]!.frame();
    expect(s.state).toBe('online');
    expect(s.status().framesIn).toBe(1);
    await s.stop();
  });

  it('restarts a run that exits, after the backoff delay, and goes online again', async () => {
    const { runs, start } = scriptedSources();
    const states: CameraState[] = [];
    const s = supervisor(start, states);
    s.start();
    runs[0]!.frame();
    runs[0]!.exit({ reason: 'stream_ended' });
    await vi.advanceTimersByTimeAsync(0);
    expect(s.state).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(999);
    expect(runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(2);
    runs[1]!.frame();
    expect(states).toEqual(['online', 'reconnecting', 'online']);
    expect(s.status().reconnects).toBe(1);
    await s.stop();
  });

  it('restarts a run that delivers no frame within staleAfter (the watchdog)', async () => {
    const { runs, start } = scriptedSources();
    const s = supervisor(start);
    s.start();
    runs[0]!.frame();
    await vi.advanceTimersByTimeAsync(5100); // checked once a second: fires on the first tick past 4 s
    expect(runs[0]!.stopped).toBe(true);
    expect(s.state).toBe('reconnecting');
    expect(s.status().lastFailure?.reason).toBe('stalled');
    await s.stop();
  });

  it('backs off exponentially up to the cap while a camera keeps failing, then reports it offline', async () => {
    const { runs, start } = scriptedSources();
    const s = supervisor(start);
    s.start();
    const starts: number[] = [Date.now()];
    for (let i = 0; i < 6; i++) {
      runs.at(-1)!.exit({ reason: 'unreachable', code: 1 });
      const before = runs.length;
      while (runs.length === before) await vi.advanceTimersByTimeAsync(100);
      starts.push(Date.now());
    }
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    expect(gaps.map((g) => Math.round(g / 100) * 100)).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    expect(s.state).toBe('offline'); // 31 s without a frame > offlineAfter 20 s
    runs.at(-1)!.frame();
    expect(s.state).toBe('online');
    await s.stop();
  });

  it('retries a camera that has never delivered a frame quickly at first, then with the backoff', async () => {
    const { runs, start } = scriptedSources();
    const s = supervisor(start, [], { attempts: 3, retryMs: 250 });
    s.start();
    const starts: number[] = [Date.now()];
    for (let i = 0; i < 5; i++) {
      runs.at(-1)!.exit({ reason: 'unreachable', code: 1 });
      const before = runs.length;
      while (runs.length === before) await vi.advanceTimersByTimeAsync(50);
      starts.push(Date.now());
    }
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    expect(gaps.map((g) => Math.round(g / 50) * 50)).toEqual([250, 250, 250, 1000, 2000]);
    // Once it has been online, a failure waits the backoff, never the quick retry.
    runs.at(-1)!.frame();
    runs.at(-1)!.exit({ reason: 'stream_ended' });
    const before = runs.length;
    await vi.advanceTimersByTimeAsync(999);
    expect(runs).toHaveLength(before);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(before + 1);
    await s.stop();
  });

  it('stops for good: no restart after stop, and the running source is stopped', async () => {
    const { runs, start } = scriptedSources();
    const s = supervisor(start);
    s.start();
    await s.stop();
    expect(runs[0]!.stopped).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs).toHaveLength(1);
  });

  it('goes offline without restarting when the pipeline behind it faults', async () => {
    const { runs, start } = scriptedSources();
    const s = supervisor(start);
    s.start();
    runs[0]!.frame();
    await s.fault('tracker bug');
    expect(s.state).toBe('offline');
    expect(s.status().lastFailure).toMatchObject({ reason: 'pipeline_failed', detail: 'tracker bug' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs).toHaveLength(1);
  });
});
