// `alpr hub users` as an operator runs it, on an embedded hub data directory: `add` prints the enrolment
// once as an otpauth URI and a QR code that a phone reads back as the same URI (decoded here with jsqr
// from the printed blocks), the seed is stored only sealed, and list/approve/training/disable work and are
// audited. No command creates an account nobody asked for.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { openHubDb } from '../../../hub/db/open-hub-db.js';
import { loadHubKeys } from '../../../hub/hub-keys.js';
import { parseConfig } from '../../../shared/config/load-config.js';
import { base32Decode } from '../../../shared/crypto/base32.js';
import { decryptSeed } from '../../../shared/crypto/seed-cipher.js';
import { runCli } from '../../support/cli.js';
import { decodeQrPng } from '../../support/qr.js';
import { tempDir } from '../../support/temp-dir.js';

/** The QR code `qrcode` prints as half-block characters (two module rows per line), as a PNG. */
async function qrLinesToPng(lines: string[]): Promise<Buffer> {
  const rows: boolean[][] = [];
  for (const line of lines) {
    const top: boolean[] = [];
    const bottom: boolean[] = [];
    for (const ch of line) {
      top.push(ch === '█' || ch === '▀');
      bottom.push(ch === '█' || ch === '▄');
    }
    rows.push(top, bottom);
  }
  const scale = 6;
  const width = Math.max(...rows.map((r) => r.length)) * scale;
  const height = rows.length * scale;
  // dark modules are the printed blocks; everything else (and the margin) is light
  const pixels = Buffer.alloc(width * height, 255);
  rows.forEach((row, y) => {
    row.forEach((on, x) => {
      if (!on) return;
      for (let dy = 0; dy < scale; dy++)
        pixels.fill(0, (y * scale + dy) * width + x * scale, (y * scale + dy) * width + (x + 1) * scale);
    });
  });
  return sharp(pixels, { raw: { width, height, channels: 1 } })
    .extend({ top: 24, bottom: 24, left: 24, right: 24, background: '#ffffff' })
    .png()
    .toBuffer();
}

describe('alpr hub users', () => {
  it('adds an account and prints its enrolment once, as a URI and a QR code that decodes to it', async () => {
    const dir = tempDir('alpr-users-cli-');
    const config = path.join(dir, 'hub.json');
    writeFileSync(config, JSON.stringify({ hub: { dataDir: './hub-data' } }));
    const cli = (...args: string[]) => runCli(['hub', ...args, '--config', config], { cwd: dir });

    expect((await cli('users', 'list')).stdout).toContain('no accounts');
    const agency = await cli(
      'agencies',
      'add',
      '--ori',
      'CA0430100',
      '--name',
      'San José Police Department',
      '--type',
      'local_le',
      '--home',
    );
    expect(agency.code).toBe(0);
    // an unknown agency, a bad role, a weak password file: refused with exit 2 and nothing created
    writeFileSync(path.join(dir, 'weak.txt'), 'password1234\n');
    expect(
      (await cli('users', 'add', '--username', 'det.x', '--role', 'investigator', '--agency', 'CA9999999'))
        .code,
    ).toBe(2);
    expect(
      (await cli('users', 'add', '--username', 'det.x', '--role', 'superuser', '--agency', 'CA0430100')).code,
    ).toBe(2);
    const weak = await cli(
      'users',
      'add',
      '--username',
      'det.x',
      '--role',
      'investigator',
      '--agency',
      'CA0430100',
      '--password-file',
      'weak.txt',
    );
    expect(weak.code).toBe(2);
    expect(weak.stderr).toMatch(/common|breached/);

    const added = await cli(
      'users',
      'add',
      '--username',
      'Det.Alvarez',
      '--role',
      'investigator',
      '--agency',
      'CA0430100',
    );
    expect(added.code).toBe(0);
    const lines = added.stdout.split('\n');
    const uri = lines.map((l) => l.trim()).find((l) => l.startsWith('otpauth://'))!;
    expect(uri).toMatch(/^otpauth:\/\/totp\/ALPR%20hub:det\.alvarez\?secret=[A-Z2-7]{32}&issuer=ALPR%20hub/);
    const qr = lines.filter((l) => /[█▀▄]/.test(l));
    expect(qr.length).toBeGreaterThan(10);
    expect(await decodeQrPng(await qrLinesToPng(qr))).toBe(uri);
    const password = lines[lines.findIndex((l) => l.startsWith('Initial password')) + 1]!.trim();
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);

    writeFileSync(path.join(dir, 'sgt.txt'), 'a long passphrase nobody else uses\n');
    expect(
      (
        await cli(
          'users',
          'add',
          '--username',
          'sgt.baker',
          '--role',
          'supervisor',
          '--agency',
          'CA0430100',
          '--password-file',
          'sgt.txt',
        )
      ).code,
    ).toBe(0);
    expect((await cli('users', 'approve', 'det.alvarez', '--by', 'det.alvarez')).code).toBe(2);
    expect((await cli('users', 'approve', 'det.alvarez', '--by', 'sgt.baker')).code).toBe(0);
    expect((await cli('users', 'training', 'det.alvarez', '--date', '2026-01-05')).code).toBe(0);
    expect((await cli('users', 'training', 'det.alvarez', '--date', '2026-13-05')).code).toBe(2);
    const list = await cli('users', 'list');
    expect(list.stdout).toMatch(
      /det\.alvarez\s+investigator\s+CA0430100\s+active\s+approved \d{4}-\d{2}-\d{2} by sgt\.baker\s+trained 2026-01-05/,
    );
    expect(list.stdout).not.toContain(uri.split('secret=')[1]!.split('&')[0]!);
    expect((await cli('users', 'disable', 'det.alvarez', '--reason', 'left the unit')).code).toBe(0);
    expect((await cli('users', 'list')).stdout).toMatch(/det\.alvarez\s+investigator\s+CA0430100\s+disabled/);

    // Stored: the seed only sealed under the key outside the database; the chain has each step, no secret.
    const parsed = parseConfig({ hub: { dataDir: path.join(dir, 'hub-data') } }, dir);
    if (!parsed.ok) throw new Error('config');
    const db = await openHubDb(parsed.value.config.hub);
    try {
      const rows = await db.query<{ username: string; totp_seed_sealed: string; password_hash: string }>(
        'SELECT username, totp_seed_sealed, password_hash FROM users ORDER BY id',
      );
      expect(rows.map((r) => r.username)).toEqual(['det.alvarez', 'sgt.baker']);
      const secret = /secret=([A-Z2-7]+)/.exec(uri)![1]!;
      const keys = loadHubKeys(path.join(dir, 'hub-data', 'keys'), { create: false });
      const opened = decryptSeed(rows[0]!.totp_seed_sealed, keys.secretsKey, 'user:det.alvarez');
      const seed = base32Decode(secret);
      expect(opened.ok && seed.ok && opened.seed.equals(seed.bytes)).toBe(true);
      expect(JSON.stringify(rows)).not.toContain(secret);
      expect(JSON.stringify(rows)).not.toContain(password);
      const audit = await db.query<{ kind: string; payload: string }>(
        'SELECT kind, payload FROM audit_events ORDER BY seq',
      );
      expect(audit.map((a) => a.kind)).toEqual([
        'agency.created',
        'user.created',
        'mfa.enrolled',
        'user.created',
        'mfa.enrolled',
        'user.changed',
        'user.changed',
        'user.disabled',
      ]);
      const text = audit.map((a) => a.payload).join('\n');
      for (const s of [secret, password, 'a long passphrase nobody else uses']) expect(text).not.toContain(s);
    } finally {
      await db.close();
    }
  });
});
