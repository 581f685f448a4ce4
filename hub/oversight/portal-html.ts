// The transparency portal as server-rendered HTML: plain semantic markup (landmarks, headings, tables
// with captions and header cells), one stylesheet from /transparency/style.css and no script at all, so
// the page works with a strict Content-Security-Policy, on a phone, and in a screen reader. Every value
// is escaped; figures come pre-validated from the portal model ("unavailable", never NaN).
import { type PortalModel, showFigure } from '../../shared/oversight/portal.js';
import type { PolicySection } from '../../shared/oversight/usage-policy.js';

/** The portal's Content-Security-Policy: nothing but our own stylesheet; no script, frame or form. */
export const PORTAL_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const esc = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

function page(title: string, main: string, updatedAt: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="stylesheet" href="/transparency/style.css">
<link rel="icon" href="/transparency/icon.svg" type="image/svg+xml">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><p class="org">City of San José · Police Department</p><h1>${esc(title)}</h1>
<nav aria-label="Portal"><ul><li><a href="/transparency">Figures</a></li><li><a href="/transparency/policy">Usage and privacy policy</a></li><li><a href="/transparency.json">Data (JSON)</a></li></ul></nav></header>
<main id="main">
${main}
</main>
<footer><p>Last updated <time datetime="${esc(updatedAt)}">${esc(updatedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}</time>. Every figure is computed from the live system when this page is requested.</p></footer>
</body>
</html>
`;
}

const figureRow = (label: string, value: number | null) =>
  `<tr><th scope="row">${esc(label)}</th><td class="${value === null ? 'unavailable' : 'num'}">${esc(showFigure(value))}</td></tr>`;

/** GET /transparency */
export function portalHtml(m: PortalModel): string {
  const audit = m.lastAudit
    ? `<p>The last quarterly compliance audit was written on <strong>${esc(m.lastAudit.date)}</strong>; result: <strong class="result-${esc(m.lastAudit.result.toLowerCase())}">${esc(m.lastAudit.result)}</strong>.</p>`
    : '<p>No quarterly compliance audit has been written yet.</p>';
  const heads = m.auditHeads.length
    ? `<table><caption>Latest signed audit-log heads</caption><thead><tr><th scope="col">Log</th><th scope="col">Entry</th><th scope="col">Hash (SHA-256)</th><th scope="col">Signed</th></tr></thead><tbody>${m.auditHeads
        .map(
          (h) =>
            `<tr><td>${esc(h.chain)}</td><td class="num">${h.seq}</td><td class="hash">${esc(h.hash)}</td><td>${esc(h.signedAt.slice(0, 16).replace('T', ' '))}</td></tr>`,
        )
        .join(
          '',
        )}</tbody></table><p class="note">Signed with Ed25519 keys kept outside the database; key ids: ${esc([...new Set(m.auditHeads.map((h) => h.keyId))].join(', '))}.</p>`
    : '<p>No audit-log head has been signed yet.</p>';
  const main = `
<section aria-labelledby="s-statement"><h2 id="s-statement">Sharing</h2>
<blockquote class="statement"><p>${esc(m.sharingStatement)}</p></blockquote></section>

<section aria-labelledby="s-figures"><h2 id="s-figures">At a glance</h2>
<table><caption>Live figures</caption><tbody>
${figureRow('Retention (days a read is kept without an evidentiary hold)', m.retentionDays)}
${figureRow('Active cameras', m.cameras.active)}
${figureRow('Cameras with a current compliant placement verdict', m.cameras.compliant)}
${figureRow('Reads stored now', m.readsStored)}
</tbody></table></section>

<section aria-labelledby="s-30"><h2 id="s-30">The last 30 days</h2>
<table><caption>Use in the last 30 days</caption><tbody>
${figureRow('Vehicles detected (reads captured)', m.last30Days.vehiclesDetected)}
${figureRow('Hotlist hits', m.last30Days.hotlistHits)}
${figureRow('Hotlist hits confirmed by an officer', m.last30Days.hotlistHitsConfirmed)}
${figureRow('Hotlist hits not yet verified', m.last30Days.hotlistHitsUnverified)}
${figureRow('Searches by the department (internal)', m.last30Days.searchesInternal)}
${figureRow('Searches by other California agencies (external)', m.last30Days.searchesExternal)}
</tbody></table>
<table><caption>Requests blocked as a prohibited purpose, by category (last 30 days)</caption><thead><tr><th scope="col">Category</th><th scope="col">Blocked</th></tr></thead><tbody>
${m.blockedByCategory.map((b) => figureRow(b.label, b.count)).join('\n')}
</tbody></table></section>

<section aria-labelledby="s-sites"><h2 id="s-sites">Sensitive sites</h2>
<p>${esc(m.sensitiveSiteRule.text)}</p>
<table><caption>Sensitive-site rule</caption><tbody>${figureRow('Reads refused for want of a compliant camera verdict (last 30 days)', m.sensitiveSiteRule.readsRefused)}</tbody></table></section>

<section aria-labelledby="s-agencies"><h2 id="s-agencies">California agencies with access</h2>
<p class="note">${esc(m.agencies.basis)}</p>
<ul class="agencies">${m.agencies.list.map((a) => `<li>${esc(a.name)}${a.home ? ' (owner of the cameras)' : ''} <span class="type">${a.type === 'state_le' ? 'state law enforcement' : 'local law enforcement'}</span></li>`).join('')}</ul></section>

<section aria-labelledby="s-hotlists"><h2 id="s-hotlists">Hotlist sources</h2>
<p class="note">${esc(m.hotlistSources.basis)}</p>
<ul>${m.hotlistSources.list.map((s) => `<li>${esc(s.replaceAll('_', ' '))}</li>`).join('')}</ul></section>

<section aria-labelledby="s-prohibited"><h2 id="s-prohibited">Prohibited uses</h2>
<ul>${m.prohibitedUses.map((u) => `<li>${esc(u)}</li>`).join('')}</ul></section>

<section aria-labelledby="s-audit"><h2 id="s-audit">Audits</h2>
${audit}
${heads}</section>`;
  return page(m.title, main, m.updatedAt);
}

/** GET /transparency/policy */
export function policyHtml(sections: readonly PolicySection[], updatedAt: string): string {
  const main = `<p>This is the ALPR usage and privacy policy required by California Civil Code section 1798.90.51. Its retention period is the value the system's purge uses.</p>
${sections
  .map(
    (s) =>
      `<section aria-labelledby="p-${s.id}"><h2 id="p-${s.id}">${esc(s.id)}. ${esc(s.heading)}</h2>${s.paragraphs.map((p) => `<p>${esc(p)}</p>`).join('')}</section>`,
  )
  .join('\n')}`;
  return page('ALPR usage and privacy policy', main, updatedAt);
}

export const PORTAL_CSS = `
:root { --ink: #1b1b1b; --muted: #4a4a4a; --accent: #0b4f8a; --bg: #fff; --rule: #d0d7de; }
* { box-sizing: border-box; }
body { margin: 0; font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: var(--bg); }
header, main, footer { max-width: 60rem; margin: 0 auto; padding: 0 1rem; }
header { border-bottom: 3px solid var(--accent); padding-top: 1rem; }
.org { margin: 0; color: var(--muted); font-size: .9rem; }
h1 { margin: .2rem 0 .5rem; font-size: 1.6rem; }
h2 { margin-top: 2rem; font-size: 1.25rem; border-bottom: 1px solid var(--rule); padding-bottom: .2rem; }
nav ul { list-style: none; padding: 0; margin: .5rem 0 1rem; display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; }
a { color: var(--accent); }
a:focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 1; }
table { border-collapse: collapse; width: 100%; margin: .75rem 0; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border-bottom: 1px solid var(--rule); padding: .45rem .5rem; text-align: left; vertical-align: top; }
th[scope="row"] { font-weight: normal; }
td.num { text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; }
td.unavailable { text-align: right; font-style: italic; color: #8a1c1c; }
td.hash { font-family: "DejaVu Sans Mono", monospace; font-size: .8rem; word-break: break-all; }
.statement { margin: 1rem 0; padding: 1rem; border-left: 5px solid var(--accent); background: #eef4fa; font-size: 1.05rem; }
.statement p { margin: 0; }
.note { color: var(--muted); font-size: .9rem; }
.type { color: var(--muted); font-size: .85rem; }
.result-passed { color: #1e5e20; }
.result-failed { color: #8a1c1c; }
footer { margin-top: 2rem; padding-bottom: 2rem; color: var(--muted); font-size: .9rem; border-top: 1px solid var(--rule); }
@media (max-width: 40rem) { h1 { font-size: 1.3rem; } th, td { padding: .4rem .25rem; } td.hash { font-size: .7rem; } }
`;

/** The portal's icon (a plain shield), so browsers do not ask for a /favicon.ico that is not there. */
export const PORTAL_ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path d="M16 2 4 6v9c0 7 5 12 12 15 7-3 12-8 12-15V6z" fill="#0b4f8a"/></svg>';
