import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameSplitter } from '../../../edge/ingest/frame-splitter.js';

/** Bytes 0..n-1 (mod 256), so frames can be checked byte for byte. */
const stream = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => i % 256));

describe('FrameSplitter', () => {
  it('assembles frames across reads of any size and keeps their bytes in order (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 6 }),
        fc.array(fc.integer({ min: 1, max: 120 }), { minLength: 1, maxLength: 40 }),
        (frameSize, frames, cuts) => {
          const bytes = stream(frameSize * frames + Math.floor(frameSize / 2));
          const out: Buffer[] = [];
          const splitter = new FrameSplitter(frameSize, (f) => out.push(f));
          let offset = 0;
          for (let i = 0; offset < bytes.length; i++) {
            const n = cuts[i % cuts.length]!;
            splitter.push(bytes.subarray(offset, offset + n));
            offset += n;
          }
          const torn = splitter.end();
          expect(out).toHaveLength(frames);
          expect(Buffer.concat(out)).toEqual(bytes.subarray(0, frameSize * frames));
          expect(torn).toBe(Math.floor(frameSize / 2));
        },
      ),
    );
  });

  it('never emits the partial frame left when the stream stops mid-frame', () => {
    const out: Buffer[] = [];
    const splitter = new FrameSplitter(12, (f) => out.push(f));
    splitter.push(stream(30));
    expect(out).toHaveLength(2);
    expect(splitter.end()).toBe(6);
    expect(out).toHaveLength(2);
    expect(splitter.end()).toBe(0);
  });

  it('hands out frames that do not share memory with the input chunk', () => {
    const out: Buffer[] = [];
    const chunk = stream(8);
    new FrameSplitter(4, (f) => out.push(f)).push(chunk);
    chunk.fill(0);
    expect([...out[0]!]).toEqual([0, 1, 2, 3]);
  });
});
