import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAnchors } from '../../../shared/audit/anchor-check.js';
import { readAnchors, readLastAnchor, signedHeadsAfter } from '../../../shared/audit/anchor-file.js';
import { AuditAnchorer, createAnchorer } from '../../../shared/audit/anchorer.js';
import type { SignedHead } from '../../../shared/audit/signed-head.js';
import { loadSigningKey, SigningKeyError } from '../../../shared/audit/signing-key.js';
import { createLogger } from '../../../shared/logging/logger.js';
import { manualClock } from '../../../shared/runtime/clock.js';
import { openStore, type Store } from '../../../shared/store/store.js';
import { T0 } from '../../support/factories.js';
import { dropTriggersOn, recomputeChain } from '../../support/tamper.js';
import { tempDir } from '../../support/temp-dir.js';

const logger = createLogger({ level: 'silent' });

function setup() {
  const dir = tempDir('alpr-anchorer-');
  const store = openStore(path.join(dir, 'alpr.db'), { retentionDays: 30 });
  const clock = manualClock(T0);
  const forwarded: SignedHead[] = [];
  const anchorer = createAnchorer({
    audit: { anchorEveryS: 300 },
    nodeId: 'edge-a',
    storeFile: store.file,
    db: store.db,
    auditLog: store.audit,
    clock,
    logger,
    onAnchored: (head) => forwarded.push(head),
  });
  const file = path.join(dir, 'audit-anchors.jsonl');
  const append = (n = 1) => {
    for (let i = 0; i < n; i++) store.audit.append({ kind: 'k', actor: 'a', payload: { i } }, clock());
  };
  return { dir, store, clock, anchorer, file, append, forwarded };
}

const view = (store: Store, chain = 'edge-a') => ({
  chain,
  lastSeq: store.audit.head()?.seq ?? 0,
  hashAt: (seq: number) => store.audit.hashAt(seq),
});

