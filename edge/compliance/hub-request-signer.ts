// Signs the edge's requests to the hub as docs/hub-protocol.md says: HMAC-SHA-256 under the edge's secret
// over method, path, edge id, timestamp, nonce and the SHA-256 of the body. The registry fetch takes any
// function of this shape; the forwarder's signer (shared/forward, issue 11 ingest) is the same scheme and
// replaces this one when both are merged.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { type Clock, systemClock } from '../../shared/runtime/clock.js';

export interface HubRequest {
  method: string;
  /** path including any query string, exactly as sent */
  path: string;
  body: Uint8Array;
}

/** Headers that authenticate one request. */
export type HubRequestSigner = (request: HubRequest) => Record<string, string>;

/**
 * The protocol's string to sign.
 * @example stringToSign({ method: 'GET', path: '/api/v1/registry', body: new Uint8Array() }, 'edge-01', 1772366400000, '00…')
 */
export function stringToSign(request: HubRequest, edgeId: string, timestamp: number, nonce: string): string {
  return [
    'ALPR-HMAC-SHA256-v1',
    request.method.toUpperCase(),
    request.path,
    edgeId,
    String(timestamp),
    nonce,
    createHash('sha256').update(request.body).digest('hex'),
  ].join('\n');
}

/** The x-alpr-signature value of one request. */
export function signatureFor(
  request: HubRequest,
  edgeId: string,
  timestamp: number,
  nonce: string,
  secret: Buffer,
): string {
  const text = stringToSign(request, edgeId, timestamp, nonce);
  return `v1=${createHmac('sha256', secret).update(text).digest('hex')}`;
}

/** Signs every request as `edgeId` with a fresh nonce and the clock's time. */
export function edgeRequestSigner(
  edgeId: string,
  secret: Buffer,
  clock: Clock = systemClock,
): HubRequestSigner {
  if (secret.length !== 32) throw new TypeError('an edge secret is 32 bytes');
  return (request) => {
    const timestamp = clock();
    const nonce = randomBytes(16).toString('hex');
    return {
      'x-alpr-edge': edgeId,
      'x-alpr-timestamp': String(timestamp),
      'x-alpr-nonce': nonce,
      'x-alpr-signature': signatureFor(request, edgeId, timestamp, nonce, secret),
    };
  };
}

/** Read the edge secret file `alpr hub edges add` printed (32 bytes base64url, mode 0600). */
export function loadEdgeSecret(file: string): Buffer {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (error) {
    throw new Error(`${file}: cannot read the edge key: ${(error as Error).message}`);
  }
  if ((mode & 0o077) !== 0) {
    throw new Error(
      `${file}: the edge key is readable by others (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it`,
    );
  }
  const text = readFileSync(file, 'utf8').trim();
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) throw new Error(`${file}: not an edge key (32 bytes, base64url)`);
  return Buffer.from(text, 'base64url');
}
