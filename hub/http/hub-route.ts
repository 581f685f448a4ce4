// How a hub feature declares a route: method, URL, who may call it, its JSON schemas and its handler.
// Every route names its authentication kind and (for people) the one permission it needs: deny by
// default (AC-01). The server refuses to start if a route needs an authenticator nobody provided, and the
// declared table is what the permission-matrix test compares against.
import type { FastifyError, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';

export type RouteAuth =
  /** anyone, no credentials (health, the transparency portal) */
  | { kind: 'public' }
  /** an enrolled edge box, by its per-edge key */
  | { kind: 'edge' }
  /**
   * a signed-in person; `permission` null: any signed-in person (e.g. sign out); `acknowledged`: the
   * current system-use notice must have been accepted in this session (ACK-01)
   */
  | { kind: 'user'; permission: string | null; acknowledged: boolean };

export type AuthKind = RouteAuth['kind'];

/** Who is calling, as established by an authenticator. */
export type Principal =
  | { kind: 'public' }
  | { kind: 'edge'; edgeId: string; agencyId: number }
  | { kind: 'user'; userId: number; username: string; agencyId: number; role: string; sessionId: string };

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
}

export interface HubRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  auth: RouteAuth;
  /** one line for the OpenAPI description */
  summary: string;
  /** OpenAPI tag */
  tag?: string;
  schema?: Omit<FastifySchema, 'summary' | 'tags'>;
  /** raw body bytes are kept on request.rawBody (needed to check a signature over the exact body) */
  rawBody?: boolean;
  /** content type of the response when not JSON (pages, CSV, PDF) */
  produces?: string;
  handler(request: FastifyRequest, reply: FastifyReply): Promise<unknown>;
  /**
   * answers this route's failures (authentication included) instead of the JSON error body: pages render
   * an accessible error page or redirect to sign-in (hub/pages/page-route.ts)
   */
  onError?(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): unknown;
}

/** Establishes the principal of a request for one auth kind, or throws an HttpError (401/403). */
export interface Authenticator {
  kind: Exclude<AuthKind, 'public'>;
  authenticate(request: FastifyRequest, route: HubRoute): Promise<Principal>;
}
