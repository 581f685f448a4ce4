// Reads the secrets sinks need from their files: a webhook's `whsec_` secret, the broker's
// `username:password`. A file others can read is refused (as ssh refuses a key), and no error message
// ever carries the file's content.
import { readFileSync, statSync } from 'node:fs';
import { webhookKey } from '../webhook-signature.js';

export class EventSinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventSinkError';
  }
}

function readSecretFile(file: string, what: string): string {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new EventSinkError(`${file}: ${what} ${code === 'ENOENT' ? 'not found' : `unreadable (${code})`}`);
  }
  if ((mode & 0o077) !== 0) {
    throw new EventSinkError(
      `${file}: ${what} is readable by others (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it`,
    );
  }
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new EventSinkError(`${file}: ${what} unreadable (${(error as NodeJS.ErrnoException).code})`);
  }
}

/** The HMAC key of a webhook endpoint, from its secret file. */
export function loadWebhookKey(file: string): Buffer {
  const text = readSecretFile(file, 'webhook secret');
  try {
    return webhookKey(text);
  } catch (error) {
    throw new EventSinkError(`${file}: ${(error as Error).message}`);
  }
}

/** `username:password` from the broker credentials file (split at the first ":"). */
export function loadMqttCredentials(file: string): { username: string; password: string } {
  const text = readSecretFile(file, 'MQTT credentials file').replace(/\r?\n$/, '');
  const colon = text.indexOf(':');
  if (colon <= 0 || text.includes('\n')) {
    throw new EventSinkError(`${file}: the MQTT credentials file holds one line, username:password`);
  }
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}
