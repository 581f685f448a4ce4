// Config of hub retention and of an edge following the hub's registry: defaults, bounds, and the errors
// an operator sees (naming the key) for a bad hub key or a registry fetched in clear text.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/load-config.js';

const parse = (raw: unknown) => parseConfig(raw, '/etc/alpr');
const KEY = Buffer.alloc(32, 3).toString('base64');

describe('hub retention config', () => {
  it('defaults to hourly runs, a week of partitions ahead, and retention.days for how long reads live', () => {
    const result = parse({});
    if (!result.ok) throw new Error('defaults invalid');
    expect(result.value.config.hub.retention).toEqual({
      everyMinutes: 60,
      localFallbackMinutes: 15,
      partitionsAheadDays: 7,
      queuePrefix: 'alpr',
      leaseSeconds: 300,
      lockTimeoutMs: 2000,
    });
    expect(result.value.config.hub.redisUrl).toBeUndefined();
  });

  it.each([
    [{ hub: { retention: { everyMinutes: 61 } } }, 'hub.retention.everyMinutes'],
    [{ hub: { retention: { days: 30 } } }, 'hub.retention'],
    [{ hub: { redisUrl: 'http://x' } }, 'hub.redisUrl'],
    [{ retention: { days: 31 } }, 'retention.days'],
  ])('refuses %j naming %s', (raw, key) => {
    const result = parse(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path).join(' ')).toContain(key);
  });
});

describe('sites.hub (the registry from the hub)', () => {
  const hub = (overrides: Record<string, unknown>) => ({
    sites: {
      hub: { url: 'https://hub.city.example', publicKey: KEY, edgeKeyPath: 'edge.key', ...overrides },
    },
  });

  it('resolves the edge key beside the config file and defaults to a 10-minute staleness limit', () => {
    const result = parse(hub({}));
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.value.config.sites.hub).toEqual({
      url: 'https://hub.city.example',
      publicKey: KEY,
      edgeKeyPath: '/etc/alpr/edge.key',
      maxStaleS: 600,
      timeoutMs: 5000,
    });
  });

  it.each([
    [{ publicKey: 'not-a-key' }, 'sites.hub.publicKey', /not an Ed25519 public key/],
    [{ url: 'http://hub.city.example' }, 'sites.hub.url', /plain http would expose/],
    [{ url: 'ftp://hub' }, 'sites.hub.url', /http:\/\/ or https:\/\//],
    [{ maxStaleS: 5 }, 'sites.hub.maxStaleS', /30/],
  ])('refuses %j', (overrides, key, message) => {
    const result = parse(hub(overrides));
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.issues).toContainEqual(
        expect.objectContaining({ path: key, message: expect.stringMatching(message) }),
      );
  });

  it('allows plain http to a hub on this machine', () => {
    expect(parse(hub({ url: 'http://127.0.0.1:9470' })).ok).toBe(true);
  });
});
