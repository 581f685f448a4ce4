// The hub's keys, in files outside its database (hub.keysDir, default <dataDir>/keys, mode 0700):
// an Ed25519 key that signs the hub's audit heads, the site registry it serves and its reports; and a
// 256-bit secrets key that encrypts what the hub must keep but never show (edge HMAC secrets, TOTP
// seeds). Both are created on first start with mode 0600. Whoever has the database but not these files
// can neither forge a signature nor read a secret.
import { randomBytes } from 'node:crypto';
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
import { type HeadSigningKey, loadSigningKey, SigningKeyError } from '../shared/audit/signing-key.js';

export interface HubKeys {
  readonly signing: HeadSigningKey;
  /** 32 bytes for AES-256-GCM (shared/crypto) */
  readonly secretsKey: Buffer;
  readonly dir: string;
}

const SECRETS_FILE = 'secrets.key';
const SIGNING_FILE = 'hub-signing.key';

/** Load (creating on first start when `create`) the hub's keys from `dir`. */
export function loadHubKeys(dir: string, options: { create?: boolean } = { create: true }): HubKeys {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const signing = loadSigningKey(path.join(dir, SIGNING_FILE), { create: options.create });
  return { signing, secretsKey: loadSecretsKey(path.join(dir, SECRETS_FILE), options.create ?? false), dir };
}

function loadSecretsKey(file: string, create: boolean): Buffer {
  let mode: number | undefined;
  try {
    mode = statSync(file).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (mode === undefined) {
    if (!create) throw new SigningKeyError(`${file}: hub secrets key not found`);
    writeExclusive(file, `${randomBytes(32).toString('base64')}\n`);
    return loadSecretsKey(file, false);
  }
  if ((mode & 0o077) !== 0) {
    throw new SigningKeyError(
      `${file}: hub secrets key is readable by others (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it`,
    );
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new SigningKeyError(`${file}: not a 32-byte base64 key`);
  return key;
}

// Written aside then hard-linked into place: two processes starting together keep one key.
function writeExclusive(file: string, text: string): void {
  const staging = `${file}.${process.pid}.partial`;
  const fd = openSync(staging, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(staging, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(staging);
  }
}
