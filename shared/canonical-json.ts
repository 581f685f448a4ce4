// Canonical JSON: the one serialisation every hash and signature in the system is computed over
// (audit chain rows, signed heads, camera config hashes, registry versions). It is the JSON
// Canonicalization Scheme of RFC 8785 (JCS) for the data this system writes: object keys sorted by
// UTF-16 code units at every depth, no whitespace, ECMAScript number and string serialisation
// (which JSON.stringify implements), non-finite numbers and lone surrogates refused.
// `undefined` members are dropped, as JSON.stringify drops them.
import { createHash } from 'node:crypto';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Serialise a JSON-compatible value in RFC 8785 canonical form.
 * @example canonicalJson({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  const text = serialise(value);
  if (text === undefined) throw new TypeError('canonicalJson: the value has no JSON form');
  return text;
}

/**
 * True when `text` is exactly the canonical serialisation of the JSON it parses to: no duplicate keys,
 * no whitespace, keys in order, numbers and strings in their one canonical spelling. What a hash covers
 * must be the stored bytes, and stored bytes must mean one thing only.
 * @example isCanonicalJson('{"a":1}') // true;  isCanonicalJson('{"a":1,"a":2}') // false
 */
export function isCanonicalJson(text: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return false;
  }
  try {
    return canonicalJson(parsed) === text;
  } catch {
    return false;
  }
}

// Lone surrogates cannot be encoded as UTF-8, so two systems would hash them differently (RFC 8785 §3.2.2.2).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkString(text: string): void {
  if (LONE_SURROGATE.test(text)) {
    throw new TypeError('canonicalJson: a string holds a lone UTF-16 surrogate, which has no UTF-8 form');
  }
}

// Written out by hand rather than by JSON.stringify over a sorted copy: JavaScript objects enumerate
// integer-like keys ("1", "10") before all others, which would break the code-unit order RFC 8785 asks.
function serialise(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) {
        throw new TypeError(`canonicalJson: non-finite number ${value} cannot be represented`);
      }
      return JSON.stringify(value); // ECMAScript Number-to-String, as RFC 8785 §3.2.2.3 requires
    case 'string':
      checkString(value);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      return undefined; // undefined, functions, symbols: dropped from objects, null in arrays
  }
  if (Array.isArray(value)) return `[${value.map((item) => serialise(item) ?? 'null').join(',')}]`;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return serialise((value as { toJSON: () => unknown }).toJSON());
  }
  const members: string[] = [];
  for (const key of Object.keys(value).sort()) {
    checkString(key);
    const item = serialise((value as Record<string, unknown>)[key]);
    if (item !== undefined) members.push(`${JSON.stringify(key)}:${item}`);
  }
  return `{${members.join(',')}}`;
}

/** Hex SHA-256 of a string or buffer. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Hex SHA-256 of a value's canonical JSON. */
export function hashCanonical(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
