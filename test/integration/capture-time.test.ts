// A read stamped in the future outlives retention (issue 10, item 6): the edge refuses it before the
// gate, and the store's schema refuses it too, with the bound the edge configured.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { storeAllowedPasses } from '../../edge/compliance/store-allowed-passes.js';
import { StoreReadSink } from '../../edge/store-read-sink.js';
import { createLogger } from '../../shared/logging/logger.js';
import { openStore } from '../../shared/store/store.js';
import { makeRead, seedCompliantCamera, T0 } from '../support/factories.js';
import { makePass } from '../support/geofence-factories.js';
import { fixedGate } from '../support/pipeline-doubles.js';
import { tempDir } from '../support/temp-dir.js';

const MINUTE = 60_000;

function setUp() {
  const store = openStore(path.join(tempDir(), 'alpr.db'), { retentionDays: 30 });
  const verdictId = seedCompliantCamera(store);
  return { store, verdictId };
}

describe('capture times ahead of the store time', () => {
  it('are refused by the schema beyond 120 s when the edge has not said otherwise', () => {
    const { store, verdictId } = setUp();
    expect(() => store.reads.insert(makeRead({ verdictId, capturedAt: T0 + 10 * MINUTE }), T0)).toThrow(
      /capture time is ahead of the store time/,
    );
    expect(store.reads.insert(makeRead({ verdictId, capturedAt: T0 + 2 * MINUTE }), T0)).toBeGreaterThan(0);
    expect(store.reads.countAll()).toBe(1);
    store.close();
  });

  it('are refused at the bound the edge configured (ingest.maxClockSkewS), by the edge and by the schema', () => {
    const { store, verdictId } = setUp();
    const sink = new StoreReadSink(store, {
      cropsDir: path.join(path.dirname(store.file), 'crops'),
      storeCrops: false,
      maxClockSkewMs: 30_000,
      logger: createLogger({ level: 'silent' }),
    });
    const gate = fixedGate({ 'cam-1': { allow: true, verdictId } });
    const passes = [
      makePass({ capturedAt: T0 + MINUTE, plate: 'AHEAD1' }),
      makePass({ capturedAt: T0 + 10_000 }),
    ];
    const out = storeAllowedPasses(gate, sink, passes, 'm', T0, 30_000);
    expect(out.refused).toEqual([
      {
        cameraId: 'cam-1',
        reason: 'clock_skew',
        count: 1,
        detail: 'capture time is 60 s ahead of the store time (more than ingest.maxClockSkewS = 30 s)',
      },
    ]);
    expect(out.storedIds).toHaveLength(1);
    // A caller that skips the edge's rule meets the same bound in the schema.
    expect(() => sink.store([makePass({ capturedAt: T0 + MINUTE })], verdictId, 'm', T0)).toThrow(
      /capture time is ahead of the store time/,
    );
    expect(store.reads.search({}, T0 + MINUTE).map((r) => r.plate)).not.toContain('AHEAD1');
    store.close();
  });
});