describe('AuditAnchorer', () => {
  it('anchors only when the head moved, and never an empty chain', () => {
    const { store, anchorer, file, append, clock } = setup();
    expect(anchorer.anchor('t')).toEqual({ kind: 'empty' });
    append(3);
    expect(anchorer.anchor('t')).toMatchObject({ kind: 'anchored', head: { chain: 'edge-a', seq: 3 } });
    clock.advance(60_000);
    expect(anchorer.anchor('t').kind).toBe('unchanged');
    append();
    expect(anchorer.anchor('t')).toMatchObject({ kind: 'anchored', head: { seq: 4, at: T0 + 60_000 } });
    expect(readAnchors(file).anchors.map((a) => a.seq)).toEqual([3, 4]);
    expect(anchorer.status()).toMatchObject({
      anchored: 2,
      failures: 0,
      lastError: null,
      lastAnchor: { seq: 4 },
    });
    store.close();
  });

  it('hands every anchored head to the forwarding seam, and lists heads after a cursor', () => {
    const { store, anchorer, file, append, forwarded } = setup();
    append();
    anchorer.anchor('t');
    append();
    anchorer.anchor('t');
    expect(forwarded.map((h) => h.seq)).toEqual([1, 2]);
    expect(signedHeadsAfter(file, 'edge-a', 1).map((h) => h.seq)).toEqual([2]);
    expect(signedHeadsAfter(file, 'other', 0)).toEqual([]);
    store.close();
  });

  it('refuses to sign a chain rewritten below its last anchor, or cut below it, and says so', () => {
    const { store, anchorer, append } = setup();
    append(4);
    anchorer.anchor('t');
    dropTriggersOn(store.db, 'audit_events');
    store.db.prepare(`UPDATE audit_events SET payload = '{"i":9}' WHERE seq = 2`).run();
    recomputeChain(store.db);
    append();
    expect(anchorer.anchor('t')).toEqual({
      kind: 'refused',
      reason: 'row 4 no longer has the hash anchored for it: the chain was rewritten',
    });
    store.db.prepare('DELETE FROM audit_events WHERE seq > 2').run();
    expect(anchorer.anchor('t')).toMatchObject({
      kind: 'refused',
      reason: expect.stringMatching(/rows were cut/),
    });
    expect(anchorer.status()).toMatchObject({
      failures: 2,
      lastError: expect.stringMatching(/rows were cut/),
    });
    store.close();
  });

  it('signs the last anchor time, not an earlier one, when the clock went back', () => {
    const { store, anchorer, append, clock, file } = setup();
    append();
    anchorer.anchor('t');
    clock.set(T0 - 3_600_000);
    append();
    expect(anchorer.anchor('t')).toMatchObject({ kind: 'anchored', head: { seq: 2, at: T0 } });
    const key = loadSigningKey(path.join(path.dirname(file), 'keys', 'audit-head.key'));
    expect(checkAnchors(view(store), readAnchors(file).anchors, key.publicKey)).toMatchObject({
      ok: true,
      checked: 2,
    });
    store.close();
  });

  it('keeps anchors in order when two processes of one store (edge and worker) anchor in turn', () => {
    const a = setup();
    const other = openStore(a.store.file, { retentionDays: 30 });
    const key = loadSigningKey(path.join(a.dir, 'keys', 'audit-head.key'));
    const b = new AuditAnchorer({
      db: other.db,
      audit: other.audit,
      key,
      file: a.file,
      chain: 'edge-a',
      clock: a.clock,
      logger,
    });
    for (let i = 0; i < 6; i++) {
      a.append();
      a.clock.advance(1000);
      expect((i % 2 ? a.anchorer : b).anchor('t').kind).toBe('anchored');
    }
    const { anchors } = readAnchors(a.file);
    expect(anchors.map((x) => x.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(checkAnchors(view(a.store), anchors, key.publicKey)).toMatchObject({ ok: true, checked: 6 });
    other.close();
    a.store.close();
  });

  it('starts a new line after a torn write, and finds the last anchor from the file tail', () => {
    const { store, anchorer, append, file } = setup();
    append();
    anchorer.anchor('t');
    writeFileSync(file, `${readFileSync(file, 'utf8')}{"chain":"edge-a","se`);
    expect(readAnchors(file).tornTail).toBe(true);
    append();
    expect(anchorer.anchor('t').kind).toBe('anchored');
    const { anchors, problems, tornTail } = readAnchors(file);
    expect(anchors.map((x) => x.seq)).toEqual([1, 2]); // the new head was not glued to the fragment
    expect(problems).toEqual([{ line: 2, message: 'not valid JSON' }]);
    expect(tornTail).toBe(false);
    store.close();
  });

  it('refuses a key file that others can read: the edge and the worker do not start', () => {
    const { dir, store } = setup();
    chmodSync(path.join(dir, 'keys', 'audit-head.key'), 0o644);
    expect(() =>
      createAnchorer({
        audit: { anchorEveryS: 300 },
        nodeId: 'edge-a',
        storeFile: store.file,
        db: store.db,
        auditLog: store.audit,
        clock: () => T0,
        logger,
      }),
    ).toThrow(SigningKeyError);
    store.close();
  });
});

describe('readLastAnchor', () => {
  it('reads only the tail of a long file, falling back to the whole file for a chain not in the tail', () => {
    const { store, anchorer, append, file } = setup();
    append();
    anchorer.anchor('t');
    const filler = `${JSON.stringify({ chain: 'other', seq: 1, hash: 'a'.repeat(64), at: 0, keyId: 'x', signature: 'y' })}\n`;
    writeFileSync(file, readFileSync(file, 'utf8') + filler.repeat(2000)); // ~300 KB after our anchor
    expect(readLastAnchor(file, 'edge-a')).toMatchObject({ chain: 'edge-a', seq: 1 });
    expect(readLastAnchor(file, 'other')).toMatchObject({ chain: 'other' });
    expect(readLastAnchor(path.join(path.dirname(file), 'none.jsonl'), 'edge-a')).toBeUndefined();
    store.close();
  });
});
