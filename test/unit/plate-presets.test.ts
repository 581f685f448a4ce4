import { describe, expect, it } from 'vitest';
import { compilePlateFormat, foldPlateText, presetFormat } from '../../shared/plates/plate-format.js';
import { fitsLayout, layoutWeight, resolveAmbiguous } from '../../shared/plates/plate-presets.js';

describe('resolveAmbiguous (us)', () => {
  it('reads O as the digit zero when no layout needs a letter there', () => {
    expect(resolveAmbiguous('UH1FOF', 'us')).toBe('UH1F0F');
    expect(resolveAmbiguous('OSG719', 'us')).toBe('0SG719');
    expect(resolveAmbiguous('HLOKTY1', 'us')).toBe('HL0KTY1');
  });

  it('settles I/1 by position in the California layout 1ABC234, and digits wherever a digit belongs', () => {
    expect(resolveAmbiguous('7C1D930', 'us')).toBe('7CID930');
    expect(resolveAmbiguous('7ABCI2O', 'us')).toBe('7ABC120');
    expect(resolveAmbiguous('5LOD951', 'us')).toBe('5L0D951'); // never the letter O, even in a letter slot
  });

  it('settles them in the ABC1234 layout of many states', () => {
    expect(resolveAmbiguous('AB11234', 'us')).toBe('ABI1234');
    expect(resolveAmbiguous('ABCI23O', 'us')).toBe('ABC1230');
  });

  it('keeps an I or 1 that no layout settles as it was read (vanity plates)', () => {
    expect(resolveAmbiguous('NEILDMND', 'us')).toBe('NEILDMND');
    expect(resolveAmbiguous('59CADI', 'us')).toBe('59CADI');
    expect(resolveAmbiguous('CJ1P5G', 'us')).toBe('CJ1P5G');
  });

  it('never changes other characters or the length', () => {
    for (const read of ['B8S5Z2', '8BDJ0529', 'ZZZZZ', '0000000']) {
      const out = resolveAmbiguous(read, 'us');
      expect(out).toHaveLength(read.length);
      expect(foldPlateText(out)).toBe(foldPlateText(read));
    }
  });
});

describe('resolveAmbiguous (other presets)', () => {
  it('br settles both Mercosul and the old layout', () => {
    expect(resolveAmbiguous('ABC1D23', 'br')).toBe('ABC1D23');
    expect(resolveAmbiguous('0BC1234', 'br')).toBe('OBC1234');
    expect(resolveAmbiguous('ABCI2O4', 'br')).toBe('ABC1204');
  });

  it('eu and none keep the read', () => {
    expect(resolveAmbiguous('MO1234', 'eu')).toBe('MO1234');
    expect(resolveAmbiguous('OI', 'none')).toBe('OI');
  });
});

describe('fitsLayout', () => {
  it('matches letters, digits and wildcards by position', () => {
    expect(fitsLayout('7ABC123', 'DLLLDDD')).toBe(true);
    expect(fitsLayout('7AB1123', 'DLLLDDD')).toBe(false);
    expect(fitsLayout('ABC1D23', 'LLLDXDD')).toBe(true);
    expect(fitsLayout('ABC123', 'LLLDDDD')).toBe(false);
  });
});

describe('compiled presets', () => {
  it('normalise a raw read to the plate (upper case, padding dropped, ambiguities settled)', () => {
    expect(compilePlateFormat(presetFormat('us')).normalise('7c1d930__')).toBe('7CID930');
    expect(compilePlateFormat(presetFormat('none')).normalise('7c1d930__')).toBe('7C1D930');
  });

  it('take lengths and pattern from the preset unless overridden', () => {
    expect(presetFormat('us')).toEqual({ preset: 'us', minLength: 5, maxLength: 8, pattern: '^[A-Z0-9]+$' });
    expect(presetFormat('us', { minLength: 2 }).minLength).toBe(2);
    // A state name printed on the plate is never the plate (us only).
    expect(compilePlateFormat(presetFormat('us')).test('TEXAS')).toBe(false);
    expect(compilePlateFormat(presetFormat('none')).test('TEXAS')).toBe(true);
    const br = compilePlateFormat(presetFormat('br'));
    expect(br.test('ABC1D23')).toBe(true);
    expect(br.test('ABCD123')).toBe(false);
  });
});

describe('layoutWeight', () => {
  it("weighs a read by the preset's heaviest layout it fits", () => {
    expect(layoutWeight('5RIN962', 'us')).toBe(2);
    expect(layoutWeight('ABC1234', 'us')).toBe(2);
    expect(layoutWeight('123ABC', 'us')).toBe(1);
    expect(layoutWeight('219906', 'us')).toBe(0);
    expect(layoutWeight('5RIN962', 'none')).toBe(0);
    expect(compilePlateFormat(presetFormat('us')).layoutWeight?.('5RIN962')).toBe(2);
  });
});
