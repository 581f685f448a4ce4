// Worker-thread entry point of the recognition pool: registers the TypeScript loader (the project runs
// its sources directly), then loads the worker module. Plain .mjs because a worker starts without it.
import { register } from 'tsx/esm/api';

register();
await import('./recognition-worker.ts');
