// The city's sensitive-site registry as the hub serves it (docs/hub-protocol.md, GET /api/v1/registry):
// the normalised registry without site names, signed with Ed25519 by the hub's key over the RFC 8785
// canonical JSON of {type, version, signedAt, registry}. An edge uses it only once the signature verifies
// under the hub key it was given AND the version it recomputes from the content is the signed one.
// Lives in shared/crypto, not shared/geofence: it signs with node:crypto, and the geofence folder is pure.
import { type KeyObject, sign, verify } from 'node:crypto';
import { keyIdOf } from '../audit/signed-head.js';
import { canonicalJson } from '../canonical-json.js';
import { registryToGeoJson, type SiteRegistry, validateSiteRegistry } from '../geofence/site-registry.js';

export const REGISTRY_STATEMENT_TYPE = 'alpr.registry.v1';

export interface SignedRegistry {
  /** the registry version (hex SHA-256 of its normalised content) */
  version: string;
  /** ms since epoch, UTC, when the hub signed this copy */
  signedAt: number;
  /** first 16 hex digits of sha256 of the raw public key */
  keyId: string;
  /** base64 Ed25519 signature over registryStatementText */
  signature: string;
  /** GeoJSON FeatureCollection, normalised, without names */
  registry: Record<string, unknown>;
}

/**
 * The exact text signed: canonical JSON with a type tag, so the signature cannot be replayed as any other
 * kind of statement by the same key (audit heads, reports).
 * @example registryStatementText({ version: 'ab…', signedAt: 0, registry: { type: 'FeatureCollection', features: [] } })
 */
export function registryStatementText(s: Pick<SignedRegistry, 'version' | 'signedAt' | 'registry'>): string {
  return canonicalJson({
    type: REGISTRY_STATEMENT_TYPE,
    version: s.version,
    signedAt: s.signedAt,
    registry: s.registry,
  });
}

/**
 * Sign a registry for edges (names left out: data minimisation).
 * @example signRegistry(registry, Date.now(), keys.signing.privateKey)
 */
export function signRegistry(
  registry: SiteRegistry,
  signedAt: number,
  privateKey: KeyObject,
): SignedRegistry {
  if (!Number.isSafeInteger(signedAt) || signedAt < 0) throw new TypeError('signedAt must be ms since epoch');
  const body = {
    version: registry.version,
    signedAt,
    registry: registryToGeoJson(registry, { names: false }),
  };
  const signature = sign(null, Buffer.from(registryStatementText(body)), privateKey).toString('base64');
  return { ...body, keyId: keyIdOf(privateKey), signature };
}

export type RegistryVerdict =
  | { ok: true; signed: SignedRegistry; registry: SiteRegistry }
  | { ok: false; reason: string };

const MEMBERS = ['keyId', 'registry', 'signature', 'signedAt', 'version'];

/**
 * Check a registry envelope as received: its shape, its signature under `publicKey`, and that the content
 * is a valid registry whose recomputed version is the signed one.
 * @example verifySignedRegistry(JSON.parse(body), parsePublicKey(config.sites.hub.publicKey))
 */
export function verifySignedRegistry(value: unknown, publicKey: KeyObject): RegistryVerdict {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, reason: 'not a signed registry object' };
  }
  const v = value as Record<string, unknown>;
  const keys = Object.keys(v).sort();
  if (keys.join() !== MEMBERS.join()) {
    return {
      ok: false,
      reason: `a signed registry has exactly the members ${MEMBERS.join(', ')}; got ${keys.join(', ')}`,
    };
  }
  if (typeof v.version !== 'string' || !/^[0-9a-f]{64}$/.test(v.version))
    return { ok: false, reason: 'bad version' };
  if (!Number.isSafeInteger(v.signedAt)) return { ok: false, reason: 'bad signedAt' };
  if (typeof v.signature !== 'string' || typeof v.keyId !== 'string')
    return { ok: false, reason: 'bad signature' };
  if (v.registry === null || typeof v.registry !== 'object' || Array.isArray(v.registry)) {
    return { ok: false, reason: 'bad registry member' };
  }
  const signed = v as unknown as SignedRegistry;
  if (signed.keyId !== keyIdOf(publicKey)) {
    return {
      ok: false,
      reason: `signed by key ${signed.keyId}, not by the hub key ${keyIdOf(publicKey)} this edge trusts`,
    };
  }
  let valid: boolean;
  try {
    valid = verify(
      null,
      Buffer.from(registryStatementText(signed)),
      publicKey,
      Buffer.from(signed.signature, 'base64'),
    );
  } catch (error) {
    return { ok: false, reason: `signature cannot be checked: ${(error as Error).message}` };
  }
  if (!valid)
    return {
      ok: false,
      reason: 'signature does not verify: the registry was altered or not signed by the hub',
    };
  const parsed = validateSiteRegistry(signed.registry);
  if (!parsed.ok) {
    const first = parsed.problems[0]!;
    return {
      ok: false,
      reason: `signed content is not a valid registry: ${first.path || '(registry)'}: ${first.message}`,
    };
  }
  if (parsed.registry.version !== signed.version) {
    return {
      ok: false,
      reason: `content is version ${parsed.registry.version}, not the signed ${signed.version}`,
    };
  }
  return { ok: true, signed, registry: parsed.registry };
}
