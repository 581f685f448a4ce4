// Errors a hub route throws on purpose: an HTTP status, a stable machine-readable code and a sentence for
// people. Everything else becomes a generic 500 (SEC-03: no stack traces, SQL or tokens in a response).
export class HttpError extends Error {
  constructor(
    readonly status: number,
    /** stable code, e.g. 'bad_request', 'unauthorized', 'prohibited_purpose' */
    readonly code: string,
    message: string,
    /** extra JSON members of the response body (never secrets) */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new HttpError(400, 'bad_request', message, details);
export const unauthorized = (message = 'authentication required') =>
  new HttpError(401, 'unauthorized', message);
export const forbidden = (message: string, code = 'forbidden') => new HttpError(403, code, message);
export const notFound = (message = 'not found') => new HttpError(404, 'not_found', message);
export const conflict = (message: string) => new HttpError(409, 'conflict', message);
export const unprocessable = (code: string, message: string, details?: Record<string, unknown>) =>
  new HttpError(422, code, message, details);
export const tooManyRequests = (message: string) => new HttpError(429, 'rate_limited', message);
export const unavailable = (message: string) => new HttpError(503, 'unavailable', message);

/** The JSON body of every error response. */
export interface ErrorBody {
  error: string;
  message: string;
  [extra: string]: unknown;
}
