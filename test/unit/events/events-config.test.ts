import { describe, expect, it } from 'vitest';
import { redactEventsConfig, resolveEventPaths } from '../../../shared/config/events.schema.js';
import { issuesToLines } from '../../../shared/config/format-issues.js';
import { parseConfig } from '../../../shared/config/load-config.js';

const hook = (overrides: Record<string, unknown> = {}) => ({
  name: 'ops',
  url: 'https://ops.example/alpr?token=abc',
  secretPath: 'secrets/ops.whsec',
  ...overrides,
});
const problems = (events: unknown) => {
  const result = parseConfig({ events }, '/etc/alpr');
  return result.ok ? [] : issuesToLines(result.issues);
};

describe('events config section', () => {
  it('defaults to no sinks, a 5-minute window of 2 events per subject, and a 5 s shutdown flush', () => {
    const result = parseConfig({}, '/etc/alpr');
    expect(result.ok && result.value.config.events).toEqual({
      webhooks: [],
      rateLimit: { windowS: 300, maxPerWindow: 2 },
      deadLetterMaxBytes: 16 * 1024 * 1024,
      shutdownFlushMs: 5000,
    });
  });

  it('fills webhook and MQTT defaults and resolves secret files against the config file directory', () => {
    const result = parseConfig(
      {
        events: { webhooks: [hook()], mqtt: { url: 'mqtt://127.0.0.1:1883', credentialsPath: 'mqtt.cred' } },
      },
      '/etc/alpr',
    );
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const { events } = result.value.config;
    expect(events.webhooks[0]).toMatchObject({
      secretPath: '/etc/alpr/secrets/ops.whsec',
      timeoutMs: 15_000,
      retries: 8,
      queueSize: 1000,
      allowPlaintext: false,
    });
    expect(events.mqtt).toMatchObject({
      topicPrefix: 'alpr',
      credentialsPath: '/etc/alpr/mqtt.cred',
      backoffMaxMs: 60_000,
    });
    expect(resolveEventPaths(events, '/other').webhooks[0]!.secretPath).toBe('/etc/alpr/secrets/ops.whsec');
  });

  it('names the path of every mistake', () => {
    expect(problems({ webhooks: [hook(), hook()] })).toContain(
      'events.webhooks[1].name: duplicate webhook name "ops" (also webhooks[0])',
    );
    expect(problems({ webhooks: [hook({ url: 'http://ops.example/alpr' })] })[0]).toMatch(
      /^events\.webhooks\[0\]\.url: http:\/\/ to a host other than loopback/,
    );
    expect(problems({ webhooks: [hook({ url: 'http://127.0.0.1:8080/x' })] })).toEqual([]);
    expect(problems({ webhooks: [hook({ url: 'http://ops.example/alpr', allowPlaintext: true })] })).toEqual(
      [],
    );
    expect(problems({ webhooks: [hook({ url: 'https://u:p@ops.example/' })] })[0]).toMatch(
      /must not carry a user name/,
    );
    expect(problems({ webhooks: [hook({ url: 'ftp://ops.example/' })] })[0]).toMatch(
      /^events\.webhooks\[0\]\.url:/,
    );
    expect(problems({ webhooks: [hook({ types: ['camera.offline', 'plate.read'] })] })[0]).toMatch(
      /^events\.webhooks\[0\]\.types\[1\]: Invalid option/,
    );
    expect(problems({ webhooks: [hook({ backoffInitialMs: 9000, backoffMaxMs: 1000 })] })).toContain(
      'events.webhooks[0].backoffInitialMs: must not exceed backoffMaxMs (1000)',
    );
    expect(problems({ mqtt: { url: 'mqtt://user:pw@broker:1883' } })[0]).toMatch(
      /^events\.mqtt\.url: .*without credentials/,
    );
    expect(problems({ mqtt: { url: 'mqtt://broker.example:1883' } })[0]).toMatch(
      /^events\.mqtt\.url: mqtt:\/\/ to a host/,
    );
    expect(problems({ mqtt: { url: 'mqtts://broker.example:8883' } })).toEqual([]);
    expect(problems({ mqtt: { url: 'mqtt://127.0.0.1', topicPrefix: 'alpr/#' } })[0]).toMatch(
      /^events\.mqtt\.topicPrefix:/,
    );
    expect(problems({ webhook: [] })[0]).toMatch(
      /^events\.webhook: unknown key \(did you mean "webhooks"\?\)/,
    );
  });

  it('shows webhook URLs without their query string (receivers put tokens there)', () => {
    const result = parseConfig({ events: { webhooks: [hook()] } }, '/etc/alpr');
    if (!result.ok) throw new Error('invalid');
    expect(redactEventsConfig(result.value.config.events).webhooks[0]!.url).toBe(
      'https://ops.example/alpr?***',
    );
  });
});
