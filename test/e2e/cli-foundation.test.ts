import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../shared/audit/audit-log.js';
import { PROJECT_ROOT } from '../../shared/runtime/paths.js';
import { spawnCli } from '../support/cli.js';
import { tempDir } from '../support/temp-dir.js';

const example = path.join(PROJECT_ROOT, 'examples', 'alpr.example.yaml');

describe('alpr CLI (foundation)', () => {
  it('lists its commands in --help', () => {
    const run = spawnCli(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['config', 'audit', 'db', 'models']) expect(run.stdout).toContain(command);
    const sub = spawnCli(['audit', 'verify', '--help']);
    expect(sub.stdout).toContain('--db <file>');
  });

  it('accepts the example config (exit 0)', () => {
    const run = spawnCli(['config', 'check', example]);
    expect(run.stdout).toContain('valid (2 camera(s)');
    expect(run.code).toBe(0);
  });

  it('names the path of a misspelled key and exits 2', () => {
    const dir = tempDir();
    const bad = path.join(dir, 'bad.yaml');
    copyFileSync(example, bad);
    const text = readFileSync(bad, 'utf8').replace('bearingDeg: 90', 'bearingDg: 90');
    writeFileSync(bad, text);
    const run = spawnCli(['config', 'check', bad]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('cameras[1].bearingDg: unknown key (did you mean "bearingDeg"?)');
  });

  it('exits 2 on YAML that does not parse', () => {
    const file = path.join(tempDir(), 'broken.yaml');
    writeFileSync(file, 'cameras: [\n  - id: x\n');
    const run = spawnCli(['config', 'check', file]);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^\(file\): YAML syntax/m);
  });

  it('verifies an intact audit chain and names the first bad row of a tampered one', () => {
    const db = path.join(tempDir(), 'alpr.db');
    expect(spawnCli(['db', 'migrate', '--db', db]).code).toBe(0);
    const raw = new Database(db);
    const log = new AuditLog(raw);
    for (let i = 0; i < 5; i++) log.append({ kind: 'test', actor: 'e2e', payload: { i } }, 1000 + i);
    const ok = spawnCli(['audit', 'verify', '--db', db]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('audit chain intact: 5 row(s)');
    raw.exec("DROP TRIGGER audit_events_no_update; UPDATE audit_events SET actor = 'mallory' WHERE seq = 3;");
    raw.close();
    const bad = spawnCli(['audit', 'verify', '--db', db, '--json']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('audit chain BROKEN at row 3');
    expect(bad.json()).toMatchObject({ ok: false, badSeq: 3 });
  });

  it('keeps the configuration reference in docs/configuration.md current', () => {
    const run = spawnCli([
      'config',
      'reference',
      '--check',
      path.join(PROJECT_ROOT, 'docs', 'configuration.md'),
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});
