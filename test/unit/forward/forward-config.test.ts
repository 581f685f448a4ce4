// The forward section: a hub URL is required to forward, plates never go over plain http to another
// host, and the limits of the protocol hold.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/config/load-config.js';

const issues = (forward: Record<string, unknown>) => {
  const result = parseConfig({ forward }, '/tmp');
  return result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`);
};

describe('forward config', () => {
  it('is off by default and resolves the key path against the config directory', () => {
    const result = parseConfig({}, '/srv/alpr');
    expect(result.ok && result.value.config.forward).toMatchObject({
      enabled: false,
      edgeKeyPath: '/srv/alpr/data/keys/hub-edge.key',
      batchSize: 500,
      everyMs: 2000,
    });
  });

  it('needs hubUrl when enabled', () => {
    expect(issues({ enabled: true })).toEqual(['forward.hubUrl: required when forward.enabled is true']);
  });

  it('refuses plain http to anything but loopback, and accepts https or loopback', () => {
    expect(issues({ enabled: true, hubUrl: 'http://hub.city.example:9470' })).toEqual([
      'forward.hubUrl: http:// to hub.city.example would send plates in clear text: use https:// (or a loopback address)',
    ]);
    expect(issues({ enabled: true, hubUrl: 'https://hub.city.example:9470' })).toEqual([]);
    expect(issues({ enabled: true, hubUrl: 'http://127.0.0.1:9470' })).toEqual([]);
    expect(issues({ enabled: true, hubUrl: 'http://[::1]:9470' })).toEqual([]);
  });

  it('keeps batches within the protocol’s 500 and back-off bounds consistent', () => {
    expect(issues({ batchSize: 501 })[0]).toMatch(/^forward\.batchSize:/);
    expect(issues({ backoffInitialMs: 5000, backoffMaxMs: 1000 })).toEqual([
      'forward.backoffInitialMs: must not exceed backoffMaxMs (1000)',
    ]);
    expect(issues({ hubUrl: 'ftp://x' })[0]).toMatch(/^forward\.hubUrl:/);
    expect(issues({ sneaky: true })[0]).toMatch(/sneaky/);
  });
});
