import { describe, expect, it } from 'vitest';
import { type AuditRow, computeRowHash, GENESIS_HASH, verifyChain } from '../../shared/audit/chain.js';
import { makeAuditRow } from '../support/factories.js';

function buildChain(n: number): AuditRow[] {
  const rows: AuditRow[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const row = makeAuditRow({ seq, at: 1000 + seq, payload: JSON.stringify({ n: seq }), prevHash });
    row.hash = computeRowHash(prevHash, row);
    rows.push(row);
    prevHash = row.hash;
  }
  return rows;
}
const headOf = (rows: AuditRow[]) => ({ seq: rows.at(-1)!.seq, hash: rows.at(-1)!.hash });

describe('verifyChain', () => {
  it('accepts an intact chain and an empty one', () => {
    const rows = buildChain(5);
    expect(verifyChain(rows, headOf(rows))).toEqual({ ok: true, rows: 5, head: headOf(rows) });
    expect(verifyChain([], undefined)).toEqual({ ok: true, rows: 0, head: undefined });
  });

  it('names a modified row', () => {
    const rows = buildChain(5);
    rows[2] = { ...rows[2]!, payload: '{"n":999}' };
    expect(verifyChain(rows, headOf(rows))).toMatchObject({ ok: false, badSeq: 3, rows: 2 });
  });

  it('names the row after a deleted one', () => {
    const rows = buildChain(5);
    rows.splice(1, 1);
    expect(verifyChain(rows, headOf(rows))).toMatchObject({ ok: false, badSeq: 3 });
  });

  it('detects a row inserted with a forged seq', () => {
    const rows = buildChain(4);
    const forged = makeAuditRow({ seq: 3, payload: '{"forged":true}', prevHash: rows[1]!.hash });
    forged.hash = computeRowHash(forged.prevHash, forged);
    // Renumber the rest as an attacker would; their prev_hash no longer matches.
    const tampered = [rows[0]!, rows[1]!, forged, { ...rows[2]!, seq: 4 }, { ...rows[3]!, seq: 5 }];
    expect(verifyChain(tampered, headOf(tampered))).toMatchObject({ ok: false, badSeq: 4 });
  });

  it('detects two rows swapped', () => {
    const rows = buildChain(4);
    const swapped = [rows[0]!, { ...rows[2]!, seq: 2 }, { ...rows[1]!, seq: 3 }, rows[3]!];
    expect(verifyChain(swapped, headOf(rows))).toMatchObject({ ok: false, badSeq: 2 });
  });

  it('detects rows cut from the end by the recorded head', () => {
    const rows = buildChain(5);
    const result = verifyChain(rows.slice(0, 3), headOf(rows));
    expect(result).toMatchObject({ ok: false, badSeq: 4 });
    expect(!result.ok && result.reason).toMatch(/deleted from the end/);
  });
});

describe('computeRowHash over the stored bytes', () => {
  it('refuses to hash a payload that is not canonical JSON (a duplicate key reads two ways)', () => {
    const row = makeAuditRow({ seq: 1, payload: '{"approvedBy":"sgt.b","approvedBy":"det.a"}' });
    expect(() => computeRowHash(GENESIS_HASH, row)).toThrow(/not canonical JSON/);
  });

  it('fails verification of a row whose payload was rewritten with a duplicate key', () => {
    const rows = buildChain(3);
    // The forged payload parses to the same value as {"n":2} for a parser keeping the last key,
    // and to the forged one for a parser keeping the first: it must not verify as the original.
    const forged = { ...rows[1]!, payload: '{"n":99,"n":2}' };
    const tampered = [rows[0]!, forged, rows[2]!];
    expect(verifyChain(tampered, headOf(rows))).toMatchObject({
      ok: false,
      badSeq: 2,
      reason: expect.stringMatching(/not canonical/),
    });
  });

  it('hashes an honest row exactly as the canonical JSON of the whole row (older chains still verify)', async () => {
    const { canonicalJson, sha256Hex } = await import('../../shared/canonical-json.js');
    const row = makeAuditRow({ seq: 7, at: 123, kind: 'k', actor: 'a', payload: '{"a":[1,2],"b":"x"}' });
    const expected = sha256Hex(
      `${GENESIS_HASH}\n${canonicalJson({ seq: 7, at: 123, kind: 'k', actor: 'a', payload: { b: 'x', a: [1, 2] } })}`,
    );
    expect(computeRowHash(GENESIS_HASH, row)).toBe(expected);
  });
});
