import { describe, expect, it } from 'vitest';
import { pipelineSettings, selectionRules } from '../../edge/recognition/open-pipeline.js';
import { makeConfig } from '../support/recognition.js';

describe('pipelineSettings', () => {
  it('detects on a squeezed input; the full-aspect fallback runs by itself only for photos by default', () => {
    const { recognition } = makeConfig();
    expect(pipelineSettings(recognition, 'frames')).toMatchObject({
      detection: { maxSide: 960, squeeze: 0.67 },
      fallback: { maxSide: 1280, squeeze: 1 },
      autoFallback: false,
      maxCandidates: 8,
      storeCrops: false,
    });
    expect(pipelineSettings(recognition, 'photos')).toMatchObject({
      fallback: { maxSide: 1280, squeeze: 1 },
      autoFallback: true,
    });
  });

  it('follows fallbackDetection always / never', () => {
    const always = makeConfig({ recognition: { fallbackDetection: 'always' } }).recognition;
    const never = makeConfig({ recognition: { fallbackDetection: 'never' } }).recognition;
    expect(pipelineSettings(always, 'frames').autoFallback).toBe(true);
    expect(pipelineSettings(never, 'photos').fallback).toBeUndefined();
  });

  it('screens first reads at half the storing threshold', () => {
    const { recognition } = makeConfig({ recognition: { minConfidence: 0.8 } });
    expect(pipelineSettings(recognition, 'frames').screenConfidence).toBeCloseTo(0.4);
  });
});

describe('selectionRules', () => {
  it('compiles the configured plate format', () => {
    const rules = selectionRules(
      makeConfig({ recognition: { plateFormat: { minLength: 3, maxLength: 4, pattern: '^[0-9]+$' } } })
        .recognition,
    );
    expect(rules.format.test('123')).toBe(true);
    expect(rules.format.test('12A')).toBe(false);
    expect(rules.format.test('12345')).toBe(false);
  });
});
