// The signed city registry (docs/hub-protocol.md) and the edge's request signature: what an edge accepts
// and what it refuses, and the signature's string to sign against vectors computed with openssl.
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  registryStatementText,
  signRegistry,
  verifySignedRegistry,
} from '../../shared/crypto/signed-registry.js';
import { computeSignature, stringToSign } from '../../shared/forward/request-signature.js';
import {
  circleSite,
  entrance,
  featureCollection,
  polygonSite,
  registryOf,
  square,
} from '../support/geofence-factories.js';

const hub = generateKeyPairSync('ed25519');
const registry = registryOf([
  polygonSite([square(100, 100, 20)], {
    id: 'clinic-1',
    category: 'reproductive_health',
    name: 'Confidential Clinic',
  }),
  entrance('clinic-1', [100, 80]),
  circleSite(-200, 50, 25, { id: 'temple-1', name: 'A Temple' }),
]);
const SIGNED_AT = Date.UTC(2026, 2, 1);

describe('signRegistry / verifySignedRegistry', () => {
  it('signs the registry without site names and verifies it under the hub key', () => {
    const signed = signRegistry(registry, SIGNED_AT, hub.privateKey);
    expect(JSON.stringify(signed)).not.toContain('Confidential Clinic');
    expect(JSON.stringify(signed)).not.toContain('A Temple');
    const verdict = verifySignedRegistry(JSON.parse(JSON.stringify(signed)), hub.publicKey);
    expect(verdict).toMatchObject({ ok: true, signed: { version: registry.version, signedAt: SIGNED_AT } });
    if (verdict.ok) expect(verdict.registry.sites.map((s) => s.id)).toEqual(['clinic-1', 'temple-1']);
  });

  it('covers type, version, signedAt and registry in canonical JSON', () => {
    const signed = signRegistry(registry, SIGNED_AT, hub.privateKey);
    expect(registryStatementText(signed)).toMatch(
      /^\{"registry":\{.*\},"signedAt":1772323200000,"type":"alpr\.registry\.v1","version":"[0-9a-f]{64}"\}$/,
    );
  });

  const tamper = (mutate: (s: Record<string, unknown>) => void) => {
    const copy = JSON.parse(JSON.stringify(signRegistry(registry, SIGNED_AT, hub.privateKey))) as Record<
      string,
      unknown
    >;
    mutate(copy);
    return verifySignedRegistry(copy, hub.publicKey);
  };

  it.each([
    [
      'a moved site',
      (s: Record<string, unknown>) => {
        const features = (s.registry as { features: Array<{ geometry: { coordinates: number[][][] } }> })
          .features;
        features[0]!.geometry.coordinates[0]![0]![0]! += 0.001;
      },
      /signature does not verify/,
    ],
    [
      'a dropped site',
      (s: Record<string, unknown>) => {
        (s.registry as { features: unknown[] }).features.pop();
      },
      /signature does not verify/,
    ],
    [
      'an earlier signing time',
      (s: Record<string, unknown>) => {
        s.signedAt = SIGNED_AT - 1;
      },
      /signature does not verify/,
    ],
    [
      'another version claimed',
      (s: Record<string, unknown>) => {
        s.version = 'f'.repeat(64);
      },
      /signature does not verify/,
    ],
    [
      'an extra member',
      (s: Record<string, unknown>) => {
        s.note = 'trust me';
      },
      /exactly the members/,
    ],
    [
      'a missing signature',
      (s: Record<string, unknown>) => {
        delete s.signature;
      },
      /exactly the members/,
    ],
  ])('refuses %s', (_what, mutate, reason) => {
    expect(tamper(mutate)).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });

  it('refuses a registry signed by another key, naming both key ids', () => {
    const other = generateKeyPairSync('ed25519');
    const verdict = verifySignedRegistry(signRegistry(registry, SIGNED_AT, other.privateKey), hub.publicKey);
    expect(verdict).toEqual({
      ok: false,
      reason: expect.stringMatching(/^signed by key [0-9a-f]{16}, not by the hub key [0-9a-f]{16}/),
    });
  });

  it('refuses signed content that is not a valid registry, or not the signed version', () => {
    const bad = signRegistry(registry, SIGNED_AT, hub.privateKey);
    // Signed correctly, but over content whose recomputed version differs: a hub bug or a forged version.
    const forged = { ...bad, version: 'a'.repeat(64) };
    const resigned = signRegistryRaw(forged);
    expect(verifySignedRegistry(resigned, hub.publicKey)).toEqual({
      ok: false,
      reason: expect.stringMatching(/not the signed/),
    });
    const invalid = signRegistryRaw({
      ...bad,
      registry: featureCollection([{ type: 'Feature', properties: {}, geometry: null }]),
    });
    expect(verifySignedRegistry(invalid, hub.publicKey)).toEqual({
      ok: false,
      reason: expect.stringMatching(/not a valid registry/),
    });
  });
});

function signRegistryRaw(s: {
  version: string;
  signedAt: number;
  registry: Record<string, unknown>;
  keyId: string;
}) {
  const signature = sign(null, Buffer.from(registryStatementText(s)), hub.privateKey).toString('base64');
  return { ...s, signature };
}

describe('edge request signature (docs/hub-protocol.md)', () => {
  // Vectors from: printf 'ALPR-HMAC-SHA256-v1\n…' | openssl dgst -sha256 -mac HMAC -macopt hexkey:aa…aa
  const secret = Buffer.alloc(32, 0xaa);
  const nonce = '00112233445566778899aabbccddeeff';
  const at = 1772366400000;

  it('signs a GET over the SHA-256 of the empty body', () => {
    const request = { method: 'GET', path: '/api/v1/registry', body: new Uint8Array() };
    expect(stringToSign({ ...request, edgeId: 'edge-01', timestamp: at, nonce }).split('\n')).toEqual([
      'ALPR-HMAC-SHA256-v1',
      'GET',
      '/api/v1/registry',
      'edge-01',
      '1772366400000',
      nonce,
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ]);
    expect(computeSignature(secret, { ...request, edgeId: 'edge-01', timestamp: at, nonce })).toBe(
      'v1=4193451ba0cd2fba112941750049b85971139c7f2c47789343532a39a0d89ead',
    );
  });

  it('signs a POST over the exact body bytes and the path with its query', () => {
    const request = { method: 'post', path: '/api/v1/ingest/reads?x=1', body: Buffer.from('{"reads":[]}') };
    expect(computeSignature(secret, { ...request, edgeId: 'edge-01', timestamp: at, nonce })).toBe(
      'v1=cc6db6f6e247c7c29aef82d36adcac437a1ec3a9c596c02bd7ba8c2deff4601d',
    );
  });
});
