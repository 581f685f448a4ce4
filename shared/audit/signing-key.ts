// The Ed25519 key that signs audit heads, in a PEM file outside the database. Created on first start
// with mode 0600 (written aside, then hard-linked into place: two processes starting together end up
// with one key, and nobody ever reads a half-written file); a key
// file that others can read is refused, as ssh refuses one, because whoever reads it can forge heads.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { keyIdOf, rawPublicKey } from './signed-head.js';

export interface HeadSigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly keyId: string;
  /** raw public key, base64: what `alpr audit key` prints and verifiers are given */
  readonly publicKeyBase64: string;
  readonly file: string;
  /** true when this call created the file */
  readonly created: boolean;
}

export class SigningKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningKeyError';
  }
}

function fromPrivate(privateKey: KeyObject, file: string, created: boolean): HeadSigningKey {
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new SigningKeyError(`${file}: not an Ed25519 private key (found ${privateKey.asymmetricKeyType})`);
  }
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    keyId: keyIdOf(publicKey),
    publicKeyBase64: rawPublicKey(publicKey).toString('base64'),
    file,
    created,
  };
}

/** Load the key at `file`; with `create`, make one (mode 0600) when the file does not exist. */
export function loadSigningKey(file: string, options: { create?: boolean } = {}): HeadSigningKey {
  const resolved = path.resolve(file);
  let mode: number;
  try {
    mode = statSync(resolved).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new SigningKeyError(
        `${resolved}: cannot read the audit signing key: ${(error as Error).message}`,
      );
    }
    if (!options.create) throw new SigningKeyError(`${resolved}: audit signing key not found`);
    return createKeyFile(resolved);
  }
  if ((mode & 0o077) !== 0) {
    throw new SigningKeyError(
      `${resolved}: audit signing key is readable by others (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it`,
    );
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(resolved, 'utf8'));
  } catch (error) {
    throw new SigningKeyError(`${resolved}: not a PEM private key: ${(error as Error).message}`);
  }
  return fromPrivate(privateKey, resolved, false);
}

function createKeyFile(file: string): HeadSigningKey {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  const staging = `${file}.${process.pid}.partial`;
  try {
    const fd = openSync(staging, 'wx', 0o600);
    try {
      writeSync(fd, pem);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(staging, file);
    } catch (error) {
      // Another process put its key in place first: use theirs.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadSigningKey(file);
      throw error;
    }
  } catch (error) {
    if (error instanceof SigningKeyError) throw error;
    throw new SigningKeyError(`${file}: cannot create the audit signing key: ${(error as Error).message}`);
  } finally {
    try {
      unlinkSync(staging);
    } catch {
      // already gone or never written: nothing to clean
    }
  }
  return fromPrivate(privateKey, file, true);
}
