// `alpr audit verify|list|key` as an auditor meets them: an anchored store passes; a rewritten and
// re-hashed chain, a duplicate-key payload, a chain cut below an anchored head, a wrong expected head and
// a garbage head record fail with exit 1 naming the check; bad input is one line and exit 2.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createAnchorer } from '../../shared/audit/anchorer.js';
import { rawPublicKey } from '../../shared/audit/signed-head.js';
import { loadConfig } from '../../shared/config/load-config.js';
import { createLogger } from '../../shared/logging/logger.js';
import { MIGRATIONS } from '../../shared/store/migrations.js';
import { openStore } from '../../shared/store/store.js';
import { runCli, spawnCli } from '../support/cli.js';
import { T0 } from '../support/factories.js';
import { dropTriggersOn, recomputeChain } from '../support/tamper.js';
import { tempDir } from '../support/temp-dir.js';

const quiet = createLogger({ level: 'silent' });

/** A node's store with `events` audit events, anchored after every `anchorEvery` of them. */
function anchoredNode(events = 6, anchorEvery = 3, atOf = (i: number) => T0 + i * 1000) {
  const dir = tempDir('alpr-audit-');
  const config = path.join(dir, 'alpr.yaml');
  writeFileSync(config, 'node:\n  id: edge-t1\nstore:\n  path: ./alpr.db\n');
  const loaded = loadConfig(config);
  const store = openStore(loaded.config.store.path, { retentionDays: 30 });
  const anchorer = createAnchorer({
    audit: loaded.config.audit,
    nodeId: 'edge-t1',
    storeFile: store.file,
    db: store.db,
    auditLog: store.audit,
    clock: () => T0 + 1_000_000,
    logger: quiet,
  });
  for (let i = 1; i <= events; i++) {
    store.audit.append({ kind: 'test.event', actor: 'tester', payload: { i } }, atOf(i));
    if (i % anchorEvery === 0) expect(anchorer.anchor('test').kind).toBe('anchored');
  }
  store.close();
  return { dir, config, db: loaded.config.store.path, anchors: path.join(dir, 'audit-anchors.jsonl') };
}

const verify = (node: { config: string }, ...args: string[]) =>
  runCli(['audit', 'verify', '-c', node.config, ...args]);

function rawDb(file: string) {
  return new Database(file);
}

