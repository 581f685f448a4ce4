// The hub server's contract with every feature: declared routes behind their authenticators (fail closed
// when one is missing), exact request bytes kept, and every failure a JSON {error, message} with no internals.
import { describe, expect, it } from 'vitest';
import { HttpError, unprocessable } from '../../../hub/http/http-errors.js';
import type { HubRoute } from '../../../hub/http/hub-route.js';
import { buildHubServer } from '../../../hub/http/hub-server.js';
import { createLogger } from '../../../shared/logging/logger.js';

const logger = createLogger({ level: 'silent' });

function route(overrides: Partial<HubRoute>): HubRoute {
  return {
    method: 'POST',
    url: '/api/v1/echo',
    auth: { kind: 'public' },
    summary: 'echo',
    handler: async (request) => ({ bytes: request.rawBody?.toString('utf8') ?? null }),
    ...overrides,
  };
}

const build = (routes: HubRoute[]) =>
  buildHubServer({ routes, authenticators: [], logger, version: 'test', bodyLimitBytes: 1024 });

describe('buildHubServer', () => {
  it('refuses to start when a route needs an authenticator nobody provided (deny by default)', async () => {
    await expect(build([route({ auth: { kind: 'edge' } })])).rejects.toThrow(/needs a "edge" authenticator/);
  });

  it('keeps the exact request bytes for signature checks', async () => {
    const app = await build([route({})]);
    const body = '{"b":1,  "a":2}';
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/echo',
      payload: body,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.json()).toEqual({ bytes: body });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers bad JSON, prototype keys, oversize bodies and schema failures with 4xx JSON', async () => {
    const app = await build([
      route({}),
      route({
        url: '/api/v1/typed',
        schema: { body: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } } },
      }),
    ]);
    const post = (url: string, payload: string) =>
      app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json' } });
    const bad = await post('/api/v1/echo', '{oops');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      error: 'bad_request',
      message: expect.stringMatching(/not valid JSON/),
    });
    expect((await post('/api/v1/echo', '{"__proto__":{"x":1}}')).statusCode).toBe(400);
    expect((await post('/api/v1/echo', JSON.stringify({ x: 'y'.repeat(2000) }))).statusCode).toBe(413);
    const typed = await post('/api/v1/typed', '{"n":"seven"}');
    expect(typed.statusCode).toBe(400);
    expect(typed.json()).toMatchObject({ error: 'bad_request' });
  });

  it('passes an HttpError through with its code and details, and hides anything else behind a generic 500', async () => {
    const app = await build([
      route({
        url: '/api/v1/refused',
        handler: async () => {
          throw unprocessable('prohibited_purpose', 'blocked', { category: 'immigration' });
        },
      }),
      route({
        url: '/api/v1/broken',
        handler: async () => {
          throw new Error('relation "secret_table" does not exist at /srv/app.ts:12');
        },
      }),
    ]);
    const refused = await app.inject({ method: 'POST', url: '/api/v1/refused' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toEqual({
      error: 'prohibited_purpose',
      message: 'blocked',
      category: 'immigration',
    });
    const broken = await app.inject({ method: 'POST', url: '/api/v1/broken' });
    expect(broken.statusCode).toBe(500);
    expect(broken.body).toBe('{"error":"internal","message":"internal error"}');
    expect(new HttpError(418, 'x', 'y').status).toBe(418);
  });

  it('lists every declared route in the OpenAPI description with who may call it', async () => {
    const app = await build([route({})]);
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, { post?: { description?: string } }>;
    };
    expect(doc.paths['/api/v1/echo']?.post?.description).toBe('Public: no credentials.');
  });
});
