// The worker process anchors the audit chain outside the database: at start, right after each purge
// receipt (not at the next timer tick), and at shutdown; the anchors verify with `alpr audit verify`.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAnchors } from '../../shared/audit/anchor-file.js';
import { AuditKind } from '../../shared/audit/audit-log.js';
import { verifySignedHead } from '../../shared/audit/signed-head.js';
import { loadSigningKey } from '../../shared/audit/signing-key.js';
import { parseConfig } from '../../shared/config/load-config.js';
import { startWorkerProcess } from '../../worker/worker-process.js';
import { runCli } from '../support/cli.js';
import { eventually } from '../support/eventually.js';
import { insertExpired, openSeededStore, quietLogger } from '../support/purge.js';
import { deletePrefix, uniquePrefix } from '../support/redis.js';
import { ALLOW_SKIP, portAnswers, REDIS_URL } from '../support/services.js';

const url = new URL(REDIS_URL);
const available = await portAnswers(url.hostname, Number(url.port || 6379));
if (!available && !ALLOW_SKIP) {
  throw new Error(`Redis is not answering at ${REDIS_URL} (set ALPR_TEST_ALLOW_SKIP=1 to skip)`);
}
const prefix = uniquePrefix('worker-anchor');
afterAll(async () => {
  if (available) await deletePrefix(REDIS_URL, prefix);
});

describe.skipIf(!available)('alpr worker: audit anchoring', () => {
  it('anchors the head right after the purge receipt and at shutdown, and verify checks those anchors', async () => {
    const { store, verdictId } = openSeededStore();
    insertExpired(store, verdictId, Date.now(), 3);
    store.audit.append({ kind: 'test.before-start', actor: 'test', payload: {} }, Date.now());
    const dir = path.dirname(store.file);
    store.close();
    const parsed = parseConfig(
      {
        node: { id: 'edge-anchor' },
        store: { path: 'alpr.db' },
        redis: { url: REDIS_URL },
        worker: { queuePrefix: prefix, httpPort: 0 },
      },
      dir,
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const { config } = parsed.value;
    const proc = await startWorkerProcess({ config, logger: quietLogger() });
    const anchorsFile = path.join(dir, 'audit-anchors.jsonl');
    try {
      // The start anchor pins what was there before the worker ran.
      expect(readAnchors(anchorsFile).anchors.map((a) => a.seq)).toEqual([1]);
      // The scheduler's first job runs at start; its receipt is anchored at once.
      await eventually(
        'proc.store.audit.list({ kind: AuditKind.purgeReceipt }).length > 0',
        () => proc.store.audit.list({ kind: AuditKind.purgeReceipt }).length > 0,
        { timeoutMs: 20_000 },
      );
      const receipt = proc.store.audit.list({ kind: AuditKind.purgeReceipt })[0]!;
      await eventually(
        'readAnchors(anchorsFile).anchors.some((a) => a.seq >= receipt.seq)',
        () => readAnchors(anchorsFile).anchors.some((a) => a.seq >= receipt.seq),
        { timeoutMs: 5_000 },
      );
      const health = (await (await fetch(`${proc.http!.url}/health`)).json()) as Record<string, unknown>;
      expect(health).toMatchObject({ audit: { lastError: null, lastAnchor: { seq: receipt.seq } } });
      const metrics = await (await fetch(`${proc.http!.url}/metrics`)).text();
      expect(metrics).toContain(`alpr_audit_anchored_seq ${receipt.seq}`);
      proc.store.audit.append({ kind: 'test.after', actor: 'test', payload: {} }, Date.now());
    } finally {
      await proc.shutdown.run('test');
    }
    const { anchors } = readAnchors(anchorsFile);
    const key = loadSigningKey(path.join(dir, 'keys', 'audit-head.key'));
    expect(anchors.every((a) => a.chain === 'edge-anchor' && verifySignedHead(a, key.publicKey).ok)).toBe(
      true,
    );
    // The shutdown anchor covers the last row (rowsAfterLatest 0).
    const verified = await runCli([
      'audit',
      'verify',
      '--db',
      path.join(dir, 'alpr.db'),
      '--chain',
      'edge-anchor',
      '--json',
    ]);
    expect(verified.code).toBe(0);
    expect(verified.json()).toMatchObject({
      ok: true,
      anchors: { checked: anchors.length, rowsAfterLatest: 0 },
    });
  });
});
