// Pages do what the API does by calling the API route's own handler (one implementation of every access
// action, its checks and its audit entry), not a copy of it. The page route has already run the same
// authenticator; `callRoute` refuses to call a handler whose declared auth differs from the page's, so a
// page can never reach an action with a weaker check than the API's.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HubRoute, RouteAuth } from '../http/hub-route.js';

export class RouteTable {
  private readonly byKey: Map<string, HubRoute>;

  constructor(routes: readonly HubRoute[]) {
    this.byKey = new Map(routes.map((r) => [`${r.method} ${r.url}`, r]));
  }

  has(method: string, url: string): boolean {
    return this.byKey.has(`${method} ${url}`);
  }

  /** The route, or a thrown Error (a page wired to an API that is not there is a programming error). */
  get(method: string, url: string): HubRoute {
    const route = this.byKey.get(`${method} ${url}`);
    if (!route) throw new Error(`pages: no API route ${method} ${url}`);
    return route;
  }
}

const sameAuth = (a: RouteAuth, b: RouteAuth) => JSON.stringify(a) === JSON.stringify(b);

export interface RouteAnswer<T> {
  /** the status the handler set (200 when it set none) */
  status: number;
  body: T;
}

/**
 * Run `route`'s handler for this page request with `body`, `params` and `query` (the page validated
 * their shape), and capture its answer: handlers that `reply.code(201).send(x)` and handlers that return
 * `x` both come back as { status, body }, and the page decides what to render. Headers the handler sets
 * (a session cookie) pass through to the real reply. Errors propagate (HttpError: the page shows it).
 */
export async function callRoute<T = Record<string, unknown>>(
  route: HubRoute,
  pageAuth: RouteAuth,
  request: FastifyRequest,
  reply: FastifyReply,
  input: { body?: unknown; params?: Record<string, string>; query?: Record<string, string> } = {},
): Promise<RouteAnswer<T>> {
  if (route.auth.kind !== 'public' && !sameAuth(route.auth, pageAuth)) {
    throw new Error(
      `pages: ${route.method} ${route.url} needs ${JSON.stringify(route.auth)}, the page declares ${JSON.stringify(pageAuth)}`,
    );
  }
  let status = 200;
  let sent: { body: unknown } | undefined;
  const capture = {
    code(c: number) {
      status = c;
      return capture;
    },
    status(c: number) {
      status = c;
      return capture;
    },
    header(name: string, value: unknown) {
      reply.header(name, value);
      return capture;
    },
    removeHeader(name: string) {
      reply.removeHeader(name);
      return capture;
    },
    type() {
      return capture;
    },
    send(body?: unknown) {
      sent = { body };
      return capture;
    },
  };
  const saved = { body: request.body, params: request.params, query: request.query };
  request.body = input.body;
  request.params = input.params ?? {};
  request.query = input.query ?? {};
  try {
    const returned = await route.handler(request, capture as unknown as FastifyReply);
    return { status, body: (sent ? sent.body : returned) as T };
  } finally {
    request.body = saved.body;
    request.params = saved.params;
    request.query = saved.query;
  }
}
