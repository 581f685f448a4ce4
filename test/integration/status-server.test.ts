import { afterEach, describe, expect, it } from 'vitest';
import { jsonResponse, type StatusServer, startStatusServer } from '../../shared/http/status-server.js';

let server: StatusServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('startStatusServer', () => {
  it('serves registered routes on an ephemeral localhost port', async () => {
    server = await startStatusServer({
      host: '127.0.0.1',
      port: 0,
      routes: {
        '/health': () => jsonResponse(503, { status: 'degraded' }),
        '/metrics': async () => ({ status: 200, contentType: 'text/plain', body: 'x_total 1\n' }),
      },
    });
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'degraded' });
    expect(await (await fetch(`${server.url}/metrics?x=1`)).text()).toBe('x_total 1\n');
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
  });

  it('answers 500 with the message when a route throws, and closes twice safely', async () => {
    server = await startStatusServer({
      host: '127.0.0.1',
      port: 0,
      routes: {
        '/health': () => {
          throw new Error('store closed');
        },
      },
    });
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(500);
    expect(await res.text()).toContain('store closed');
    await server.close();
    await server.close();
  });
});