describe('alpr audit verify', () => {
  it('passes an untouched, anchored store and says what the anchors cover', async () => {
    const node = anchoredNode(7, 3);
    const run = await verify(node);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('audit chain intact: 7 row(s)');
    expect(run.stdout).toMatch(
      /anchors: 2 signed head\(s\) verified with key [0-9a-f]{16}; latest row 6 .*1 row\(s\) after it/,
    );
  });

  it('fails a chain rewritten and re-hashed with its meta head, naming the anchors check', async () => {
    const node = anchoredNode();
    const db = rawDb(node.db);
    dropTriggersOn(db, 'audit_events');
    db.prepare(`UPDATE audit_events SET payload = '{"i":99}' WHERE seq = 2`).run();
    recomputeChain(db);
    db.close();
    // The chain alone now checks out: only the signed anchors can tell.
    const store = openStore(node.db, { retentionDays: 30 });
    expect(store.audit.verify()).toMatchObject({ ok: true, rows: 6 });
    store.close();
    // The real binary, as a cron job would run it.
    const run = spawnCli(['audit', 'verify', '-c', node.config, '--json']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('alpr: audit verify FAILED (anchors)');
    expect(run.stderr).toMatch(/anchors: anchored head 1 says row 3 has hash .* the chain was rewritten/);
    expect(run.json()).toMatchObject({ ok: false, chainOk: true, failed: ['anchors'] });
  });

  it('fails a payload rewritten with a duplicate key (the forged value is what SQLite shows)', async () => {
    const node = anchoredNode();
    const db = rawDb(node.db);
    dropTriggersOn(db, 'audit_events');
    db.prepare(`UPDATE audit_events SET payload = '{"i":99,"i":4}' WHERE seq = 4`).run();
    expect(
      db.prepare("SELECT json_extract(payload, '$.i') AS i FROM audit_events WHERE seq = 4").get(),
    ).toEqual({ i: 99 });
    db.close();
    const run = await verify(node);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('audit chain BROKEN at row 4: payload is not canonical JSON');
    const listed = await runCli(['audit', 'list', '-c', node.config]);
    expect(listed.stdout).toContain('{"i":99,"i":4}  [NOT CANONICAL JSON');
    const json = await runCli(['audit', 'list', '-c', node.config, '--json']);
    const row4 = json.stdout
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((r) => r.seq === 4);
    expect(row4).toMatchObject({ payloadText: '{"i":99,"i":4}', canonical: false, payload: null });
  });

  it('fails a chain cut below the last anchored head, even with a consistent meta head', async () => {
    const node = anchoredNode(6, 3);
    const db = rawDb(node.db);
    dropTriggersOn(db, 'audit_events');
    db.prepare('DELETE FROM audit_events WHERE seq > 4').run();
    recomputeChain(db);
    db.close();
    const run = await verify(node);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/anchored head 2 is row 6 but the chain ends at row 4: rows were cut/);
  });

  it('checks heads given with --expect-head, and refuses a malformed one with exit 2', async () => {
    const node = anchoredNode();
    const store = openStore(node.db, { retentionDays: 30 });
    const hash5 = store.audit.hashAt(5)!;
    store.close();
    expect((await verify(node, '--expect-head', `5:${hash5}`)).code).toBe(0);
    const wrong = await verify(node, '--expect-head', `5:${'ab'.repeat(32)}`);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('audit verify FAILED (expected-head)');
    const beyond = await verify(node, '--expect-head', `9:${hash5}`);
    expect(beyond.stderr).toMatch(/expected head is row 9 but the chain ends at row 6/);
    const bad = await verify(node, '--expect-head', 'five:xyz');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not SEQ:HASH');
  });

  it('verifies with a public key given on the command line, and fails with another key', async () => {
    const node = anchoredNode();
    const key = await runCli(['audit', 'key', '-c', node.config, '--json']);
    expect(key.code).toBe(0);
    const { publicKey, pem } = key.json<{ publicKey: string; pem: string }>();
    expect((await verify(node, '--public-key', publicKey)).code).toBe(0);
    const pemFile = path.join(node.dir, 'audit.pub');
    writeFileSync(pemFile, pem);
    expect((await verify(node, '--public-key', pemFile)).code).toBe(0);
    const other = rawPublicKey(generateKeyPairSync('ed25519').publicKey).toString('base64');
    const run = await verify(node, '--public-key', other);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/anchors: anchor 1: signed by key [0-9a-f]+, not by/);
    const garbage = await verify(node, '--public-key', 'not-a-key');
    expect(garbage.code).toBe(2);
    expect(garbage.stderr.split('\n')).toHaveLength(1);
  });

  it('fails (exit 1, one line) when the head record in meta is garbage', async () => {
    const node = anchoredNode();
    for (const value of ['garbage', '{"seq":"x"}']) {
      const db = rawDb(node.db);
      db.prepare("UPDATE meta SET value = ? WHERE key = 'audit.head'").run(value);
      db.close();
      const run = await verify(node);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /^alpr: audit chain BROKEN at row 6: the chain head record \(meta audit.head\) is not/,
      );
      expect(run.stderr).not.toContain('    at ');
    }
  });

  it('warns when audit times go backwards, and fails with --strict', async () => {
    // Row 2 is written a minute before row 1: the writer's clock stepped back.
    const node = anchoredNode(2, 2, (i) => (i === 1 ? T0 + 60_000 : T0));
    const run = await verify(node);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      'warning: audit time goes backwards at 1 row(s) (a clock stepped back, or rows edited): ' +
        'row 2 at 2026-03-01T12:00:00.000Z is 60 s before row 1 (2026-03-01T12:01:00.000Z)',
    );
    const strict = await verify(node, '--strict', '--json');
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('audit verify FAILED (strict)');
    expect(strict.json()).toMatchObject({
      timeRegressions: { count: 1, first: [{ seq: 2, previousSeq: 1 }] },
    });
  });

  it('reports damaged anchor-file lines as warnings and refuses a missing --anchors file', async () => {
    const node = anchoredNode();
    appendFileSync(node.anchors, 'not json\n{"torn":');
    const run = await verify(node);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('line 3: not valid JSON (ignored)');
    expect(run.stderr).toContain('ends in a torn line');
    const missing = await verify(node, '--anchors', path.join(node.dir, 'nope.jsonl'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
  });

  it('opens the store read-only: a version 1 file is verified, not migrated or changed', async () => {
    const dir = tempDir('alpr-v1-');
    const file = path.join(dir, 'v1.db');
    const db = new Database(file);
    db.exec(MIGRATIONS[0]!.sql);
    db.pragma('user_version = 1');
    db.close();
    const before = createHash('sha256').update(readFileSync(file)).digest('hex');
    const run = await runCli(['audit', 'verify', '--db', file]);
    expect(run.code).toBe(0);
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(before);
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(1);
    raw.close();
  });
});
