// Inquiries from other California agencies: an investigator enters one for an agency without access
// (agency, requesting officer, and a complete search: plate, time, crime type, case number,
// justification, screened like a search, SH-04), and command staff of the data-owning agency approve or
// deny it in their queue (never their own, SH-03). Both run the sharing API's handlers; the approval
// creates the time-limited grant there, audited with the approver.
import { CRIME_TYPES } from '../../shared/access/crime-types.js';
import { listAgencies } from '../agencies/agencies.service.js';
import { HttpError } from '../http/http-errors.js';
import type { HubContext } from '../hub-context.js';
import { when } from './admin.page.js';
import { html, type SafeHtml } from './html.js';
import { message, problemsAlert } from './layout.js';
import { csrfField, type PageRequest, type PageSpec } from './page-route.js';
import { callRoute, type RouteTable } from './route-call.js';
import { problemList } from './search.page.js';

const SUBMIT = { kind: 'user', permission: 'inquiry.submit', acknowledged: true } as const;
const APPROVE = { kind: 'user', permission: 'inquiry.approve', acknowledged: true } as const;

interface Inquiry {
  id: number;
  requestingAgency: string;
  ownerAgency: string;
  submittedBy: string;
  officer: string;
  crimeType: string;
  caseNumber: string;
  justification: string;
  search: Record<string, unknown>;
  status: 'pending' | 'approved' | 'denied';
  grantId: number | null;
  createdAt: number;
  decidedAt: number | null;
}

const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 16)}Z`;

function table(list: readonly Inquiry[], caption: string, decide?: (i: Inquiry) => SafeHtml): SafeHtml {
  return html`<div class="table-wrap"><table><caption>${caption}</caption>
