// TEST ONLY: a `user` authenticator that takes the role from an `x-test-role` header and applies the
// route's permission with shared/access/roles.ts (the same deny-by-default check as the real one), so the
// page framework and the planner pages are tested without the identity feature. The browser test
// (test/e2e/hub-pages.browser.test.ts) signs in for real.

import { HttpError, unauthorized } from '../../hub/http/http-errors.js';
import type { Authenticator } from '../../hub/http/hub-route.js';
import { can } from '../../shared/access/roles.js';

export function testUserAuthenticator(): Authenticator {
  return {
    kind: 'user',
    async authenticate(request, route) {
      const role = request.headers['x-test-role'];
      if (typeof role !== 'string') throw unauthorized('sign in first');
      const auth = route.auth;
      if (auth.kind === 'user' && auth.permission !== null && !can(role, auth.permission))
        throw new HttpError(403, 'forbidden', `the ${role} role may not do this (needs ${auth.permission})`);
      const username = (request.headers['x-test-user'] as string | undefined) ?? `${role}.one`;
      const agencyId = Number(request.headers['x-test-agency'] ?? 1);
      return { kind: 'user', userId: 1, username, agencyId, role, sessionId: `session-of-${username}` };
    },
  };
}

/** The CSRF token a rendered page carries (the first `_csrf` field). */
export function csrfOf(page: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!match) throw new Error('the page has no CSRF field');
  return match[1]!;
}
