// One recognition worker thread: opens its own model sessions (one core's worth of work) and reads the
// images the pool sends it. Stateless per image; per-camera state stays with the CameraRecognizer.
import { parentPort, workerData } from 'node:worker_threads';
import { type OpenPipelineOptions, openPlatePipeline } from './open-pipeline.js';
import type { PoolRequest, PoolResponse } from './recognition-pool.js';

const port = parentPort;
if (!port) throw new Error('recognition-worker must run in a worker thread');
const options = workerData as Omit<OpenPipelineOptions, 'cameras'>;

try {
  const pipeline = await openPlatePipeline({ ...options, mode: 'frames' });
  port.on('message', async (message: PoolRequest) => {
    if (message.kind === 'close') {
      await pipeline.close();
      port.postMessage({ kind: 'closed' } satisfies PoolResponse);
      return;
    }
    const { id, width, height, data, options: read } = message;
    try {
      const result = await pipeline.readImage({ width, height, data: Buffer.from(data) }, read);
      const crops: ArrayBuffer[] = [];
      const observations = result.observations.map((o) => {
        if (!o.cropJpeg) return o;
        const copy = new Uint8Array(o.cropJpeg).buffer;
        crops.push(copy);
        return { ...o, cropJpeg: undefined, crop: copy };
      });
      const response: PoolResponse = {
        kind: 'result',
        id,
        result: { ...result, observations, candidates: [] },
      };
      port.postMessage(response, crops);
    } catch (error) {
      port.postMessage({ kind: 'error', id, message: (error as Error).message } satisfies PoolResponse);
    }
  });
  port.postMessage({ kind: 'ready', modelId: pipeline.modelId } satisfies PoolResponse);
} catch (error) {
  port.postMessage({ kind: 'failed', message: (error as Error).message } satisfies PoolResponse);
}
