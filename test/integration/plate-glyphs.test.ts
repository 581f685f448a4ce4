// The project's own plate lettering, read by the real CCT-XS recognizer: every glyph must read as
// itself, apart from the O/0 confusion that real plates share (why the demo's plates avoid O).
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CctPlateRecognizer } from '../../edge/recognition/plate-recognizer.js';
import { defaultModelPath, manifestEntry } from '../../models/manifest.js';
import { renderPlatePng } from '../../sim/synthetic/render-plate.js';

const CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
let recognizer: CctPlateRecognizer;

/** Deterministic plates of 5-7 characters covering the whole alphabet. */
function randomPlates(n: number): string[] {
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: 5 + (i % 3) }, () => CHARS[Math.floor(next() * CHARS.length)]).join(''),
  );
}

const foldO = (s: string) => s.replaceAll('O', '0');

describe('plate glyphs (sim/synthetic/plate-glyphs.ts)', () => {
  beforeAll(async () => {
    const entry = manifestEntry('recognizer');
    recognizer = await CctPlateRecognizer.open({ file: defaultModelPath(entry), entry, threads: 1 });
  });
  afterAll(() => recognizer?.close());

  it('reads 150 random plates exactly except for O/0 confusions', async () => {
    const plates = randomPlates(150);
    const crops = await Promise.all(
      plates.map(async (text) =>
        sharp(await renderPlatePng(text))
          .flatten({ background: '#ffffff' })
          .resize(recognizer.inputWidth, recognizer.inputHeight, { fit: 'fill' })
          .raw()
          .toBuffer(),
      ),
    );
    const reads = await recognizer.read(crops);
    const exact = reads.filter((r, i) => r.text === plates[i]).length;
    const misses = reads.flatMap((r, i) => (r.text === plates[i] ? [] : [`${plates[i]}->${r.text}`]));
    expect(misses.filter((m) => foldO(m.split('->')[0]!) !== foldO(m.split('->')[1]!))).toEqual([]);
    expect(exact).toBeGreaterThanOrEqual(120); // measured 125 of 150
  });
});
