// How a page is declared: a HubRoute that produces text/html, with the security headers every page
// carries (a strict Content-Security-Policy: default-src 'self', no inline script or style), the CSRF
// check on every POST before the handler runs, Post/Redirect/Get for changes (a handler answers a POST
// with a redirect; a refused form is rendered again with its problems), and failures rendered as an
// accessible error page (role=alert) instead of JSON — never a stack trace: the message shown is the
// HttpError's sentence, or "internal error" (hub/http/hub-server.ts errorBody).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HubRoute, Principal, RouteAuth } from '../http/hub-route.js';
import { errorBody } from '../http/hub-server.js';
import {
  CSRF_FIELD,
  type CsrfTokens,
  PRE_SESSION_COOKIE,
  preSession,
  readCookie,
  sameOrigin,
} from './csrf.js';
import { html, type SafeHtml } from './html.js';
import { layout, message } from './layout.js';

export type UserPrincipal = Extract<Principal, { kind: 'user' }>;

export interface PageRequest {
  request: FastifyRequest;
  reply: FastifyReply;
  principal: Principal;
  /** the signed-in person, on `user` pages */
  user: UserPrincipal | undefined;
  /** query-string fields (strings only) */
  query: Record<string, string>;
  /** posted form fields (POST only) */
  form: Record<string, string>;
  /** the CSRF token to put in this page's forms */
  csrf: string;
}

export type PageResult =
  | { title: string; body: SafeHtml; status?: number; scripts?: readonly string[] }
  | { redirect: string }
  | { download: { filename: string; contentType: string; body: string | Buffer } };

export interface PageSpec {
  method: 'GET' | 'POST';
  url: string;
  auth: RouteAuth;
  summary: string;
  handle(page: PageRequest): Promise<PageResult>;
}

export interface PageDeps {
  csrf: CsrfTokens;
  /** served over TLS: cookies get Secure */
  secure: boolean;
}

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every page and asset: CSP, no framing, no caching of what a page showed. */
export function securityHeaders(reply: FastifyReply): void {
  reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
  reply.header('x-frame-options', 'DENY');
  reply.header('referrer-policy', 'same-origin');
  reply.header('cache-control', 'no-store');
}

function stringFields(value: unknown): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/** Only same-site paths may be a redirect target (no open redirect through ?next=). */
export function localPath(next: string | undefined, fallback = '/'): string {
  return next && /^\/(?![/\\])[\w\-./?=&%~+]*$/.test(next) ? next : fallback;
}

const TITLES: Record<number, string> = {
  400: 'The request could not be used',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  422: 'Refused',
  429: 'Too many attempts',
  503: 'Temporarily unavailable',
};

// Refusals that mean "finish signing in first" rather than "never": sent to the step that is missing.
const NEEDS_NOTICE = new Set(['acknowledgment_required', 'notice_required', 'notice_not_accepted']);

function errorPage(error: Error, request: FastifyRequest, reply: FastifyReply): unknown {
  securityHeaders(reply);
  const { status, body } = errorBody(error);
  // The refusal's stable code, for clients and tests that read status classes (never a secret).
  reply.header('x-alpr-error', body.error);
  if (status === 401) {
    const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
    return reply.code(303).header('location', `/login${next}`).send();
  }
  if (status === 403 && NEEDS_NOTICE.has(body.error)) {
    return reply.code(303).header('location', '/acknowledge').send();
  }
  const title = TITLES[status] ?? 'Something went wrong';
  const page = layout({
    title,
    principal: request.principal,
    body: html`${message('error', body.message)}<p><a href="/">Back to the start page</a></p>`,
  });
  return reply.code(status).type('text/html; charset=utf-8').send(page.value);
}

/** Declare a page. GET handlers render; POST handlers are CSRF-checked first and should redirect. */
export function pageRoute(spec: PageSpec, deps: PageDeps): HubRoute {
  return {
    method: spec.method,
    url: spec.url,
    auth: spec.auth,
    summary: spec.summary,
    tag: 'pages',
    produces: 'text/html',
    onError: errorPage,
    async handler(request, reply) {
      securityHeaders(reply);
      const principal = request.principal;
      const user = principal.kind === 'user' ? principal : undefined;
      const form = spec.method === 'POST' ? stringFields(request.body) : stringFields(undefined);
      let csrf: string;
      if (user) {
        csrf = deps.csrf.tokenFor('session', user.sessionId);
        if (
          spec.method === 'POST' &&
          !(sameOrigin(request) && deps.csrf.verify('session', user.sessionId, form[CSRF_FIELD]))
        )
          return csrfRefused(reply, principal);
      } else if (spec.method === 'POST') {
        const binding = readCookie(request, PRE_SESSION_COOKIE) ?? '';
        if (!(sameOrigin(request) && deps.csrf.verify('pre', binding, form[CSRF_FIELD])))
          return csrfRefused(reply, principal);
        csrf = deps.csrf.tokenFor('pre', binding);
      } else {
        csrf = deps.csrf.tokenFor('pre', preSession(request, reply, deps.secure));
      }
      const result = await spec.handle({
        request,
        reply,
        principal,
        user,
        query: stringFields(request.query),
        form,
        csrf,
      });
      if ('redirect' in result) return reply.code(303).header('location', localPath(result.redirect)).send();
      if ('download' in result) {
        const { filename, contentType, body } = result.download;
        return reply
          .type(contentType)
          .header('content-disposition', `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`)
          .send(body);
      }
      const page = layout({
        title: result.title,
        body: result.body,
        principal,
        csrf,
        path: request.url.split('?')[0],
        scripts: result.scripts,
      });
      return reply
        .code(result.status ?? 200)
        .type('text/html; charset=utf-8')
        .send(page.value);
    },
  };
}

function csrfRefused(reply: FastifyReply, principal: Principal): unknown {
  reply.header('x-alpr-error', 'csrf_refused');
  const page = layout({
    title: 'Form expired',
    principal,
    body: message(
      'error',
      'This form expired or did not come from this site, so nothing was changed. Go back, reload the page and submit it again.',
    ),
  });
  return reply.code(403).type('text/html; charset=utf-8').send(page.value);
}

/** A hidden CSRF field for a form. */
export const csrfField = (token: string): SafeHtml =>
  html`<input type="hidden" name="${CSRF_FIELD}" value="${token}">`;
