import { describe, expect, it } from 'vitest';
import { base32Decode } from '../../../shared/crypto/base32.js';
import {
  generateTotpSeed,
  hotp,
  otpauthUri,
  type TotpAlgorithm,
  totpGenerate,
  totpStep,
  totpVerify,
} from '../../../shared/crypto/totp.js';

// RFC 6238 Appendix B: the seed is the ASCII digits repeated to the hash length (20/32/64 bytes).
const RFC_SEEDS: Record<TotpAlgorithm, Buffer> = {
  SHA1: Buffer.from('12345678901234567890'),
  SHA256: Buffer.from('12345678901234567890123456789012'),
  SHA512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
};

const APPENDIX_B: Array<[number, TotpAlgorithm, string]> = [
  [59, 'SHA1', '94287082'],
  [59, 'SHA256', '46119246'],
  [59, 'SHA512', '90693936'],
  [1111111109, 'SHA1', '07081804'],
  [1111111109, 'SHA256', '68084774'],
  [1111111109, 'SHA512', '25091201'],
  [1111111111, 'SHA1', '14050471'],
  [1111111111, 'SHA256', '67062674'],
  [1111111111, 'SHA512', '99943326'],
  [1234567890, 'SHA1', '89005924'],
  [1234567890, 'SHA256', '91819424'],
  [1234567890, 'SHA512', '93441116'],
  [2000000000, 'SHA1', '69279037'],
  [2000000000, 'SHA256', '90698825'],
  [2000000000, 'SHA512', '38618901'],
  [20000000000, 'SHA1', '65353130'],
  [20000000000, 'SHA256', '77737706'],
  [20000000000, 'SHA512', '47863826'],
];

describe('hotp (RFC 4226)', () => {
  it('reproduces the Appendix D values for counters 0-9', () => {
    const expected = [
      '755224',
      '287082',
      '359152',
      '969429',
      '338314',
      '254676',
      '287922',
      '162583',
      '399871',
      '520489',
    ];
    expect(expected.map((_, counter) => hotp(RFC_SEEDS.SHA1, counter))).toEqual(expected);
  });

  it('refuses seeds under 128 bits and odd digit counts', () => {
    expect(() => hotp(Buffer.alloc(15), 0)).toThrow(/at least 16/);
    expect(() => hotp(RFC_SEEDS.SHA1, 0, { digits: 7 as 6 })).toThrow(/6 or 8/);
    expect(() => hotp(RFC_SEEDS.SHA1, -1)).toThrow(/counter/);
  });
});

describe('totpGenerate (RFC 6238 Appendix B, AUTH-02)', () => {
  it.each(APPENDIX_B)('at T=%i with %s gives %s (8 digits, X=30)', (seconds, algorithm, code) => {
    expect(totpGenerate(RFC_SEEDS[algorithm], seconds * 1000, { algorithm, digits: 8 })).toBe(code);
  });

  it('gives the low 6 digits of the same value with 6 digits', () => {
    for (const [seconds, algorithm, code] of APPENDIX_B) {
      expect(totpGenerate(RFC_SEEDS[algorithm], seconds * 1000, { algorithm, digits: 6 })).toBe(
        code.slice(2),
      );
    }
  });

  it('counts steps of X seconds from T0', () => {
    expect(totpStep(59_000)).toBe(1);
    expect(totpStep(1_111_111_109_000)).toBe(0x23523ec);
    expect(totpStep(20_000_000_000_000)).toBe(0x27bc86aa);
    expect(totpStep(90_000, { periodS: 60, t0S: 30 })).toBe(1);
  });
});

describe('totpVerify (AUTH-03)', () => {
  const seed = RFC_SEEDS.SHA1;
  const now = 1_234_567_890_000;
  const step = totpStep(now);
  const codeAt = (s: number) => hotp(seed, s);

  it('accepts the current step and one step either side, and says which step matched', () => {
    expect(totpVerify(seed, codeAt(step), now)).toEqual({ ok: true, step, drift: 0 });
    expect(totpVerify(seed, codeAt(step - 1), now)).toEqual({ ok: true, step: step - 1, drift: -1 });
    expect(totpVerify(seed, codeAt(step + 1), now)).toEqual({ ok: true, step: step + 1, drift: 1 });
  });

  it('rejects a code from step -2 or +2', () => {
    expect(totpVerify(seed, codeAt(step - 2), now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(totpVerify(seed, codeAt(step + 2), now)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('verifies 8-digit SHA-512 codes against the RFC vectors', () => {
    expect(totpVerify(RFC_SEEDS.SHA512, '93441116', now, { algorithm: 'SHA512', digits: 8 })).toMatchObject({
      ok: true,
    });
    expect(totpVerify(RFC_SEEDS.SHA512, '93441116', now, { algorithm: 'SHA256', digits: 8 })).toMatchObject({
      ok: false,
    });
  });

  it('ignores spaces but refuses codes of the wrong length or with other characters', () => {
    const code = codeAt(step);
    expect(totpVerify(seed, `${code.slice(0, 3)} ${code.slice(3)}`, now)).toMatchObject({ ok: true });
    for (const bad of ['', '12345', '1234567', 'abcdef', '12345６', `${code}\n1`]) {
      expect(totpVerify(seed, bad, now)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('rejects the right code for another seed', () => {
    expect(totpVerify(Buffer.alloc(20, 7), codeAt(step), now)).toMatchObject({ ok: false });
  });
});

describe('generateTotpSeed (AUTH-05)', () => {
  it('draws at least 160 bits, and never the same seed twice', () => {
    const seeds = Array.from({ length: 200 }, () => generateTotpSeed().toString('hex'));
    expect(new Set(seeds).size).toBe(200);
    expect(generateTotpSeed().length * 8).toBeGreaterThanOrEqual(160);
    expect(generateTotpSeed('SHA512').length).toBe(64);
  });

  it('is not trivially biased: every byte value turns up across many seeds', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 400; i++) for (const byte of generateTotpSeed()) seen.add(byte);
    expect(seen.size).toBe(256);
  });
});

describe('otpauthUri', () => {
  it('builds the Key Uri Format with an unpadded base32 secret that decodes to the seed', () => {
    const uri = otpauthUri({ issuer: 'San José ALPR', account: 'det.alvarez', secret: RFC_SEEDS.SHA1 });
    expect(uri).toBe(
      'otpauth://totp/San%20Jos%C3%A9%20ALPR:det.alvarez?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' +
        '&issuer=San%20Jos%C3%A9%20ALPR&algorithm=SHA1&digits=6&period=30',
    );
    const secret = new URL(uri).searchParams.get('secret')!;
    expect(base32Decode(secret)).toEqual({ ok: true, bytes: RFC_SEEDS.SHA1 });
  });

  it('carries algorithm, digits and period, and refuses a ":" in the label parts', () => {
    const uri = otpauthUri({
      issuer: 'hub',
      account: 'a@b',
      secret: RFC_SEEDS.SHA256,
      algorithm: 'SHA256',
      digits: 8,
    });
    expect(uri).toContain('algorithm=SHA256&digits=8&period=30');
    expect(uri).toContain('totp/hub:a%40b?');
    expect(() => otpauthUri({ issuer: 'a:b', account: 'x', secret: RFC_SEEDS.SHA1 })).toThrow(/issuer/);
    expect(() => otpauthUri({ issuer: 'a', account: ' ', secret: RFC_SEEDS.SHA1 })).toThrow(/account/);
  });
});
