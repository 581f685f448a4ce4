// Commands as a new user meets them: a mistyped --db path is refused (exit 2, named, nothing created),
// a file that is not a store is one clear line, and no bad input ends in a stack trace.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../shared/runtime/paths.js';
import { ALPR_VERSION } from '../../shared/runtime/version.js';
import { openStore } from '../../shared/store/store.js';
import { runCli, spawnCli } from '../support/cli.js';
import { makeRead, placeHold, seedCompliantCamera } from '../support/factories.js';
import { tempDir } from '../support/temp-dir.js';

const HOLD_ADD = [
  '--case',
  'C-1',
  '--crime-type',
  'X',
  '--reason',
  'r',
  '--by',
  'det.a',
  '--approved-by',
  'lt.b',
  '--read',
  '1',
];

/** Every command that reads or changes an existing store, with the store path to use. */
const STORE_COMMANDS: Array<[string, (db: string) => string[]]> = [
  ['audit verify', (db) => ['audit', 'verify', '--db', db]],
  ['audit list', (db) => ['audit', 'list', '--db', db]],
  ['db info', (db) => ['db', 'info', '--db', db]],
  ['hold list', (db) => ['hold', 'list', '--db', db]],
  ['hold add', (db) => ['hold', 'add', '--db', db, ...HOLD_ADD]],
  ['hold release', (db) => ['hold', 'release', '1', '--db', db, '--by', 'lt.b', '--reason', 'x']],
  ['purge --once', (db) => ['purge', '--once', '--db', db]],
  ['purge --once --dry-run', (db) => ['purge', '--once', '--dry-run', '--db', db]],
];

const oneLine = (stderr: string) => {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
};

describe('a store path that does not exist', () => {
  it.each(STORE_COMMANDS)(
    '%s refuses it with exit 2, naming it, and creates nothing',
    async (_name, args) => {
      const dir = tempDir();
      const db = path.join(dir, 'typo', 'alpr.db');
      const run = await runCli(args(db));
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`alpr: store ${db}: no such store (nothing was created)`);
      expect(existsSync(path.dirname(db))).toBe(false);
    },
  );

  it('is created only by what sets a box up: db migrate (and the edge, the worker, sites import)', async () => {
    const db = path.join(tempDir(), 'new', 'alpr.db');
    const run = await runCli(['db', 'migrate', '--db', db]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/schema version \d+/);
    expect((await runCli(['db', 'info', '--db', db])).code).toBe(0);
  });
});

describe('a file that is not a store', () => {
  it.each(STORE_COMMANDS)(
    '%s: a non-SQLite file is one line, exit 2, and left unchanged',
    async (_name, args) => {
      const db = path.join(tempDir(), 'notes.txt');
      writeFileSync(db, 'these are my notes, not a database\n');
      const run = await runCli(args(db));
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`alpr: store ${db}: not an SQLite database (file is not a database)`);
      expect(readFileSync(db, 'utf8')).toBe('these are my notes, not a database\n');
    },
  );

  it.each(STORE_COMMANDS)(
    "%s: another program's SQLite database is refused, not given our tables",
    async (_name, args) => {
      const db = path.join(tempDir(), 'other.db');
      const other = new Database(db);
      other.exec('CREATE TABLE contacts (name TEXT)');
      other.close();
      const run = await runCli(args(db));
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/not an alpr store/);
      const check = new Database(db, { readonly: true });
      expect(check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual([
        'contacts',
      ]);
      check.close();
    },
  );

  it("db migrate refuses another program's database too, and a directory is named as one", async () => {
    const dir = tempDir();
    const db = path.join(dir, 'other.db');
    const other = new Database(db);
    other.exec('CREATE TABLE contacts (name TEXT)');
    other.close();
    const migrate = await runCli(['db', 'migrate', '--db', db]);
    expect(migrate.code).toBe(2);
    expect(migrate.stderr).toMatch(/not an alpr store \(schema version 0 but it already has tables\)/);
    mkdirSync(path.join(dir, 'folder'));
    const folder = await runCli(['audit', 'list', '--db', path.join(dir, 'folder')]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain('is a directory, not a store file');
  });
});

describe('bad input is one clear line', () => {
  const store = () => {
    const db = path.join(tempDir(), 'alpr.db');
    openStore(db, { retentionDays: 30 }).close();
    return db;
  };

  it.each([['abc'], ['0'], ['-5'], ['1.5'], ['999999999']])(
    'audit list --limit %s: exit 2',
    async (limit) => {
      const run = await runCli(['audit', 'list', '--db', store(), '--limit', limit]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`"${limit}" is not a whole number from 1 to 100000`);
    },
  );

  it('an audit key file that others can read stops audit key and purge --once: one line, exit 2', async () => {
    const db = store();
    expect((await runCli(['audit', 'key', '--db', db, '--create'])).code).toBe(0);
    const keyFile = path.join(path.dirname(db), 'keys', 'audit-head.key');
    chmodSync(keyFile, 0o640);
    for (const args of [
      ['audit', 'key', '--db', db],
      ['purge', '--once', '--db', db],
    ]) {
      const run = await runCli(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        `alpr: ${keyFile}: audit signing key is readable by others (mode 640); run chmod 600 on it`,
      );
    }
    writeFileSync(keyFile, 'not a key', { mode: 0o600 });
    chmodSync(keyFile, 0o600);
    const junk = await runCli(['audit', 'key', '--db', db]);
    expect(junk.code).toBe(2);
    oneLine(junk.stderr);
    expect(junk.stderr).toContain('not a PEM private key');
  });

  it('hold release with an id that is not a number: exit 2', async () => {
    const run = await runCli(['hold', 'release', 'abc', '--db', store(), '--by', 'lt.b', '--reason', 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('alpr: "abc" is not a hold id');
  });

  it('hold add with a requester disguised as the approver: exit 2, naming the field', async () => {
    const db = store();
    const s = openStore(db, { retentionDays: 30 });
    s.reads.insert(makeRead({ verdictId: seedCompliantCamera(s), capturedAt: Date.now() }), Date.now());
    s.close();
    const run = await runCli([
      'hold',
      'add',
      '--db',
      db,
      ...HOLD_ADD.slice(0, 6),
      '--by',
      'det.a',
      '--approved-by',
      'Det.A\u200b',
      '--read',
      '1',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      '--approved-by: approver contains an invisible or control character (U+200B)',
    );
  });

  it('a store whose hold rows were damaged: one line, exit 1, the stack only with ALPR_DEBUG=1', () => {
    const db = store();
    const s = openStore(db, { retentionDays: 30 });
    placeHold(s, []);
    s.close();
    const raw = new Database(db);
    raw.exec("DROP TRIGGER holds_guard_update; UPDATE holds SET scope = 'garbage'");
    raw.close();
    const run = spawnCli(['hold', 'list', '--db', db]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^alpr: unexpected error: .*\(ALPR_DEBUG=1 shows where\)\n$/);
    oneLine(run.stderr);
    const debug = spawnCli(['hold', 'list', '--db', db], { env: { ALPR_DEBUG: '1' } });
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});

describe('alpr --version', () => {
  it('prints the package version', () => {
    const run = spawnCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(ALPR_VERSION);
    expect(ALPR_VERSION).toBe(
      (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string })
        .version,
    );
  });
});
