import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendAnchor, readAnchors } from '../../../shared/audit/anchor-file.js';
import { signHead, verifySignedHead } from '../../../shared/audit/signed-head.js';
import { loadSigningKey } from '../../../shared/audit/signing-key.js';
import { tempDir as makeTempDir } from '../../support/temp-dir.js';

describe('loadSigningKey', () => {
  it('creates a key file with mode 0600 on first start and loads the same key afterwards', () => {
    const file = path.join(makeTempDir('alpr-key-'), 'keys', 'audit.key');
    const first = loadSigningKey(file, { create: true });
    expect(first.created).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = loadSigningKey(file);
    expect(again.created).toBe(false);
    expect(again.keyId).toBe(first.keyId);
    expect(Buffer.from(again.publicKeyBase64, 'base64')).toHaveLength(32);
  });

  it('refuses a key others can read, a missing key without create, and a file that is not a key', () => {
    const dir = makeTempDir('alpr-key-');
    const file = path.join(dir, 'audit.key');
    expect(() => loadSigningKey(file)).toThrow(/not found/);
    loadSigningKey(file, { create: true });
    chmodSync(file, 0o644);
    expect(() => loadSigningKey(file)).toThrow(/readable by others.*chmod 600/);
    const junk = path.join(dir, 'junk.key');
    writeFileSync(junk, 'hello', { mode: 0o600 });
    expect(() => loadSigningKey(junk)).toThrow(/not a PEM private key/);
  });
});

describe('anchor file', () => {
  it('appends signed heads as lines that read back and verify', () => {
    const dir = makeTempDir('alpr-anchor-');
    const key = loadSigningKey(path.join(dir, 'k'), { create: true });
    const file = path.join(dir, 'anchors.jsonl');
    expect(readAnchors(file)).toEqual({ anchors: [], problems: [], tornTail: false });
    for (const seq of [1, 2]) {
      appendAnchor(file, signHead({ chain: 'e', seq, hash: 'a'.repeat(64), at: seq }, key.privateKey));
    }
    const { anchors } = readAnchors(file);
    expect(anchors.map((a) => a.seq)).toEqual([1, 2]);
    expect(anchors.every((a) => verifySignedHead(a, key.publicKey).ok)).toBe(true);
    expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
  });
});
