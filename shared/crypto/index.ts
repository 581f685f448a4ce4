// Public surface of the crypto primitives the access rules need (node:crypto lives here, not in shared/access).
export * from './base32.js';
export * from './password-hash.js';
export * from './secret-box.js';
export * from './seed-cipher.js';
export * from './tokens.js';
export * from './totp.js';
