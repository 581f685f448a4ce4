// CSRF protection for every page form that changes something: a synchronizer token bound to the session.
//
// Why this and not double-submit: a double-submit cookie is only as strong as the cookie's integrity, and
// a sibling subdomain or a plain-HTTP hop can plant a cookie of the attacker's choosing. Here the token is
// HMAC-SHA256(key, "session:" + session id), the key derived from the hub's secrets key (never stored in
// the database, never sent): it cannot be computed without the key, a token from another session is
// useless, and nothing is stored per form (hub processes stay stateless). The session cookie is also
// SameSite=Strict and HttpOnly (hub/identity), and a POST whose Origin names another site is refused,
// so the token is the second of three locks, not the only one.
//
// Before sign-in there is no session, so the sign-in forms are bound the same way to a random pre-session
// cookie (HttpOnly, SameSite=Strict) issued with the form: a login CSRF needs both that cookie and its
// HMAC, and the attacker's page can neither read nor set it.
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const CSRF_FIELD = '_csrf';
export const PRE_SESSION_COOKIE = 'alpr_presession';

export class CsrfTokens {
  private readonly key: Buffer;

  constructor(secretsKey: Buffer) {
    this.key = Buffer.from(hkdfSync('sha256', secretsKey, Buffer.alloc(0), 'alpr-hub-pages-csrf-v1', 32));
  }

  /** The token for a binding value (a session id, or a pre-session cookie value). */
  tokenFor(kind: 'session' | 'pre', binding: string): string {
    return createHmac('sha256', this.key).update(`${kind}:${binding}`).digest('base64url');
  }

  /** Constant-time check of a submitted token against the binding. */
  verify(kind: 'session' | 'pre', binding: string, submitted: unknown): boolean {
    if (typeof submitted !== 'string' || submitted.length === 0 || binding.length === 0) return false;
    const want = Buffer.from(this.tokenFor(kind, binding));
    const got = Buffer.from(submitted);
    return got.length === want.length && timingSafeEqual(got, want);
  }
}

/** One cookie's value from the request's Cookie header (undefined when absent). */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The pre-session binding of this browser, issuing a cookie when it has none yet. */
export function preSession(request: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  const existing = readCookie(request, PRE_SESSION_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const value = randomBytes(32).toString('base64url');
  reply.header(
    'set-cookie',
    `${PRE_SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`,
  );
  return value;
}

/** False when a POST carries an Origin header naming another host than the one it was sent to. */
export function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined || origin === 'null') return origin === undefined;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
