// The edge request signature (docs/hub-protocol.md): the protocol's worked example reproduced (computed
// independently with openssl), and any change to method, path, edge, time, nonce or body breaks it.
import { describe, expect, it } from 'vitest';
import {
  computeSignature,
  generateEdgeSecret,
  parseEdgeSecret,
  signatureMatches,
  signRequest,
  stringToSign,
} from '../../../shared/forward/request-signature.js';

const secret = parseEdgeSecret('AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8');
const example = {
  method: 'POST',
  path: '/api/v1/ingest/reads',
  edgeId: 'edge-01',
  timestamp: 1772366400000,
  nonce: '000102030405060708090a0b0c0d0e0f',
  body: Buffer.from('{"reads":[]}'),
};

describe('edge request signature', () => {
  it('reproduces the worked example of the protocol document', () => {
    expect(stringToSign(example)).toBe(
      [
        'ALPR-HMAC-SHA256-v1',
        'POST',
        '/api/v1/ingest/reads',
        'edge-01',
        '1772366400000',
        '000102030405060708090a0b0c0d0e0f',
        '688e63f73f24ecebf9c6cb9ce0d3f67bb925aaf0e21014df222c50c515a2aa87',
      ].join('\n'),
    );
    expect(computeSignature(secret, example)).toBe(
      'v1=1cd5d04bf3c945d3856bccfe84b2fa6f6758cd391fc263da798a4a7f1ccc08dd',
    );
  });

  it.each([
    ['method', { method: 'PUT' }],
    ['path', { path: '/api/v1/ingest/receipts' }],
    ['edge id', { edgeId: 'edge-02' }],
    ['timestamp', { timestamp: example.timestamp + 1 }],
    ['nonce', { nonce: 'ffffffffffffffffffffffffffffffff' }],
    ['body', { body: Buffer.from('{"reads": []}') }],
  ])('a changed %s does not match', (_what, change) => {
    const good = computeSignature(secret, example);
    expect(signatureMatches(secret, example, good)).toBe(true);
    expect(signatureMatches(secret, { ...example, ...change }, good)).toBe(false);
  });

  it('does not match under another secret, or a signature of another length', () => {
    const good = computeSignature(secret, example);
    expect(signatureMatches(parseEdgeSecret(generateEdgeSecret()), example, good)).toBe(false);
    expect(signatureMatches(secret, example, good.slice(0, -2))).toBe(false);
  });

  it('signs with the four protocol headers and a fresh nonce each time', () => {
    const a = signRequest(secret, { ...example, nonce: undefined });
    const b = signRequest(secret, { ...example, nonce: undefined });
    expect(Object.keys(a).sort()).toEqual([
      'x-alpr-edge',
      'x-alpr-nonce',
      'x-alpr-signature',
      'x-alpr-timestamp',
    ]);
    expect(a['x-alpr-nonce']).toMatch(/^[0-9a-f]{32}$/);
    expect(a['x-alpr-nonce']).not.toBe(b['x-alpr-nonce']);
  });

  it('refuses a secret that is not 32 bytes in base64url', () => {
    expect(() => parseEdgeSecret('short')).toThrow(/43 characters/);
    expect(parseEdgeSecret(`  ${generateEdgeSecret()}\n`)).toHaveLength(32);
  });
});
