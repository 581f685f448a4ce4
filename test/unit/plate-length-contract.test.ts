// The edge must never store a read the hub would refuse: the longest plate any preset (or config
// override) accepts is exactly the longest the hub's wire check accepts.
import { describe, expect, it } from 'vitest';
import { recognitionSchema } from '../../shared/config/recognition.schema.js';
import { checkWireRead } from '../../shared/forward/wire.js';
import { compilePlateFormat, presetFormat } from '../../shared/plates/plate-format.js';
import { MAX_PLATE_LENGTH, PRESET_RULES } from '../../shared/plates/plate-presets.js';
import { wireRead } from '../support/hub-ingest.js';

describe('plate length: edge presets against the hub wire contract', () => {
  it('every preset stores at most what the hub accepts', () => {
    for (const [name, rules] of Object.entries(PRESET_RULES)) {
      expect(rules.maxLength, name).toBeLessThanOrEqual(MAX_PLATE_LENGTH);
    }
  });

  it('the hub accepts the longest plate the loosest preset stores, and refuses one longer', () => {
    const longest = 'A'.repeat(MAX_PLATE_LENGTH);
    expect(compilePlateFormat(presetFormat('none')).test(longest)).toBe(true);
    expect(checkWireRead(wireRead({ plate: longest, rawText: longest })).ok).toBe(true);
    const tooLong = `${longest}B`;
    expect(compilePlateFormat(presetFormat('none')).test(tooLong)).toBe(false);
    expect(checkWireRead(wireRead({ plate: tooLong, rawText: tooLong })).ok).toBe(false);
  });

  it('a config override cannot raise the edge above the hub limit', () => {
    const parsed = recognitionSchema.safeParse({
      plateFormat: { preset: 'none', maxLength: MAX_PLATE_LENGTH + 1 },
    });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues[0]?.path)).toContain('maxLength');
  });
});
