// The edge's HTTP client for the hub: every request signed (shared/forward/request-signature.ts) over the
// exact bytes sent, with a timeout, and every outcome sorted into what the forwarder does next: success,
// back off and resend (network, timeout, 5xx, 401), or do not resend unchanged (other 4xx).
import { signRequest } from '../../shared/forward/request-signature.js';
import type { Clock } from '../../shared/runtime/clock.js';

export const SEND_ERROR_KINDS = [
  'network',
  'timeout',
  'unavailable',
  'server',
  'auth',
  'too_large',
  'conflict',
  'rejected',
] as const;
export type SendErrorKind = (typeof SEND_ERROR_KINDS)[number];

export type HubResponse<T> =
  | { ok: true; status: number; body: T }
  | { ok: false; kind: SendErrorKind; status?: number; message: string; retryAfterMs?: number };

/** Kinds worth resending after a back-off: the hub or the path to it is down, or auth may recover. */
export const RETRYABLE: ReadonlySet<SendErrorKind> = new Set([
  'network',
  'timeout',
  'unavailable',
  'server',
  'auth',
]);

export interface HubClientOptions {
  hubUrl: string;
  edgeId: string;
  secret: Buffer;
  timeoutMs: number;
  clock: Clock;
}

function kindOf(status: number): SendErrorKind {
  if (status === 401) return 'auth';
  if (status === 503) return 'unavailable';
  if (status >= 500) return 'server';
  if (status === 413) return 'too_large';
  if (status === 409) return 'conflict';
  return 'rejected';
}

export class HubClient {
  private readonly base: URL;

  constructor(private readonly options: HubClientOptions) {
    this.base = new URL(options.hubUrl.endsWith('/') ? options.hubUrl : `${options.hubUrl}/`);
  }

  /** POST `body` as JSON to `path` (e.g. /api/v1/ingest/reads). Never throws. */
  async post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<HubResponse<T>> {
    const url = new URL(path.replace(/^\//, ''), this.base);
    const bytes = Buffer.from(JSON.stringify(body));
    const headers = signRequest(this.options.secret, {
      method: 'POST',
      path: url.pathname + url.search,
      edgeId: this.options.edgeId,
      timestamp: this.options.clock(),
      body: bytes,
    });
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        body: bytes,
        headers: { ...headers, 'content-type': 'application/json' },
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      if (timeout.aborted)
        return { ok: false, kind: 'timeout', message: `no answer in ${this.options.timeoutMs} ms` };
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      return {
        ok: false,
        kind: 'network',
        message: cause?.code ?? cause?.message ?? (error as Error).message,
      };
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      return { ok: false, kind: 'network', message: `answer cut short: ${(error as Error).message}` };
    }
    if (response.ok) {
      try {
        return { ok: true, status: response.status, body: JSON.parse(text) as T };
      } catch {
        return {
          ok: false,
          kind: 'server',
          status: response.status,
          message: 'the hub answered 200 with a body that is not JSON',
        };
      }
    }
    let message = text.slice(0, 500);
    try {
      const parsed = JSON.parse(text) as { message?: unknown; error?: unknown };
      if (typeof parsed.message === 'string') message = `${parsed.error ?? 'error'}: ${parsed.message}`;
    } catch {
      // not JSON: keep the text (a proxy's error page)
    }
    const retryAfter = Number(response.headers.get('retry-after'));
    return {
      ok: false,
      kind: kindOf(response.status),
      status: response.status,
      message,
      retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
    };
  }
}
