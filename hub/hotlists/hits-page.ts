// The hits page, server-rendered with a minimal template of its own (no page framework was on main when
// this was written): the agency's hit list, and one hit with the read beside the entry and the verification
// form. No inline script or style (CSP below); the form is sent as JSON by /hits/assets/hits.js, so the
// hub needs no form parser. Every label names its control; stale and overdue hits say so in words.
import { HIT_DISPOSITIONS, HIT_REJECTIONS } from '../../shared/access/hits.js';
import type { HitSummary } from './hits.service.js';

export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
  "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Escape text for HTML content and attribute values. */
export const esc = (v: unknown): string => String(v ?? '').replace(/[&<>"']/g, (c) => ESC[c]!);

const label = (s: string) => s.replace(/_/g, ' ');

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · alpr hub</title>
<link rel="stylesheet" href="/hits/assets/hits.css">
<script src="/hits/assets/hits.js" defer></script>
</head>
<body>
<header><p class="brand">alpr hub</p><nav aria-label="Main"><a href="/hits">Hits</a></nav></header>
<main>
${body}
</main>
</body>
</html>`;
}

function badges(h: Pick<HitSummary, 'stale' | 'overdue' | 'state'>): string {
  const out = [`<span class="state state-${esc(h.state)}">${esc(h.state)}</span>`];
  if (h.stale) out.push('<span class="badge stale">stale list (older than 24 h)</span>');
  if (h.overdue) out.push('<span class="badge overdue">waiting too long</span>');
  return out.join(' ');
}

/** GET /hits: the agency's hits. */
export function renderHitList(hits: readonly HitSummary[], overdue: number, hours: number): string {
  const rows = hits
    .map(
      (h) => `<tr>
<td><a href="/hits/${h.id}">Hit ${h.id}</a></td>
<td><time datetime="${esc(h.createdAt)}">${esc(h.createdAt.replace('T', ' ').slice(0, 19))} UTC</time></td>
<td>${esc(h.edgeId)} / ${esc(h.cameraId)}</td>
<td>${esc(label(h.source))}</td>
<td>${badges(h)}</td>
<td>${h.disposition ? esc(label(h.disposition)) : '—'}</td>
</tr>`,
    )
    .join('\n');
  return layout(
    'Hotlist hits',
    `<h1>Hotlist hits</h1>
<p class="rule">A hit is only a lead. Nothing may be done about it — no stop, no dispatch, no alert with the plate —
until a person has compared the read with the entry, checked the entry is still listed, and confirmed it.</p>
<p id="overdue-count" class="${overdue > 0 ? 'warn' : ''}">${overdue} hit(s) unverified for more than ${hours} h.</p>
${
  hits.length === 0
    ? '<p>No hits.</p>'
    : `<table>
<caption>Hits of your agency, newest first</caption>
<thead><tr><th scope="col">Hit</th><th scope="col">When</th><th scope="col">Edge / camera</th><th scope="col">List</th><th scope="col">State</th><th scope="col">Disposition</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`
}`,
  );
}

export interface HitDetail extends HitSummary {
  rejectionReason: string | null;
  note: string | null;
  read: { plate: string; rawText: string; confidence: number; crop: { sha256: string } | null } | null;
  entry: {
    plate: string;
    reason: string;
    caseNumber: string;
    source: string;
    expiresAt: string;
    active: boolean;
    listRefreshedAt: string;
  } | null;
}

const options = (values: readonly string[]) =>
  values.map((v) => `<option value="${esc(v)}">${esc(label(v))}</option>`).join('');

function form(h: HitDetail): string {
  return `<form id="verify" data-hit="${h.id}" novalidate>
<h2>Verify</h2>
<fieldset>
<legend>Checks (both are required to confirm)</legend>
<p><input type="checkbox" id="confirmed" name="confirmed"><label for="confirmed">The plate in the read (and crop) matches the entry: every character and the state</label></p>
<p><input type="checkbox" id="entryCurrent" name="entryCurrent"><label for="entryCurrent">I checked just now that the entry is still listed at its source</label></p>
<p><label for="checkedWith">System the entry was checked in</label><input id="checkedWith" name="checkedWith" maxlength="100" placeholder="e.g. CLETS SVS query"></p>
</fieldset>
<p><label for="disposition">Disposition (to confirm)</label><select id="disposition" name="disposition"><option value="">— choose —</option>${options(HIT_DISPOSITIONS)}</select></p>
<p><label for="rejectionReason">Reason (to reject)</label><select id="rejectionReason" name="rejectionReason"><option value="">— choose —</option>${options(HIT_REJECTIONS)}</select></p>
<p><label for="note">Note</label><textarea id="note" name="note" maxlength="1000" rows="3"></textarea></p>
<p><button type="submit" name="decision" value="confirm">Confirm hit</button> <button type="submit" name="decision" value="reject">Reject hit</button></p>
<p id="verify-result" role="status" aria-live="polite"></p>
</form>`;
}

/** GET /hits/{id}: the read beside the entry, and the form while the hit is unverified. */
export function renderHitDetail(h: HitDetail): string {
  const read = h.read
    ? `<dl><dt>Plate read</dt><dd class="plate" id="read-plate">${esc(h.read.plate)}</dd>
<dt>Raw text</dt><dd>${esc(h.read.rawText)}</dd><dt>Confidence</dt><dd>${esc(h.read.confidence.toFixed(2))}</dd>
<dt>Captured</dt><dd>${esc(h.capturedAt)}</dd><dt>Edge / camera</dt><dd>${esc(h.edgeId)} / ${esc(h.cameraId)}</dd>
<dt>Crop</dt><dd>${h.read.crop ? `stored on the edge (sha256 ${esc(h.read.crop.sha256.slice(0, 16))}…)` : 'not stored'}</dd></dl>`
    : '<p>The read is no longer held (past retention).</p>';
  const entry = h.entry
    ? `<dl><dt>Plate listed</dt><dd class="plate" id="entry-plate">${esc(h.entry.plate)}</dd>
<dt>Reason</dt><dd>${esc(h.entry.reason)}</dd><dt>Case number</dt><dd>${esc(h.entry.caseNumber)}</dd>
<dt>Source</dt><dd>${esc(label(h.entry.source))}</dd><dt>Entry expires</dt><dd>${esc(h.entry.expiresAt)}${h.entry.active ? '' : ' (no longer active)'}</dd>
<dt>List refreshed</dt><dd>${esc(h.entry.listRefreshedAt)}</dd></dl>`
    : '<p>The entry is gone.</p>';
  const decided =
    h.state === 'unverified'
      ? form(h)
      : `<p id="decision">${esc(h.state)} by ${esc(h.verifiedBy)} at ${esc(h.verifiedAt)}: ${esc(label(h.disposition ?? ''))}</p>`;
  return layout(
    `Hit ${h.id}`,
    `<h1>Hit ${h.id} ${badges(h)}</h1>
<p class="rule">Compare the read with the entry yourself. An unverified hit is not grounds for any action.</p>
<div class="compare">
<section aria-labelledby="read-h"><h2 id="read-h">The read</h2>${read}</section>
<section aria-labelledby="entry-h"><h2 id="entry-h">The hotlist entry</h2>${entry}</section>
</div>
${decided}`,
  );
}

export const HITS_CSS = `body{font-family:system-ui,sans-serif;margin:0;color:#111;background:#fff}
header{display:flex;gap:2rem;align-items:center;padding:.5rem 1rem;background:#1d3557;color:#fff}
header a{color:#fff}.brand{font-weight:700;margin:0}main{padding:1rem;max-width:70rem}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ccc;padding:.4rem;text-align:left}
caption{text-align:left;font-weight:600;padding:.4rem 0}.rule{background:#fff3cd;border:1px solid #c9a400;padding:.5rem}
.warn{color:#8a1c1c;font-weight:600}.badge,.state{display:inline-block;padding:0 .4rem;border:1px solid #555;border-radius:.2rem;font-size:.9em}
.stale,.overdue{background:#f8d7da;border-color:#8a1c1c;color:#5c1010}.state-confirmed{background:#d1e7dd}.state-rejected{background:#e2e3e5}
.compare{display:flex;gap:2rem;flex-wrap:wrap}.compare section{flex:1;min-width:18rem}.plate{font:700 1.6rem monospace;letter-spacing:.1em}
dt{font-weight:600}dd{margin:0 0 .4rem 0}label{display:block;font-weight:600}input[type=checkbox]+label{display:inline;font-weight:400;margin-left:.4rem}
fieldset{border:1px solid #999}button{font-size:1rem;padding:.3rem .8rem}`;

// Sends the verification form as JSON to the API and shows its answer; no data of its own.
export const HITS_JS = `document.addEventListener('DOMContentLoaded', function () {
  var form = document.getElementById('verify');
  if (!form) return;
  var out = document.getElementById('verify-result');
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var decision = ev.submitter ? ev.submitter.value : 'confirm';
    var body = {
      confirmed: decision === 'confirm' && form.elements.confirmed.checked,
      entryCurrent: form.elements.entryCurrent.checked,
      checkedWith: form.elements.checkedWith.value,
      note: form.elements.note.value
    };
    if (decision === 'confirm') body.disposition = form.elements.disposition.value;
    else body.rejectionReason = form.elements.rejectionReason.value;
    if (decision === 'confirm' && !form.elements.confirmed.checked) {
      out.textContent = 'Tick that the plate matches the entry before confirming.';
      return;
    }
    fetch('/api/v1/hits/' + form.dataset.hit + '/verification', {
      method: 'POST', headers: { 'content-type': 'application/json' }, credentials: 'same-origin',
      body: JSON.stringify(body)
    }).then(function (res) {
      return res.json().then(function (json) {
        if (res.ok) { out.textContent = 'Saved: ' + json.state + '.'; window.location.reload(); return; }
        var problems = (json.problems || []).map(function (p) { return p.field + ': ' + p.message; }).join('; ');
        out.textContent = 'Not saved: ' + json.message + (problems ? ' (' + problems + ')' : '');
      });
    }).catch(function () { out.textContent = 'Not saved: the hub did not answer.'; });
  });
});
`;
