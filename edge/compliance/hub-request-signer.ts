// Signs the edge's requests to the hub (the registry fetch) with the one scheme of docs/hub-protocol.md,
// shared with the forwarder and the hub's authenticator (shared/forward/request-signature.ts).
import { signRequest } from '../../shared/forward/request-signature.js';
import { type Clock, systemClock } from '../../shared/runtime/clock.js';

export interface HubRequest {
  method: string;
  /** path including any query string, exactly as sent */
  path: string;
  body: Uint8Array;
}

/** Headers that authenticate one request. */
export type HubRequestSigner = (request: HubRequest) => Record<string, string>;

/** Signs every request as `edgeId` with a fresh nonce and the clock's time. */
export function edgeRequestSigner(
  edgeId: string,
  secret: Buffer,
  clock: Clock = systemClock,
): HubRequestSigner {
  if (secret.length !== 32) throw new TypeError('an edge secret is 32 bytes');
  return (request) => signRequest(secret, { ...request, edgeId, timestamp: clock() });
}
