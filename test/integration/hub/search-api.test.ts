// The governed-search API over HTTP (fastify inject) with real sign-in (password + TOTP) and notice
// acceptance: a lawful search finds a read, an immigration purpose is blocked with 422 and its category,
// the auditor sees both in GET /api/v1/audit and an investigator may not read it (AC-03); searches are
// rate-limited per user (429); an audit append that fails answers 500 with nothing stored. And the OpenAPI
// document: every route with its request schema, and these routes' answers valid against their declared
// response schemas.
import AjvModule from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_FEATURES } from '../../../hub/hub-features.js';
import { openTestHub, type TestHub } from '../../support/hub-ingest.js';
import { lawfulSearch, SEARCH_NOW, type SeededHub, seedSearchHub } from '../../support/hub-search.js';
import { createTestUser, signIn } from '../../support/hub-users.js';

type Inject = Awaited<ReturnType<TestHub['app']['inject']>> & { statusCode: number };

describe('governed search API', () => {
  let hub: TestHub;
  let seed: SeededHub;
  let investigator: { cookie: string };
  let auditor: { cookie: string };
  interface Operation {
    requestBody?: { content?: Record<string, { schema?: object }> };
    parameters?: unknown[];
    responses?: Record<string, { content?: Record<string, { schema?: object }> }>;
  }
  let openapi: { paths: Record<string, Record<string, Operation>> };
  const answers: Array<{ url: string; method: string; res: Inject }> = [];

  const call = async (
    method: 'GET' | 'POST',
    url: string,
    cookie: string,
    payload?: Record<string, unknown>,
  ) => {
    const res = await hub.app.inject({
      method,
      url,
      headers: { cookie },
      ...(payload === undefined ? {} : { payload }),
    });
    answers.push({ method, url, res });
    return res;
  };

  beforeAll(async () => {
    hub = await openTestHub('pglite', {
      now: SEARCH_NOW,
      config: { access: { searchRateLimit: { perUserPerMinute: 5 } } },
    });
    seed = await seedSearchHub(hub.ctx.db);
    const det = await createTestUser(hub.ctx, { role: 'investigator', agencyId: seed.agencyId });
    const aud = await createTestUser(hub.ctx, { role: 'auditor', agencyId: seed.agencyId });
    investigator = await signIn(hub, det);
    auditor = await signIn(hub, aud);
    openapi = (await hub.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  }, 120_000);
  afterAll(() => hub?.close());

  it('finds a read by a lawful search, blocks an immigration purpose, and shows both to the auditor', async () => {
    const ok = await call('POST', '/api/v1/searches', investigator.cookie, lawfulSearch());
    expect(ok.statusCode).toBe(201);
    const { id, results } = ok.json();
    const view = await call('GET', results, investigator.cookie);
    expect(view.statusCode).toBe(200);
    expect(
      view
        .json()
        .reads.map((r: { id: string }) => r.id)
        .sort(),
    ).toEqual(['edge-01/1', 'edge-01/3']);

    const blocked = await call(
      'POST',
      '/api/v1/searches',
      investigator.cookie,
      lawfulSearch({ justification: 'help ICE ERO find the driver of the white Civic for removal' }),
    );
    expect(blocked.statusCode).toBe(422);
    expect(blocked.json()).toMatchObject({ error: 'prohibited_purpose', category: 'immigration' });
    expect(blocked.body).not.toContain('edge-01/');

    const refused = await call(
      'POST',
      '/api/v1/searches',
      investigator.cookie,
      lawfulSearch({ caseNumber: 'nope' }),
    );
    expect(refused.statusCode).toBe(422);
    expect(refused.json().problems.map((p: { field: string }) => p.field)).toEqual(['caseNumber']);

    const log = await call('GET', '/api/v1/audit?kind=search.', auditor.cookie);
    expect(log.statusCode).toBe(200);
    const entries = log.json().entries as Array<{
      kind: string;
      payload: Record<string, unknown> & { detail: { searchId: number } };
    }>;
    expect(entries.map((e) => e.kind)).toEqual(['search.refused', 'search.blocked', 'search.allowed']);
    expect(entries[1]!.payload).toMatchObject({
      category: 'immigration',
      outcome: 'blocked',
      agency: 'CA0430100',
    });
    expect(entries[2]!.payload.detail.searchId).toBe(id);

    expect((await call('GET', '/api/v1/audit', investigator.cookie)).statusCode).toBe(403);
    // AC-03: the auditor cannot search plates.
    expect((await call('POST', '/api/v1/searches', auditor.cookie, lawfulSearch())).statusCode).toBe(403);
    const mine = await call('GET', '/api/v1/searches', investigator.cookie);
    expect(mine.json().searches.map((s: { outcome: string }) => s.outcome)).toEqual([
      'refused',
      'blocked',
      'allowed',
    ]);
  });

  it('fails a search whose audit entry cannot be written, and returns nothing (AUD-06)', async () => {
    const before = await hub.ctx.db.query('SELECT id FROM searches');
    const append = hub.ctx.audit.append;
    hub.ctx.audit.append = async () => {
      throw new Error('audit chain unavailable');
    };
    try {
      const res = await call('POST', '/api/v1/searches', investigator.cookie, lawfulSearch());
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({ error: 'internal', message: 'internal error' });
    } finally {
      hub.ctx.audit.append = append;
    }
    expect(await hub.ctx.db.query('SELECT id FROM searches')).toEqual(before);
  });

  it('rate-limits searches per user (429)', async () => {
    // 4 submissions counted so far this minute (3 above, 1 that failed); the limit is 5.
    expect((await call('POST', '/api/v1/searches', investigator.cookie, lawfulSearch())).statusCode).toBe(
      201,
    );
    const limited = await call('POST', '/api/v1/searches', investigator.cookie, lawfulSearch());
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
  });

  it('describes every route in /api/openapi.json with its request schema', () => {
    for (const route of HUB_FEATURES.flatMap((f) => f.routes?.(hub.ctx) ?? [])) {
      const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
      const op = openapi.paths[path]?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.url}`).toBeDefined();
      if (route.schema?.body)
        expect(op?.requestBody?.content?.['application/json']?.schema, route.url).toBeDefined();
      if (route.schema?.querystring) expect(op?.parameters?.length, route.url).toBeGreaterThan(0);
    }
  });

  it("answers these routes' calls with bodies valid against their declared response schemas", () => {
    const Ajv = AjvModule as unknown as typeof AjvModule.default;
    const ajv = new Ajv({ strict: false, allErrors: true });
    const checked: string[] = [];
    for (const { method, url, res } of answers) {
      const template = url.split('?')[0]!.replace(/\/\d+\//, '/{id}/');
      const op = openapi.paths[template]?.[method.toLowerCase()];
      const schema = op?.responses?.[String(res.statusCode)]?.content?.['application/json']?.schema;
      expect(schema, `${method} ${template} ${res.statusCode} has a declared response schema`).toBeDefined();
      const valid = ajv.validate(schema ?? false, res.json());
      expect(valid, `${method} ${template} ${res.statusCode}: ${ajv.errorsText()}`).toBe(true);
      checked.push(`${method} ${template} ${res.statusCode}`);
    }
    expect(new Set(checked).size).toBeGreaterThanOrEqual(6);
  });
});
