// Done-when of issue 12: every route the hub serves (HUB_FEATURES), called with no session, with each
// role's acknowledged session and with each role's session before acknowledgment, answers the status class
// test/support/permission-matrix.ts declares (AC-01 deny by default, AC-03, ACK-01). A route missing from
// the matrix, or declared but not served, fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_FEATURES } from '../../../hub/hub-features.js';
import { ROLES, type Role } from '../../../shared/access/roles.js';
import { enrolTestEdge, openTestHub, type TestHub } from '../../support/hub-ingest.js';
import { createTestUser, ensureTestAgency, signIn } from '../../support/hub-users.js';
import { PERMISSION_MATRIX, type StatusClass } from '../../support/permission-matrix.js';

const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

function classOf(
  status: number,
  body: string,
  headers: Record<string, unknown> = {},
): StatusClass | `unexpected ${number}` {
  // Pages answer a person, not a client: sign-in and the notice are redirects, refusals are HTML pages
  // carrying their code in x-alpr-error (a CSRF refusal means the caller got past authentication).
  const location = String(headers.location ?? '');
  if (status === 303 && location.startsWith('/login')) return '401';
  if (status === 303 && location === '/acknowledge') return '403-ack';
  if (String(headers['content-type'] ?? '').startsWith('text/html') && status === 403)
    return headers['x-alpr-error'] === 'forbidden' ? '403' : 'allowed';
  if (status === 401) return '401';
  if (status === 403) return JSON.parse(body).error === 'acknowledgment_required' ? '403-ack' : '403';
  if (status >= 500) return `unexpected ${status}`;
  return 'allowed';
}

describe('the permission matrix (every route × every role × session state)', () => {
  let hub: TestHub;
  const acked = new Map<Role, string>();
  const unacked = new Map<Role, string>();
  const served = () => HUB_FEATURES.flatMap((f) => f.routes?.(hub.ctx) ?? []);

  beforeAll(async () => {
    hub = await openTestHub('pglite', { now: Date.now() });
    await enrolTestEdge(hub, 'edge-01');
    const agencyId = await ensureTestAgency(hub.ctx, 'CA0430100');
    for (const role of ROLES) {
      const a = await createTestUser(hub.ctx, { role, agencyId });
      acked.set(role, (await signIn(hub, a)).cookie);
      const b = await createTestUser(hub.ctx, { role, agencyId });
      unacked.set(role, (await signIn(hub, b, { acknowledge: false })).cookie);
    }
  }, 120_000);
  afterAll(() => hub?.close());

  it('declares every served route, and serves every declared one', () => {
    const routes = served().map(key).sort();
    expect(routes).toEqual(Object.keys(PERMISSION_MATRIX).sort());
  });

  it('answers every call with the declared status class', async () => {
    // Signing out ends the session the remaining calls use: it goes last.
    const routes = served().sort(
      (a, b) => Number(key(a) === 'DELETE /api/v1/session') - Number(key(b) === 'DELETE /api/v1/session'),
    );
    const mismatches: string[] = [];
    const call = async (route: (typeof routes)[number], cookie: string | undefined) => {
      const res = await hub.app.inject({
        method: route.method,
        // An id no row has: a permitted caller gets 404, never changes a real record.
        url: route.url.replace(':id', '999999'),
        headers: cookie ? { cookie } : {},
        ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }),
      });
      return classOf(res.statusCode, res.body, res.headers);
    };
    for (const route of routes) {
      const want = PERMISSION_MATRIX[key(route)];
      if (!want) continue; // reported by the test above
      const got = await call(route, undefined);
      if (got !== want.noSession)
        mismatches.push(`${key(route)} no session: ${got}, declared ${want.noSession}`);
      for (const role of ROLES) {
        const withAck = await call(route, acked.get(role));
        if (withAck !== want.acknowledged[role])
          mismatches.push(`${key(route)} ${role}: ${withAck}, declared ${want.acknowledged[role]}`);
        const before = await call(route, unacked.get(role));
        if (before !== want.beforeAck[role])
          mismatches.push(
            `${key(route)} ${role} before acknowledgment: ${before}, declared ${want.beforeAck[role]}`,
          );
      }
    }
    expect(mismatches).toEqual([]);
  }, 120_000);
});
