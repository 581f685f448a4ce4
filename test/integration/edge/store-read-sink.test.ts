import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreReadSink } from '../../../edge/store-read-sink.js';
import { createLogger } from '../../../shared/logging/logger.js';
import type { PassRead } from '../../../shared/plates/pass-tracker.js';
import { resolveCropPath } from '../../../shared/store/crop-files.js';
import { openStore } from '../../../shared/store/store.js';
import { makeRead, seedCompliantCamera, T0 } from '../../support/factories.js';
import { tempDir } from '../../support/temp-dir.js';

const logger = createLogger({ level: 'silent' });
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);

function makePass(overrides: Partial<PassRead> = {}): PassRead {
  return {
    cameraId: 'cam-1',
    plate: '7ABC123',
    rawText: '7ABC123',
    confidence: 0.93,
    charConfidences: [0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9],
    capturedAt: T0,
    box: { x: 1, y: 2, width: 30, height: 15 },
    cropJpeg: JPEG,
    evidence: { framesSeen: 3, firstSeenAt: T0 - 400, lastSeenAt: T0, perFrame: [] },
    ...overrides,
  };
}

/** Every file under dir, relative. */
const files = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    : [];

function setup(storeCrops: boolean) {
  const dir = tempDir();
  const store = openStore(path.join(dir, 'alpr.db'), { retentionDays: 30 });
  const verdictId = seedCompliantCamera(store, 'cam-1');
  const cropsDir = path.join(dir, 'crops');
  const sink = new StoreReadSink(store, { cropsDir, storeCrops, logger });
  return { dir, store, verdictId, cropsDir, sink };
}

describe('StoreReadSink', () => {
  it('stores passes with the verdict id and model id, and no crop file when crops are off', () => {
    const { store, verdictId, cropsDir, sink } = setup(false);
    const ids = sink.store(
      [makePass(), makePass({ plate: '8XYZ999', rawText: '8XYZ999' })],
      verdictId,
      'det+rec-v1',
      T0 + 10,
    );
    expect(ids).toHaveLength(2);
    const read = store.reads.findById(ids[0]!, T0 + 10)!;
    expect(read).toMatchObject({
      plate: '7ABC123',
      verdictId,
      modelId: 'det+rec-v1',
      cropPath: null,
      storedAt: T0 + 10,
    });
    expect(read.evidence).toMatchObject({ framesSeen: 3 });
    expect(files(cropsDir)).toEqual([]);
    store.close();
  });

  it('writes the crop under cropsDir when crops are on, and the read points at it (relative path)', () => {
    const { store, verdictId, cropsDir, sink } = setup(true);
    const [id] = sink.store([makePass()], verdictId, 'm1', T0);
    const read = store.reads.findById(id!, T0)!;
    expect(read.cropPath).toMatch(/^cam-1\/2026-03-01\/\d+-[0-9a-f]{12}\.jpg$/);
    expect(readFileSync(resolveCropPath(cropsDir, read.cropPath!)!)).toEqual(JPEG);
    expect(files(cropsDir)).toEqual([read.cropPath]);
    store.close();
  });

  it('leaves no crop behind when the store refuses the reads (all or nothing)', () => {
    const { store, cropsDir, sink } = setup(true);
    const notCompliant = store.verdicts.insert({
      cameraId: 'cam-1',
      cameraHash: 'h',
      registryVersion: 'r1',
      compliant: false,
      violations: [],
      evaluatedAt: T0,
    });
    expect(() => sink.store([makePass(), makePass()], notCompliant, 'm1', T0)).toThrow(
      /no compliant verdict/,
    );
    expect(store.reads.countAll()).toBe(0);
    expect(files(cropsDir)).toEqual([]);
    store.close();
  });

  it('stores the read without a crop when the crop cannot be written', () => {
    const { store, verdictId, cropsDir, sink } = setup(true);
    writeFileSync(cropsDir, 'not a directory');
    const [id] = sink.store([makePass()], verdictId, 'm1', T0);
    expect(store.reads.findById(id!, T0)!.cropPath).toBeNull();
    store.close();
  });

  it('after a crash, puts committed crops in place and deletes uncommitted ones', () => {
    const { store, verdictId, cropsDir, sink } = setup(true);
    const committed = 'cam-1/2026-03-01/1-aaaaaaaaaaaa.jpg';
    store.reads.insert(makeRead({ verdictId, cropPath: committed }), T0);
    mkdirSync(path.join(cropsDir, 'cam-1', '2026-03-01'), { recursive: true });
    writeFileSync(path.join(cropsDir, `${committed}.partial`), JPEG);
    writeFileSync(path.join(cropsDir, 'cam-1/2026-03-01/2-bbbbbbbbbbbb.jpg.partial'), JPEG);
    expect(sink.recoverStagedCrops()).toEqual({ restored: 1, removed: 1 });
    expect(files(cropsDir)).toEqual([committed]);
    store.close();
  });
});
