// The pages' three small guards: the template escapes every interpolated value (no raw user data in
// markup), CSRF tokens are bound to one session and cannot be made without the hub's key, and a CSV
// field can neither break its row nor run as a spreadsheet formula.
import { describe, expect, it } from 'vitest';
import { csvField } from '../../hub/pages/audit.page.js';
import { CsrfTokens } from '../../hub/pages/csrf.js';
import { escapeHtml, html, trustedMarkup } from '../../hub/pages/html.js';
import { localPath } from '../../hub/pages/page-route.js';

describe('html template', () => {
  it('escapes every interpolation, arrays included, and passes only SafeHtml through', () => {
    const evil = `<img src=x onerror="alert('x')">`;
    const out = html`<p title="${evil}">${evil}${[evil, html`<b>${evil}</b>`]}${null}${false}</p>`.value;
    expect(out).not.toContain('<img');
    expect(out).toBe(
      `<p title="${escapeHtml(evil)}">${escapeHtml(evil)}${escapeHtml(evil)}<b>${escapeHtml(evil)}</b></p>`,
    );
    expect(html`${trustedMarkup('<svg></svg>', 'test')}`.value).toBe('<svg></svg>');
  });
});

describe('CSRF tokens', () => {
  it('bind to one session, verify in constant time, and differ by key', () => {
    const a = new CsrfTokens(Buffer.alloc(32, 1));
    const b = new CsrfTokens(Buffer.alloc(32, 2));
    const token = a.tokenFor('session', 'sess-1');
    expect(a.verify('session', 'sess-1', token)).toBe(true);
    expect(a.verify('session', 'sess-2', token)).toBe(false);
    expect(a.verify('pre', 'sess-1', token)).toBe(false);
    expect(b.verify('session', 'sess-1', token)).toBe(false);
    expect(a.verify('session', 'sess-1', undefined)).toBe(false);
    expect(a.verify('session', '', a.tokenFor('session', ''))).toBe(false);
  });
});

describe('redirect targets and CSV fields', () => {
  it('keeps redirects on this site', () => {
    expect(localPath('/search/3')).toBe('/search/3');
    for (const bad of [
      '//evil.example/x',
      'https://evil.example',
      '/\\evil',
      'javascript:alert(1)',
      undefined,
    ])
      expect(localPath(bad)).toBe('/');
  });
  it('quotes separators and defuses formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-1+2')).toBe("'-1+2");
    expect(csvField('plain')).toBe('plain');
  });
});
