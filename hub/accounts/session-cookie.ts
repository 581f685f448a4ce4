// The session cookie (SESS-05): `alpr_session`, a 256-bit random id, HttpOnly (no script reads it),
// SameSite=Strict (no cross-site request carries it), Path=/, and Secure whenever the hub serves TLS.
// The hub keeps only the id's SHA-256, so the cookie is the one place the id exists.
import type { FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'alpr_session';
/** generateToken(32) in base64url */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function sessionCookie(token: string, options: { secure: boolean }): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict${options.secure ? '; Secure' : ''}`;
}

/** The header that removes the cookie from the browser (sign-out, a session found dead). */
export function clearedSessionCookie(options: { secure: boolean }): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${options.secure ? '; Secure' : ''}`;
}

/** The session id from the request's Cookie header; undefined when absent or not one of ours. */
export function readSessionCookie(request: Pick<FastifyRequest, 'headers'>): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    return TOKEN.test(value) ? value : undefined;
  }
  return undefined;
}
