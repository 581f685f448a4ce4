// Kept so hub code that imports the secret box from here keeps working: the one AES-256-GCM helper is
// shared/crypto/secret-box.ts (TOTP seeds use it too, through shared/crypto/seed-cipher.ts).
export { openSecret, SecretBoxError, sealSecret, sealWithIv } from '../../shared/crypto/secret-box.js';
