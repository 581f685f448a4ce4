// The auditor's report sign-off page (CMP-02): the quarterly reports with their period, result and
// hashes, the sign-offs recorded so far, and a sign-off form per report (accepted or rejected, with a
// note). It runs the oversight API's own handlers (hub/oversight/oversight.routes.ts), so the check, the
// one-sign-off-per-auditor rule and the audit entry are the API's, not a copy.
import { can } from '../../shared/access/roles.js';
import { HttpError } from '../http/http-errors.js';
import { html, type SafeHtml } from './html.js';
import { message, problemsAlert } from './layout.js';
import { csrfField, type PageRequest, type PageSpec } from './page-route.js';
import { callRoute, type RouteTable } from './route-call.js';
import { problemList } from './search.page.js';

/** The same auth the oversight API declares (callRoute refuses a mismatch). */
const AUDITOR = { kind: 'user', permission: 'reports.read', acknowledged: true } as const;
/** recording a sign-off is the auditor's own act (the API route's permission) */
const AUDITOR_RECORD = { kind: 'user', permission: 'oversight.record', acknowledged: true } as const;

interface SignOff {
  auditor: string;
  decision: string;
  note: string;
  signedAt: string;
}
interface ReportRow {
  id: number;
  periodFrom: unknown;
  periodTo: unknown;
  generatedAt: unknown;
  result: string;
  jsonSha256: string;
  pdfSha256: string;
  signoffs: SignOff[] | string;
}

/** A date as the page shows it; the engines hand back Date objects or ISO text. */
const day = (v: unknown) => {
  const t = v instanceof Date ? v.getTime() : Date.parse(String(v));
  return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 10) : '—';
};
const signoffsOf = (r: ReportRow): SignOff[] =>
  typeof r.signoffs === 'string' ? (JSON.parse(r.signoffs) as SignOff[]) : (r.signoffs ?? []);

export function reportPages(api: RouteTable): PageSpec[] {
  async function list(page: PageRequest, error?: HttpError, status?: number) {
    const { reports } = (
      await callRoute<{ reports: ReportRow[] }>(
        api.get('GET', '/api/v1/oversight/reports'),
        AUDITOR,
        page.request,
        page.reply,
      )
    ).body;
    const me = page.user!.username;
    const done = page.query.done === 'signed' ? message('notice', 'Your sign-off was recorded.') : '';
    const body = html`${done}${error ? problemsAlert(error.message, problemList(error)) : ''}
<div class="table-wrap"><table><caption>Quarterly compliance reports (newest first)</caption>
<thead><tr><th scope="col">#</th><th scope="col">Period</th><th scope="col">Generated</th><th scope="col">Result</th><th scope="col">Hashes (SHA-256)</th><th scope="col">Sign-offs</th><th scope="col">Your sign-off</th></tr></thead>
<tbody>${reports.map((r) => {
      const signoffs = signoffsOf(r);
      const mine = signoffs.some((s) => s.auditor === me);
      return html`<tr><td>${r.id}</td><td>${day(r.periodFrom)} to ${day(r.periodTo)}</td><td>${day(r.generatedAt)}</td>
<td><strong>${r.result}</strong></td><td class="hash">JSON ${r.jsonSha256.slice(0, 16)}…<br>PDF ${r.pdfSha256.slice(0, 16)}…</td>
<td>${signoffs.length === 0 ? 'none yet' : html`<ul>${signoffs.map((s) => html`<li>${s.auditor}: ${s.decision} (${day(s.signedAt)}) — ${s.note}</li>`)}</ul>`}</td>
<td>${mine ? 'signed' : can(page.user!.role, 'oversight.record') ? signForm(r, page.csrf) : 'recorded by auditors'}</td></tr>`;
    })}</tbody></table></div>${reports.length === 0 ? html`<p>No quarterly report has been written yet.</p>` : ''}`;
    return { title: 'Quarterly reports', body, status: status ?? error?.status ?? 200 };
  }

  return [
    {
      method: 'GET',
      url: '/reports',
      auth: AUDITOR,
      summary: 'Quarterly reports and their sign-offs',
      handle: (p) => list(p),
    },
    {
      method: 'POST',
      url: '/reports/:id/signoff',
      auth: AUDITOR_RECORD,
      summary: 'Record your sign-off of a quarterly report (CMP-02)',
      async handle(page) {
        const id = (page.request.params as { id: string }).id;
        const decision = page.form.decision;
        const note = (page.form.note ?? '').trim();
        try {
          if (!/^[1-9][0-9]{0,15}$/.test(id)) throw new HttpError(404, 'not_found', `no report ${id}`);
          if (decision !== 'accepted' && decision !== 'rejected')
            throw new HttpError(400, 'bad_request', 'choose accepted or rejected');
          if (note.length < 3 || note.length > 2000)
            throw new HttpError(400, 'bad_request', 'a note of 3 to 2000 characters is required');
          await callRoute(
            api.get('POST', '/api/v1/oversight/reports/:id/signoff'),
            AUDITOR_RECORD,
            page.request,
            page.reply,
            { params: { id }, body: { decision, note } },
          );
        } catch (error) {
          if (error instanceof HttpError && error.status < 500) return list(page, error);
          throw error;
        }
        return { redirect: '/reports?done=signed' };
      },
    },
  ];
}

function signForm(r: ReportRow, csrf: string): SafeHtml {
  return html`<form method="post" action="/reports/${r.id}/signoff">${csrfField(csrf)}
<fieldset><legend>Sign off report ${r.id}</legend>
<label><input type="radio" name="decision" value="accepted" required> Accepted</label>
<label><input type="radio" name="decision" value="rejected"> Rejected</label>
<label for="note-${r.id}">Note</label><textarea id="note-${r.id}" name="note" required minlength="3" maxlength="2000"></textarea>
<button type="submit">Sign off report ${r.id}</button></fieldset></form>`;
}
