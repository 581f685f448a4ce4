// The hotlist file reader (line numbers through quoted newlines, header names, field counts) and the
// match key (MIN-02): 64 hex HMAC-SHA-256 of the folded plate, keyed (not the plain hash), different under
// another hub's key; the sealed plate opens only for its own entry.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseHotlistCsv } from '../../../hub/hotlists/hotlist-csv.js';
import { hotlistKey } from '../../../hub/hotlists/hotlist-key.js';

describe('parseHotlistCsv', () => {
  it('reads rows with their line numbers, quotes, CRLF and any column order', () => {
    const text =
      '\uFEFFCase Number,plate,reason,expiry\r\n26-000001,7ABC123,"stolen, with ""keys""",2026-03-20T00:00:00Z\r\n\r\n' +
      '26-000002,8DEF456,"line one\nline two",\n26-000003,9GHI789,wanted,\n';
    const parsed = parseHotlistCsv(text);
    expect(parsed).toEqual({
      ok: true,
      rows: [
        {
          line: 2,
          plate: '7ABC123',
          reason: 'stolen, with "keys"',
          caseNumber: '26-000001',
          source: '',
          expiry: '2026-03-20T00:00:00Z',
        },
        {
          line: 4,
          plate: '8DEF456',
          reason: 'line one\nline two',
          caseNumber: '26-000002',
          source: '',
          expiry: '',
        },
        { line: 6, plate: '9GHI789', reason: 'wanted', caseNumber: '26-000003', source: '', expiry: '' },
      ],
    });
  });

  it('names the line of a broken file', () => {
    expect(parseHotlistCsv('')).toMatchObject({ ok: false, line: 1 });
    expect(parseHotlistCsv('plate,reason\n7ABC123,x\n')).toMatchObject({
      ok: false,
      line: 1,
      message: expect.stringMatching(/caseNumber/),
    });
    expect(parseHotlistCsv('plate,reason,case_number\n7ABC123,x,26-000001\n8DEF456,y\n')).toMatchObject({
      ok: false,
      line: 3,
    });
    expect(parseHotlistCsv('plate,reason,case_number\n7ABC123,"open,26-000001\n')).toMatchObject({
      ok: false,
      line: 2,
      message: expect.stringMatching(/not closed/),
    });
  });
});

describe('hotlistKey (MIN-02)', () => {
  const keys = { secretsKey: randomBytes(32) };
  const key = hotlistKey(keys);

  it('is a keyed 256-bit HMAC of the folded plate, never the plain hash', () => {
    const m = key.match('7ABO123');
    expect(m).toMatch(/^[0-9a-f]{64}$/);
    expect(key.match('7AB0123')).toBe(m); // O and 0 fold together
    expect(key.match('7ab-o123')).toBe(m); // normalised first
    expect(m).not.toBe(createHash('sha256').update('7AB0123').digest('hex'));
    expect(m).not.toBe(createHash('sha256').update('7ABO123').digest('hex'));
    expect(hotlistKey({ secretsKey: randomBytes(32) }).match('7ABO123')).not.toBe(m);
    expect(key.match('7ABC124')).not.toBe(m);
  });

  it('seals the display plate for one entry only', () => {
    const sealed = key.seal('7ABO123', '1:agency_case:abc');
    expect(sealed).not.toContain('7ABO123');
    expect(key.open(sealed, '1:agency_case:abc')).toBe('7ABO123');
    expect(() => key.open(sealed, '2:agency_case:abc')).toThrow();
  });
});
