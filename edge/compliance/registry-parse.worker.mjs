// Worker thread entry: validates one site registry text off the edge's event loop and posts the
// result back. Plain JavaScript so Node can start it without a loader; it registers the project's
// TypeScript loader itself, like bin/alpr.mjs.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { parseSiteRegistry } = await import('../../shared/geofence/site-registry.ts');
parentPort.postMessage(parseSiteRegistry(workerData));
