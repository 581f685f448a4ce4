// The hub's HTTP server (fastify): registers the features' declared routes behind their authenticators,
// keeps each JSON body's exact bytes (signatures cover bytes, not a re-serialisation), describes the API as
// OpenAPI at /api/openapi.json, and turns every failure into a JSON {error, message} without internals.
import { readFileSync } from 'node:fs';
import swagger from '@fastify/swagger';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { Logger } from '../../shared/logging/logger.js';
import { isUnavailableError } from '../db/hub-db.js';
import { type ErrorBody, HttpError } from './http-errors.js';
import type { HubMetrics } from './hub-metrics.js';
import type { Authenticator, AuthKind, HubRoute } from './hub-route.js';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: Buffer;
  }
}

export interface HubServerOptions {
  routes: readonly HubRoute[];
  authenticators: readonly Authenticator[];
  logger: Logger;
  version: string;
  bodyLimitBytes: number;
  tls?: { certPath: string; keyPath: string };
  /** request latency goes here, by route template (never the raw URL) */
  metrics?: HubMetrics;
}

// Fastify's own 4xx errors (bad JSON, body too large, wrong media type) keep their status; their
// messages are fastify's, which name no internals.
export function errorBody(error: FastifyError | Error): { status: number; body: ErrorBody } {
  if (error instanceof HttpError) {
    return { status: error.status, body: { ...error.details, error: error.code, message: error.message } };
  }
  const fe = error as FastifyError;
  if (fe.validation) return { status: 400, body: { error: 'bad_request', message: fe.message } };
  if (isUnavailableError(error)) {
    return {
      status: 503,
      body: { error: 'unavailable', message: 'the hub database is unreachable; retry later' },
    };
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, body: { error: 'bad_request', message: fe.message } };
  }
  return { status: 500, body: { error: 'internal', message: 'internal error' } };
}

/** Build (not start) the server. Throws when a route needs an authenticator that is missing. */
export async function buildHubServer(options: HubServerOptions): Promise<FastifyInstance> {
  const authenticators = new Map<AuthKind, Authenticator>(options.authenticators.map((a) => [a.kind, a]));
  for (const route of options.routes) {
    if (route.auth.kind !== 'public' && !authenticators.has(route.auth.kind)) {
      throw new Error(
        `route ${route.method} ${route.url} needs a "${route.auth.kind}" authenticator, and none is set up`,
      );
    }
  }
  const app = Fastify({
    loggerInstance: options.logger.child({ component: 'hub-http' }),
    // fastify's own per-request lines are off: the onResponse hook logs one line by route template
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimitBytes,
    https: options.tls
      ? {
          cert: readFileSync(options.tls.certPath),
          key: readFileSync(options.tls.keyPath),
          minVersion: 'TLSv1.2',
        }
      : null,
    trustProxy: false,
    return503OnClosing: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  }) as unknown as FastifyInstance;

  app.decorateRequest('principal', undefined as never);
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    (request: FastifyRequest, body, done) => {
      const bytes = body as Buffer;
      request.rawBody = bytes;
      if (bytes.length === 0) return done(null, undefined);
      try {
        // JSON.parse with a reviver that refuses prototype keys (prototype poisoning).
        done(
          null,
          JSON.parse(bytes.toString('utf8'), (key, value) => {
            if (key === '__proto__' || key === 'constructor') throw new Error(`forbidden key "${key}"`);
            return value;
          }),
        );
      } catch (error) {
        done(
          new HttpError(400, 'bad_request', `request body is not valid JSON: ${(error as Error).message}`),
          undefined,
        );
      }
    },
  );

  // HTML forms post url-encoded fields; parsed into a plain object without a prototype (no __proto__
  // pollution), the last value winning for a repeated name.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request: FastifyRequest, body, done) => {
      const fields = Object.create(null) as Record<string, string>;
      for (const [key, value] of new URLSearchParams(body as string)) fields[key] = value;
      done(null, fields);
    },
  );

  app.setErrorHandler((error, request, reply) => {
    const { status, body } = errorBody(error as Error);
    if (status >= 500) request.log.error({ err: error, url: request.routeOptions.url }, 'request failed');
    else request.log.debug({ status, code: body.error, url: request.routeOptions.url }, 'request refused');
    if (status === 503) reply.header('retry-after', '5');
    void reply.status(status).type('application/json; charset=utf-8').send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply
      .status(404)
      .send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` });
  });
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    options.metrics?.requestDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'alpr hub', version: options.version, description: 'Governed ALPR hub API' },
    },
  });
  for (const route of options.routes) {
    const auth = route.auth;
    const authenticator = auth.kind === 'public' ? undefined : authenticators.get(auth.kind)!;
    app.route({
      method: route.method,
      url: route.url,
      schema: {
        ...route.schema,
        summary: route.summary,
        tags: route.tag ? [route.tag] : undefined,
        description: describeAuth(route),
      },
      // Before schema validation: a caller who may not use a route learns nothing about its body rules
      // (401/403 first, then 400). The body is parsed by then, so the edge signature still sees its bytes.
      preValidation: async (request) => {
        request.principal = authenticator
          ? await authenticator.authenticate(request, route)
          : { kind: 'public' };
      },
      handler: route.handler,
      ...(route.onError
        ? {
            errorHandler: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
              const { status } = errorBody(error);
              if (status >= 500)
                request.log.error({ err: error, url: request.routeOptions.url }, 'page failed');
              return route.onError!(error, request, reply);
            },
          }
        : {}),
    });
  }
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}

function describeAuth(route: HubRoute): string {
  const auth = route.auth;
  if (auth.kind === 'public') return 'Public: no credentials.';
  if (auth.kind === 'edge') return 'An enrolled edge, by its per-edge HMAC key.';
  const who = auth.permission ? `permission \`${auth.permission}\`` : 'any signed-in user';
  return `Signed-in user with ${who}${auth.acknowledged ? ', after accepting the current notice' : ''}.`;
}
