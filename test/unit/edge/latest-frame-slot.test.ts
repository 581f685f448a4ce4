import { describe, expect, it } from 'vitest';
import { LatestFrameSlot } from '../../../edge/ingest/latest-frame-slot.js';

describe('LatestFrameSlot', () => {
  it('hands the newest frame to a slow consumer and counts the ones it replaced', async () => {
    const dropped: number[] = [];
    const slot = new LatestFrameSlot<number>((n) => dropped.push(n));
    for (let i = 1; i <= 5; i++) slot.put(i);
    expect(await slot.take()).toBe(5);
    expect(dropped).toEqual([1, 2, 3, 4]);
    expect(slot.stats()).toEqual({ offered: 5, taken: 1, dropped: 4 });
  });

  it('gives a waiting consumer the next frame directly', async () => {
    const slot = new LatestFrameSlot<string>();
    const next = slot.take();
    slot.put('a');
    expect(await next).toBe('a');
    expect(slot.pending).toBe(false);
  });

  it('holds at most one frame however far the producer runs ahead (memory stays flat)', () => {
    const slot = new LatestFrameSlot<Buffer>();
    for (let i = 0; i < 10_000; i++) slot.put(Buffer.alloc(16));
    expect(slot.stats()).toEqual({ offered: 10_000, taken: 0, dropped: 9999 });
    expect(slot.pending).toBe(true);
  });

  it('wakes the consumer with undefined on close, drops what waits, and ignores later frames', async () => {
    const slot = new LatestFrameSlot<number>();
    const waiting = slot.take();
    slot.close();
    expect(await waiting).toBeUndefined();
    slot.put(1);
    expect(await slot.take()).toBeUndefined();
    const other = new LatestFrameSlot<number>();
    other.put(7);
    other.close();
    expect(other.stats().dropped).toBe(1);
  });
});
