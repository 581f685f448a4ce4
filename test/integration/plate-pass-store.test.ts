import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreReadSink } from '../../edge/store-read-sink.js';
import { createLogger } from '../../shared/logging/logger.js';
import { passToNewRead } from '../../shared/plates/pass-read.js';
import { createPassTracker } from '../../shared/plates/pass-tracker.js';
import { resolveCropPath } from '../../shared/store/crop-files.js';
import { openStore } from '../../shared/store/store.js';
import { seedCompliantCamera, T0 } from '../support/factories.js';
import { makeObservation, makeTrackerSettings } from '../support/plate-factories.js';
import { tempDir } from '../support/temp-dir.js';

const logger = createLogger({ level: 'silent' });

describe('a vehicle pass in the store', () => {
  it('stores one read per pass with its evidence, and the crop when crops are on', () => {
    const dir = tempDir();
    const cropsDir = path.join(dir, 'crops');
    const store = openStore(path.join(dir, 'alpr.db'), { retentionDays: 30 });
    try {
      const verdictId = seedCompliantCamera(store, 'cam-1');
      const tracker = createPassTracker(makeTrackerSettings());
      for (let i = 0; i < 3; i++) {
        tracker.observe('cam-1', T0 + i * 200, [makeObservation({ cropJpeg: Buffer.from([0xff, 0xd8, i]) })]);
      }
      const passes = tracker.flush(T0 + 10_000);
      expect(passes).toHaveLength(1);
      const sink = new StoreReadSink(store, { cropsDir, storeCrops: true, logger });
      const [id] = sink.store(passes, verdictId, 'ppocrv4-det+cct-xs-v1-global', T0 + 10_000);

      const stored = store.reads.findById(id!, T0 + 10_000)!;
      expect(stored).toMatchObject({ cameraId: 'cam-1', plate: '7ABC123', verdictId });
      expect(stored.evidence).toMatchObject({ framesSeen: 3, firstSeenAt: T0, lastSeenAt: T0 + 400 });
      expect(store.reads.countAll()).toBe(1);
      const crop = resolveCropPath(cropsDir, stored.cropPath!)!;
      expect(readFileSync(crop)[0]).toBe(0xff);
      expect(statSync(crop).mode & 0o777).toBe(0o600);
      expect(path.basename(crop)).not.toContain('7ABC123');
    } finally {
      store.close();
    }
  });

  it('stores no crop path when crops are off', () => {
    const tracker = createPassTracker(makeTrackerSettings());
    tracker.observe('cam-1', T0, [makeObservation()]);
    const [pass] = tracker.flushAll();
    expect(pass!.cropJpeg).toBeUndefined();
    expect(passToNewRead(pass!, { verdictId: 1, modelId: 'm' }).cropPath).toBeNull();
  });
});
