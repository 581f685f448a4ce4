// `alpr events test|secret`, `alpr config show` and `alpr hub` as an operator meets them: a real receiver
// that checks signatures, the real Mosquitto, and the CLI as a child process.
import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../shared/runtime/paths.js';
import { freePort } from '../../shared/runtime/processes.js';
import { ALPR_BIN } from '../support/cli.js';
import { eventually } from '../support/eventually.js';
import { MQTT_URL, mqttSkipReason, subscribe, uniquePrefix } from '../support/mqtt.js';
import { tempDir } from '../support/temp-dir.js';
import { startReceiver, writeSecretFile } from '../support/webhook-receiver.js';

const skip = await mqttSkipReason();
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** The real binary, without blocking this process (the receiver in it must answer). */
function alpr(args: string[], cwd = PROJECT_ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ALPR_BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

function writeConfig(
  dir: string,
  events: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): string {
  const file = path.join(dir, 'alpr.yaml');
  writeFileSync(file, JSON.stringify({ store: { path: './data/alpr.db' }, events, ...extra }, null, 2));
  return file;
}

describe.skipIf(skip)('alpr events', () => {
  it('secret: writes a whsec_ secret with mode 0600 and never overwrites one', async () => {
    const dir = tempDir('alpr-events-cli-');
    const first = await alpr(['events', 'secret', 'ops.whsec'], dir);
    expect(first.code).toBe(0);
    const file = path.join(dir, 'ops.whsec');
    expect(readFileSync(file, 'utf8')).toMatch(/^whsec_[A-Za-z0-9+/]{43}=\n$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.stdout).not.toContain(readFileSync(file, 'utf8').trim());
    const again = await alpr(['events', 'secret', 'ops.whsec'], dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('ops.whsec exists; not overwritten');
  });

  it('test: every sink gets a signed events.test and the command prints what each answered', async () => {
    const dir = tempDir('alpr-events-cli-');
    const receiver = await startReceiver(() => 204);
    cleanup.push(() => receiver.close());
    const prefix = uniquePrefix();
    const sub = await subscribe(prefix);
    cleanup.push(() => sub.close());
    writeSecretFile(dir, 'ops.whsec', receiver.secret);
    const config = writeConfig(dir, {
      webhooks: [{ name: 'ops', url: receiver.url, secretPath: 'ops.whsec' }],
      mqtt: { url: MQTT_URL, topicPrefix: prefix },
    });
    const run = await alpr(['events', 'test', '-c', config]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^ok {3}ops {2}http:\/\/127\.0\.0\.1:\d+\/alpr-events\?\*\*\* {2}http_204 in \d+ ms$/,
    );
    expect(lines[1]).toMatch(
      new RegExp(`^ok {3}mqtt {2}${MQTT_URL} ${prefix}/edge-01/events\\.test {2}puback in \\d+ ms$`),
    );
    expect(run.stdout).not.toContain('do-not-log');
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]!.verification).toEqual({ ok: true });
    expect(JSON.parse(receiver.requests[0]!.body)).toMatchObject({
      type: 'events.test',
      data: { requestedBy: 'cli' },
    });
    await eventually('sub.messages.length === 1', () => sub.messages.length === 1);
    expect(sub.messages[0]!.topic).toBe(`${prefix}/edge-01/events.test`);
  });

  it('test: says which sink failed and why, exit 1; with no sinks configured, exit 2', async () => {
    const dir = tempDir('alpr-events-cli-');
    const receiver = await startReceiver(() => 401);
    cleanup.push(() => receiver.close());
    writeSecretFile(dir, 'ops.whsec', receiver.secret);
    const config = writeConfig(dir, {
      webhooks: [{ name: 'ops', url: receiver.url, secretPath: 'ops.whsec' }],
      mqtt: {
        url: `mqtt://127.0.0.1:${await freePort()}`,
        topicPrefix: uniquePrefix(),
        connectTimeoutMs: 1000,
      },
    });
    const run = await alpr(['events', 'test', '-c', config, '--hub']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^FAIL ops .* http_401 in \d+ ms \(the receiver refused the request: does it hold the same secret file content\?\)$/m,
    );
    expect(run.stdout).toMatch(
      /^FAIL mqtt {2}mqtt:\/\/127\.0\.0\.1:\d+ alpr-test-\w+\/hub\/events\.test {2}network_ECONNREFUSED in \d+ ms \(nothing listens/m,
    );
    expect(run.stderr).toContain('alpr: 2 of 2 sink(s) did not accept the test event');

    const none = await alpr(['events', 'test', '-c', writeConfig(dir, {})]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no event sinks in');
  });

  it('config show prints webhook URLs without their query string; a bad secret stops the hub with its path', async () => {
    const dir = tempDir('alpr-events-cli-');
    const secret = writeSecretFile(dir, 'ops.whsec', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    const config = writeConfig(
      dir,
      {
        webhooks: [
          { name: 'ops', url: 'https://ops.example/hook?token=do-not-log', secretPath: 'ops.whsec' },
        ],
      },
      { hub: { dataDir: './hub-data' } },
    );
    const show = await alpr(['config', 'show', '-c', config]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('"url":"https://ops.example/hook?***"');
    expect(show.stdout).not.toContain('do-not-log');
    expect(show.stdout).not.toContain('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');

    chmodSync(secret, 0o644);
    const hub = await alpr(['hub', '-c', config, '--port', '0']);
    expect(hub.code).toBe(2);
    expect(hub.stderr).toContain(
      `alpr: ${secret}: webhook secret is readable by others (mode 644); run chmod 600 on it`,
    );
  });
});
