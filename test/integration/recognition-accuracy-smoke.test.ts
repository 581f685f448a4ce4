// A smoke check on a handful of real photos, not the benchmark (`npm run bench:recognition` is).
// The photos are licensed material outside the repository: when they are absent this file is
// skipped, the one skip allowed, since the dataset is optional.
import { describe, expect, it } from 'vitest';
import { isExact, isFolded } from '../../tools/evaluation/eval-metrics.js';
import { readOpenAlprDataset } from '../../tools/evaluation/openalpr-dataset.js';
import { runEvaluation } from '../../tools/evaluation/run-eval.js';
import { openTestPipeline } from '../support/recognition.js';
import { DATASET_DIR } from '../support/shared-assets.js';

describe.skipIf(!DATASET_DIR)('recognition accuracy smoke check (shared dataset)', () => {
  it('reads most of the first 10 photos, each with a latency figure', async () => {
    const items = readOpenAlprDataset(DATASET_DIR!).slice(0, 10);
    const pipeline = await openTestPipeline({});
    try {
      const run = await runEvaluation(pipeline, items);
      expect(run.summary.n).toBe(10);
      // Loose on purpose: the benchmark measures accuracy; this catches a pipeline that is broken.
      expect(run.outcomes.filter(isExact).length).toBeGreaterThanOrEqual(6);
      expect(run.outcomes.filter(isFolded).length).toBeGreaterThanOrEqual(
        run.outcomes.filter(isExact).length,
      );
      expect(run.outcomes.every((o) => o.latencyMs > 0)).toBe(true);
    } finally {
      await pipeline.close();
    }
  });
});
