// Recognition on worker threads: onnxruntime-node runs a session synchronously on the thread that
// calls it, so in one thread every camera waits for every other and ffmpeg's output is not read while
// a frame is analysed (frames then never reach the slot). The pool runs one plate pipeline per worker
// (its own sessions, one intra-op thread), sends each image to the least busy worker (the frame is
// copied into a transferable buffer, ~1 ms for 1280x720) and keeps the main thread free for ingest.
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../shared/logging/logger.js';
import type { OpenPipelineOptions } from './open-pipeline.js';
import type { ImageReader, ImageRecognition, ReadOptions } from './plate-pipeline.js';
import type { RawImage } from './raw-image.js';

export type PoolRequest =
  | { kind: 'read'; id: number; width: number; height: number; data: ArrayBuffer; options: ReadOptions }
  | { kind: 'close' };

type WireObservation = ImageRecognition['observations'][number] & { crop?: ArrayBuffer };

export type PoolResponse =
  | { kind: 'ready'; modelId: string }
  | { kind: 'failed'; message: string }
  | {
      kind: 'result';
      id: number;
      result: Omit<ImageRecognition, 'observations'> & { observations: WireObservation[] };
    }
  | { kind: 'error'; id: number; message: string }
  | { kind: 'closed' };

interface Pending {
  resolve: (r: ImageRecognition) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  alive: boolean;
}

const WORKER_ENTRY = new URL('./recognition-worker.mjs', import.meta.url);

export class RecognitionPool implements ImageReader {
  private nextId = 1;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly slots: Slot[],
    readonly modelId: string,
    private readonly logger?: Logger,
  ) {}

  /**
   * Start `size` workers, each verifying and opening both models; fails (naming the file) if any fails.
   * @example const pool = await RecognitionPool.open(2, { models, recognition, mode: 'frames' });
   */
  static async open(
    size: number,
    options: Omit<OpenPipelineOptions, 'cameras'>,
    logger?: Logger,
  ): Promise<RecognitionPool> {
    if (!(size >= 1)) throw new RangeError(`a recognition pool needs at least one worker, got ${size}`);
    const data = {
      models: options.models,
      recognition: options.recognition,
      mode: options.mode,
      frameSize: options.frameSize,
    };
    const started = await Promise.allSettled(Array.from({ length: size }, () => startWorker(data)));
    const failed = started.find((s) => s.status === 'rejected');
    const slots = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value.slot] : []));
    if (failed) {
      await Promise.all(slots.map((s) => s.worker.terminate()));
      throw (failed as PromiseRejectedResult).reason;
    }
    const modelId = (started[0] as PromiseFulfilledResult<{ modelId: string }>).value.modelId;
    const pool = new RecognitionPool(slots, modelId, logger);
    for (const slot of slots) pool.watch(slot);
    return pool;
  }

  get size(): number {
    return this.slots.length;
  }

  readImage(image: RawImage, options: ReadOptions = {}): Promise<ImageRecognition> {
    if (this.closing) return Promise.reject(new Error('recognition pool is closed'));
    const live = this.slots.filter((s) => s.alive);
    if (live.length === 0) return Promise.reject(new Error('every recognition worker has stopped'));
    const slot = live.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.nextId++;
    // A copy the worker can own: frame buffers may be slices of a larger pooled buffer.
    const data = new Uint8Array(image.data.length);
    data.set(image.data);
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      const request: PoolRequest = {
        kind: 'read',
        id,
        width: image.width,
        height: image.height,
        data: data.buffer,
        options: {
          roi: options.roi,
          masks: options.masks?.map((m) => m.map((p) => [p[0], p[1]] as const)),
          focus: options.focus,
          fine: options.fine,
        },
      };
      slot.worker.postMessage(request, [data.buffer]);
    });
  }

  close(): Promise<void> {
    this.closing ??= Promise.all(
      this.slots.map(async (slot) => {
        if (!slot.alive) return;
        const closed = new Promise<void>((resolve) => {
          slot.worker.once('exit', () => resolve());
          slot.worker.on('message', (m: PoolResponse) => {
            if (m.kind === 'closed') void slot.worker.terminate();
          });
        });
        slot.worker.postMessage({ kind: 'close' } satisfies PoolRequest);
        await Promise.race([closed, new Promise((r) => setTimeout(r, 5000).unref())]);
        await slot.worker.terminate();
      }),
    ).then(() => undefined);
    return this.closing;
  }

  private watch(slot: Slot): void {
    slot.worker.on('message', (m: PoolResponse) => {
      if (m.kind !== 'result' && m.kind !== 'error') return;
      const pending = slot.pending.get(m.id);
      if (!pending) return;
      slot.pending.delete(m.id);
      if (m.kind === 'error') pending.reject(new Error(m.message));
      else {
        const observations = m.result.observations.map(({ crop, ...o }) =>
          crop ? { ...o, cropJpeg: Buffer.from(crop) } : o,
        );
        pending.resolve({ ...m.result, observations });
      }
    });
    const fail = (why: string) => {
      slot.alive = false;
      for (const p of slot.pending.values()) p.reject(new Error(`recognition worker stopped: ${why}`));
      slot.pending.clear();
    };
    slot.worker.on('error', (error) => {
      this.logger?.error({ err: error }, 'recognition worker failed');
      fail(error.message);
    });
    slot.worker.on('exit', (code) => {
      if (!this.closing) this.logger?.error({ code }, 'recognition worker exited');
      fail(`exit ${code}`);
    });
  }
}

function startWorker(data: unknown): Promise<{ slot: Slot; modelId: string }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_ENTRY, { workerData: data });
    const onMessage = (m: PoolResponse) => {
      if (m.kind === 'ready') {
        worker.off('message', onMessage);
        resolve({ slot: { worker, pending: new Map(), alive: true }, modelId: m.modelId });
      } else if (m.kind === 'failed') {
        worker.off('message', onMessage);
        void worker.terminate();
        reject(new Error(m.message));
      }
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`recognition worker exited at start (code ${code})`)));
  });
}