<thead><tr><th scope="col">#</th><th scope="col">Submitted</th><th scope="col">Agency asking</th><th scope="col">Officer</th><th scope="col">Entered by</th><th scope="col">Plate / time</th><th scope="col">Case / crime type</th><th scope="col">Justification</th><th scope="col">Status</th>${decide ? html`<th scope="col">Decision</th>` : ''}</tr></thead>
<tbody>${list.map(
    (
      i,
    ) => html`<tr><td>${i.id}</td><td>${when(i.createdAt)}</td><td class="mono">${i.requestingAgency}</td><td>${i.officer}</td><td>${i.submittedBy}</td>
<td class="mono">${String(i.search.plate ?? '')} <span class="hint">${String(i.search.from ?? '').slice(0, 16)} – ${String(i.search.to ?? '').slice(0, 16)}</span></td>
<td>${i.caseNumber} <span class="hint">${i.crimeType}</span></td><td>${i.justification}</td><td>${i.status}${i.decidedAt ? ` ${when(i.decidedAt)}` : ''}${i.grantId !== null ? ` · grant #${i.grantId}` : ''}</td>
${decide ? html`<td>${i.status === 'pending' ? decide(i) : '—'}</td>` : ''}</tr>`,
  )}</tbody></table></div>${list.length === 0 ? html`<p>None.</p>` : ''}`;
}

export function inquiryPages(ctx: HubContext, api: RouteTable): PageSpec[] {
  async function submitPage(
    page: PageRequest,
    extra: { error?: HttpError; form?: Record<string, string> } = {},
  ) {
    const f = extra.form ?? {};
    const now = ctx.clock();
    const agencies = (await listAgencies(ctx.db)).filter((a) => !a.isHome);
    const { inquiries } = (
      await callRoute<{ inquiries: Inquiry[] }>(
        api.get('GET', '/api/v1/inquiries'),
        SUBMIT,
        page.request,
        page.reply,
      )
    ).body;
    const v = (k: string, d = '') => f[k] ?? d;
    const body = html`${page.query.done === 'submitted' ? message('notice', 'The inquiry was submitted. A command officer of the agency that owns the data decides it.') : ''}
${extra.error ? (extra.error.code === 'prohibited_purpose' || extra.error.message.includes('blocked') ? message('error', extra.error.message) : problemsAlert(extra.error.message, problemList(extra.error))) : ''}
<form method="post" action="/inquiries/new" class="card" aria-labelledby="inq-h">
<h2 id="inq-h">Enter an inquiry from another California agency</h2>
${csrfField(page.csrf)}
<p>For a California law-enforcement agency without existing access. Every field is required; the search is screened like your own and runs only after command approval.</p>
<div class="fields">
<div><label for="agency">Agency asking</label><select id="agency" name="agency" required><option value="">Choose…</option>${agencies.map((a) => html`<option value="${a.ori}"${v('agency') === a.ori ? html` selected` : ''}>${a.name} (${a.ori})</option>`)}</select></div>
<div><label for="officer">Requesting officer<span class="hint">name and badge number</span></label><input type="text" id="officer" name="officer" value="${v('officer')}" required></div>
<div><label for="plate">Plate</label><input type="text" id="plate" name="plate" value="${v('plate')}" required></div>
<div><label for="from">From<span class="hint">UTC</span></label><input type="text" id="from" name="from" value="${v('from', iso(now - 86_400_000))}" required></div>
<div><label for="to">To<span class="hint">UTC</span></label><input type="text" id="to" name="to" value="${v('to', iso(now))}" required></div>
<div><label for="crimeType">Crime type</label><select id="crimeType" name="crimeType" required><option value="">Choose…</option>${CRIME_TYPES.map((c) => html`<option value="${c.code}"${v('crimeType') === c.code ? html` selected` : ''}>${c.label}</option>`)}</select></div>
<div><label for="caseNumber">Case number<span class="hint">e.g. ${ctx.config.access.caseNumberExample}</span></label><input type="text" id="caseNumber" name="caseNumber" value="${v('caseNumber')}" required></div>
</div>
<label for="justification">Justification</label><textarea id="justification" name="justification" required>${v('justification')}</textarea>
<button type="submit">Submit the inquiry</button>
</form>
${table(inquiries, 'Inquiries your agency is party to')}`;
    return { title: 'Inquiries', body, status: extra.error?.status ?? 200 };
  }

  async function queuePage(page: PageRequest, error?: HttpError) {
    const { inquiries } = (
      await callRoute<{ inquiries: Inquiry[] }>(
        api.get('GET', '/api/v1/inquiries/queue'),
        APPROVE,
        page.request,
        page.reply,
      )
    ).body;
    const done =
      page.query.done === 'approved'
        ? 'The inquiry was approved: a time-limited grant was created.'
        : page.query.done === 'denied'
          ? 'The inquiry was denied.'
          : '';
    const body = html`${done ? message('notice', done) : ''}${error ? message('error', error.message) : ''}
${table(inquiries, 'Inquiries waiting for a command decision', (i) => decisionForm(i, page.csrf))}`;
    return { title: 'Inquiry queue', body, status: error?.status ?? 200 };
  }

  return [
    {
      method: 'GET',
      url: '/inquiries/new',
      auth: SUBMIT,
      summary: 'Enter an inquiry from another agency',
      handle: (p) => submitPage(p),
    },
    {
      method: 'POST',
      url: '/inquiries/new',
      auth: SUBMIT,
      summary: 'Submit an inquiry (screened like a search; runs after command approval)',
      async handle(page) {
        const f = page.form;
        const form = Object.fromEntries(
          ['agency', 'officer', 'plate', 'from', 'to', 'crimeType', 'caseNumber', 'justification'].map(
            (k) => [k, (f[k] ?? '').trim()],
          ),
        );
        try {
          await callRoute(api.get('POST', '/api/v1/inquiries'), SUBMIT, page.request, page.reply, {
            body: {
              agency: form.agency,
              officer: form.officer,
              search: {
                plate: form.plate,
                from: form.from,
                to: form.to,
                crimeType: form.crimeType,
                caseNumber: form.caseNumber,
                justification: form.justification,
              },
            },
          });
        } catch (error) {
          if (error instanceof HttpError && error.status < 500) return submitPage(page, { error, form });
          throw error;
        }
        return { redirect: '/inquiries/new?done=submitted' };
      },
    },
    {
      method: 'GET',
      url: '/inquiries',
      auth: APPROVE,
      summary: 'Command: the inquiry approval queue',
      handle: (p) => queuePage(p),
    },
    {
      method: 'POST',
      url: '/inquiries/:id/decision',
      auth: APPROVE,
      summary: 'Command: approve or deny an inquiry',
      async handle(page) {
        const id = (page.request.params as { id: string }).id;
        const approve = page.form.decision === 'approve';
        if (!/^[1-9][0-9]{0,15}$/.test(id) || (!approve && page.form.decision !== 'deny'))
          return queuePage(
            page,
            new HttpError(400, 'bad_request', 'choose approve or deny for an inquiry in the queue'),
          );
        try {
          await callRoute(
            api.get('POST', `/api/v1/inquiries/:id/${approve ? 'approve' : 'deny'}`),
            APPROVE,
            page.request,
            page.reply,
            {
              params: { id },
              body: { reason: (page.form.reason ?? '').trim() },
            },
          );
        } catch (error) {
          if (error instanceof HttpError && error.status < 500) return queuePage(page, error);
          throw error;
        }
        return { redirect: `/inquiries?done=${approve ? 'approved' : 'denied'}` };
      },
    },
  ];
}

function decisionForm(i: Inquiry, csrf: string): SafeHtml {
  return html`<form method="post" action="/inquiries/${i.id}/decision">${csrfField(csrf)}
<label for="reason-${i.id}">Reason</label><input type="text" id="reason-${i.id}" name="reason" maxlength="2000" required>
<button type="submit" name="decision" value="approve">Approve inquiry ${i.id}</button>
<button type="submit" name="decision" value="deny" class="danger">Deny inquiry ${i.id}</button></form>`;
}
