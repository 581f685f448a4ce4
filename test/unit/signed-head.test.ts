import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkAnchors } from '../../shared/audit/anchor-check.js';
import { parseAnchors } from '../../shared/audit/anchor-file.js';
import {
  headStatementText,
  keyIdOf,
  parsePublicKey,
  rawPublicKey,
  signHead,
  verifySignedHead,
} from '../../shared/audit/signed-head.js';

// RFC 8032 §7.1, TEST 1 and TEST 2 (Ed25519).
const RFC8032 = [
  {
    secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    public: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    public: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
];

const hex = (n: number) => n.toString(16).padStart(2, '0').repeat(32);
const keyFromSeed = (seedHex: string, publicHex: string) =>
  createPrivateKey({
    key: {
      kty: 'OKP',
      crv: 'Ed25519',
      d: Buffer.from(seedHex, 'hex').toString('base64url'),
      x: Buffer.from(publicHex, 'hex').toString('base64url'),
    },
    format: 'jwk',
  });

describe('Ed25519 (RFC 8032 vectors through node:crypto)', () => {
  it.each(RFC8032)('signs message "$message" exactly as the RFC says', (vector) => {
    const key = keyFromSeed(vector.secret, vector.public);
    expect(rawPublicKey(key).toString('hex')).toBe(vector.public);
    expect(sign(null, Buffer.from(vector.message, 'hex'), key).toString('hex')).toBe(vector.signature);
  });
});

describe('signHead / verifySignedHead', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const head = signHead({ chain: 'edge-1', seq: 12, hash: hex(0xab), at: 1_700_000_000_000 }, privateKey);

  it('signs the canonical, type-tagged statement and verifies with the public key', () => {
    expect(headStatementText(head)).toBe(
      `{"at":1700000000000,"chain":"edge-1","hash":"${hex(0xab)}","seq":12,"type":"alpr.audit-head.v1"}`,
    );
    expect(head.keyId).toBe(keyIdOf(publicKey));
    expect(verifySignedHead(head, publicKey)).toEqual({ ok: true });
    expect(verifySignedHead(head, parsePublicKey(rawPublicKey(publicKey).toString('base64')))).toEqual({
      ok: true,
    });
  });

  it('rejects a head whose seq, hash, time or chain was changed after signing', () => {
    for (const change of [{ seq: 13 }, { hash: hex(0xcd) }, { at: 1 }, { chain: 'edge-2' }]) {
      expect(verifySignedHead({ ...head, ...change }, publicKey)).toMatchObject({ ok: false });
    }
  });

  it('rejects a head signed by another key, naming both key ids', () => {
    const other = generateKeyPairSync('ed25519');
    expect(verifySignedHead(head, other.publicKey)).toMatchObject({ ok: false, reason: /signed by key/ });
  });

  it('rejects garbage instead of throwing', () => {
    expect(verifySignedHead({ seq: 'x' }, publicKey)).toMatchObject({ ok: false });
    expect(verifySignedHead(null, publicKey)).toMatchObject({ ok: false });
  });
});

describe('parseAnchors', () => {
  it('reads complete lines and reports a torn last line without trusting it', () => {
    expect(parseAnchors('{"a":1}\n{"b":2}\n')).toEqual({
      anchors: [{ a: 1 }, { b: 2 }],
      problems: [],
      tornTail: false,
    });
    expect(parseAnchors('{"a":1}\n{"b":')).toEqual({ anchors: [{ a: 1 }], problems: [], tornTail: true });
    expect(parseAnchors('{"a":1}\nxx\n').problems).toEqual([{ line: 2, message: 'not valid JSON' }]);
  });
});

describe('checkAnchors', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const hashes = new Map([1, 2, 3, 4, 5].map((seq) => [seq, hex(seq)]));
  const view = { chain: 'edge-1', lastSeq: 5, hashAt: (seq: number) => hashes.get(seq) };
  const anchor = (seq: number, at = seq * 1000, hash = hex(seq)) =>
    signHead({ chain: 'edge-1', seq, hash, at }, privateKey);

  it('passes a chain that contains every anchored head', () => {
    expect(checkAnchors(view, [anchor(2), anchor(5)], publicKey)).toMatchObject({ ok: true, checked: 2 });
  });

  it('fails a chain cut below an anchored head', () => {
    const cut = { ...view, lastSeq: 3 };
    expect(checkAnchors(cut, [anchor(2), anchor(5)], publicKey)).toMatchObject({
      ok: false,
      seq: 5,
      reason: expect.stringMatching(/cut below/),
    });
  });

  it('fails a chain rewritten and re-hashed under an anchored head', () => {
    const rewritten = { ...view, hashAt: (seq: number) => (seq === 2 ? hex(0xee) : hashes.get(seq)) };
    expect(checkAnchors(rewritten, [anchor(2)], publicKey)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/rewritten/),
    });
  });

  it('fails on an anchor with a bad signature, and on anchors going backwards', () => {
    expect(checkAnchors(view, [{ ...anchor(2), seq: 3 }], publicKey)).toMatchObject({ ok: false });
    expect(checkAnchors(view, [anchor(4), anchor(2)], publicKey)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/goes back/),
    });
  });

  it('checks an expected head given by an operator, signed or not', () => {
    expect(checkAnchors(view, [], undefined, [{ seq: 3, hash: hex(3) }])).toMatchObject({ ok: true });
    expect(checkAnchors(view, [], undefined, [{ seq: 3, hash: hex(9) }])).toMatchObject({ ok: false });
    expect(checkAnchors(view, [], undefined, [{ seq: 9, hash: hex(9) }])).toMatchObject({ ok: false });
  });

  it('ignores anchors of other chains in the same file', () => {
    const foreign = signHead({ chain: 'edge-2', seq: 99, hash: hex(1), at: 1 }, privateKey);
    expect(checkAnchors(view, [foreign, anchor(3)], publicKey)).toMatchObject({ ok: true, checked: 1 });
  });
});
