// Validates registry text for the gate: inline when it is small (a few milliseconds), in a worker thread
// when it is large, so a multi-megabyte registry replaced on a running edge never stalls its cameras.
import { Worker } from 'node:worker_threads';
import { parseSiteRegistry, type RegistryResult } from '../../shared/geofence/site-registry.js';

/** Registry files up to this size are validated on the calling thread. */
export const INLINE_PARSE_MAX_BYTES = 64 * 1024;

const WORKER_URL = new URL('./registry-parse.worker.mjs', import.meta.url);

/** Validate `text` in a worker thread; resolves with the result (a crashed worker becomes a problem). */
export function parseRegistryInWorker(text: string): { result: Promise<RegistryResult>; cancel: () => void } {
  const worker = new Worker(WORKER_URL, { workerData: text });
  worker.unref();
  const result = new Promise<RegistryResult>((resolve) => {
    let settled = false;
    const settle = (r: RegistryResult) => {
      if (settled) return;
      settled = true;
      resolve(r);
      void worker.terminate();
    };
    worker.once('message', (r: RegistryResult) => settle(r));
    worker.once('error', (error) =>
      settle({
        ok: false,
        problems: [{ path: '', message: `registry validation failed: ${error.message}` }],
      }),
    );
    worker.once('exit', (code) =>
      settle({
        ok: false,
        problems: [{ path: '', message: `registry validation stopped (worker exit ${code})` }],
      }),
    );
  });
  return { result, cancel: () => void worker.terminate() };
}

/** Validate synchronously (small files, and callers that must have the answer now). */
export function parseRegistryInline(text: string): RegistryResult {
  return parseSiteRegistry(text);
}
