// Child process for crash tests: runs one purge on DB with small, paused chunks and reports progress
// over IPC after every chunk, so the parent can SIGKILL it mid-run.

import { createLogger } from '../../shared/logging/logger.js';
import { openStore } from '../../shared/store/store.js';
import { PurgeService } from '../../worker/purge.service.js';

const [file, runId, cropsDir, chunkText] = process.argv.slice(2);
if (!file || !runId || !cropsDir) throw new Error('usage: purge-child DB RUN_ID CROPS_DIR [CHUNK]');
const store = openStore(file, { retentionDays: 30 });
const service = new PurgeService({
  store,
  nodeId: 'node-t',
  chunkSize: Number(chunkText ?? 200),
  chunkMaxLockMs: 1000,
  chunkPauseMs: 5,
  cropsDir,
  clock: () => Date.now(),
  logger: createLogger({ level: 'silent' }),
});
const outcome = await service.run({
  runId,
  trigger: 'manual',
  onProgress: (p) => process.send?.({ type: 'progress', rowsDeleted: p.rowsDeleted, chunks: p.chunks }),
});
process.send?.({ type: 'done', outcome: outcome.kind });
store.close();
process.disconnect?.();
