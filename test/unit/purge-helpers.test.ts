import { describe, expect, it } from 'vitest';
import { isOrphanCrop } from '../../shared/policy/retention.js';
import { cropRelativePath, resolveCropPath } from '../../shared/store/crop-files.js';
import { ChunkPacer } from '../../worker/chunk-pacer.js';
import { runIdForJob } from '../../worker/purge.processor.js';

describe('ChunkPacer', () => {
  it('starts small, grows at most 2x per chunk while rows are cheap', () => {
    const pacer = new ChunkPacer({ maxRows: 5000, targetLockMs: 15 });
    expect(pacer.size).toBe(200);
    pacer.record(200, 1);
    expect(pacer.size).toBe(400);
    for (let i = 0; i < 10; i++) pacer.record(pacer.size, pacer.size * 0.001);
    expect(pacer.size).toBe(5000);
  });

  it('shrinks at once to the size that holds the lock for the target time', () => {
    const pacer = new ChunkPacer({ maxRows: 5000, targetLockMs: 15, initialRows: 2000 });
    pacer.record(2000, 100); // 50 µs a row
    expect(pacer.size).toBe(300);
    for (let i = 0; i < 10; i++) pacer.record(pacer.size, pacer.size * 0.05);
    expect(pacer.size).toBe(300);
  });

  it('never goes below the minimum or above the maximum', () => {
    const pacer = new ChunkPacer({ maxRows: 100, targetLockMs: 1, minRows: 10 });
    pacer.record(100, 10_000);
    expect(pacer.size).toBe(10);
  });
});

describe('resolveCropPath', () => {
  it('resolves relative paths inside the crops dir and refuses anything outside it', () => {
    expect(resolveCropPath('/var/alpr/crops', 'cam-1/42.jpg')).toBe('/var/alpr/crops/cam-1/42.jpg');
    expect(resolveCropPath('/var/alpr/crops', '/var/alpr/crops/cam-1/42.jpg')).toBe(
      '/var/alpr/crops/cam-1/42.jpg',
    );
    expect(resolveCropPath('/var/alpr/crops', '../alpr.db')).toBeUndefined();
    expect(resolveCropPath('/var/alpr/crops', 'cam-1/../../alpr.db')).toBeUndefined();
    expect(resolveCropPath('/var/alpr/crops', '/etc/passwd')).toBeUndefined();
    expect(resolveCropPath('/var/alpr/crops', '')).toBeUndefined();
  });

  it('lays new crops out by camera and UTC day, and the layout resolves inside the directory', () => {
    const relative = cropRelativePath('cam-1', Date.UTC(2026, 2, 1, 23, 59), 'a1b2');
    expect(relative).toBe(`cam-1/2026-03-01/${Date.UTC(2026, 2, 1, 23, 59)}-a1b2.jpg`);
    expect(resolveCropPath('/var/alpr/crops', relative)).toBe(`/var/alpr/crops/${relative}`);
  });
});

describe('runIdForJob', () => {
  it('is stable across attempts of a job and differs when an emptied Redis reuses an id', () => {
    expect(runIdForJob('alpr-purge-e1', { id: '7', timestamp: 1000 })).toBe('job:alpr-purge-e1:7:1000');
    expect(runIdForJob('alpr-purge-e1', { id: '7', timestamp: 2000 })).not.toBe(
      runIdForJob('alpr-purge-e1', { id: '7', timestamp: 1000 }),
    );
  });
});

describe('isOrphanCrop', () => {
  it('sweeps only unreferenced crops written before the cutoff (newer ones may be mid-write)', () => {
    expect(isOrphanCrop({ referenced: false, writtenAt: 9 }, 10)).toBe(true);
    expect(isOrphanCrop({ referenced: false, writtenAt: 10 }, 10)).toBe(false);
    expect(isOrphanCrop({ referenced: true, writtenAt: 0 }, 10)).toBe(false);
  });
});
