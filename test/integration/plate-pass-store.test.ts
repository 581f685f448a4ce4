import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { savePlateCrop } from '../../edge/recognition/plate-crop-store.js';
import { passToNewRead } from '../../shared/plates/pass-read.js';
import { createPassTracker } from '../../shared/plates/pass-tracker.js';
import { openStore } from '../../shared/store/store.js';
import { seedCompliantCamera, T0 } from '../support/factories.js';
import { makeObservation, makeTrackerSettings } from '../support/plate-factories.js';
import { tempDir } from '../support/temp-dir.js';

describe('a vehicle pass in the store', () => {
  it('stores one read per pass with its evidence, and the crop path when crops are on', async () => {
    const dir = tempDir();
    const store = openStore(path.join(dir, 'alpr.db'), { retentionDays: 30 });
    try {
      const verdictId = seedCompliantCamera(store, 'cam-1');
      const tracker = createPassTracker(makeTrackerSettings());
      for (let i = 0; i < 3; i++) {
        tracker.observe('cam-1', T0 + i * 200, [makeObservation({ cropJpeg: Buffer.from([0xff, 0xd8, i]) })]);
      }
      const [pass] = tracker.flush(T0 + 10_000);
      const cropPath = await savePlateCrop(
        path.join(dir, 'crops'),
        pass!.cameraId,
        pass!.capturedAt,
        pass!.cropJpeg!,
      );
      const id = store.reads.insert(
        passToNewRead(pass!, { verdictId, modelId: 'ppocrv4-det+cct-xs-v1-global', cropPath }),
        T0 + 10_000,
      );

      const stored = store.reads.findById(id, T0 + 10_000)!;
      expect(stored).toMatchObject({ cameraId: 'cam-1', plate: '7ABC123', cropPath, verdictId });
      expect(stored.evidence).toMatchObject({ framesSeen: 3, firstSeenAt: T0, lastSeenAt: T0 + 400 });
      expect(store.reads.countAll()).toBe(1);
      expect(readFileSync(cropPath)[0]).toBe(0xff);
      expect(statSync(cropPath).mode & 0o777).toBe(0o600);
      expect(path.basename(cropPath)).not.toContain('7ABC123');
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

  it('refuses a camera id that would escape the crops directory', async () => {
    await expect(savePlateCrop(tempDir(), '../etc', T0, Buffer.from('x'))).rejects.toThrow(RangeError);
  });
});
