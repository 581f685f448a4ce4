// The hotlist match key (MIN-02): HMAC-SHA-256 over the folded plate key, under a key derived with HKDF
// from the hub's secrets key (a file outside the database, hub/hub-keys.ts) and a label of its own, so the
// match table holds no bare plates and whoever has only the database cannot test a plate against it.
// The entry's plate is also sealed (AES-256-GCM) under the secrets key, for the verification form only.
import { createHmac, hkdfSync } from 'node:crypto';
import { accessPayload } from '../../shared/audit/access-audit.js';
import { openSecret, sealSecret } from '../../shared/crypto/secret-box.js';
import { foldPlateText, normalisePlateText } from '../../shared/plates/plate-format.js';
import type { HubKeys } from '../hub-keys.js';

const LABEL = 'alpr hub hotlist plate match v1';

export interface HotlistKey {
  /** 64 hex characters: HMAC-SHA-256 of the folded plate (never shorter, never unkeyed) */
  match(plate: string): string;
  seal(plate: string, entryContext: string): string;
  open(sealed: string, entryContext: string): string;
}

/**
 * The hub's hotlist key from its keys.
 * @example hotlistKey(keys).match('7ABO123') === hotlistKey(keys).match('7AB0123') // true (O/0 folded)
 */
export function hotlistKey(keys: Pick<HubKeys, 'secretsKey'>): HotlistKey {
  const key = Buffer.from(hkdfSync('sha256', keys.secretsKey, Buffer.alloc(0), LABEL, 32));
  const secrets = keys.secretsKey;
  return {
    match: (plate) =>
      createHmac('sha256', key)
        .update(foldPlateText(normalisePlateText(plate)), 'utf8')
        .digest('hex'),
    seal: (plate, context) => sealSecret(secrets, Buffer.from(plate, 'utf8'), `hotlist-plate:${context}`),
    open: (sealed, context) => openSecret(secrets, sealed, `hotlist-plate:${context}`).toString('utf8'),
  };
}

/** accessPayload() as the plain record the audit log takes. */
export function hotlistPayload(fields: Parameters<typeof accessPayload>[0]): Record<string, unknown> {
  return { ...accessPayload(fields) };
}
