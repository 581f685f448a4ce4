// Hold requests and approvals: an investigator asks for a hold on the reads of an own search (from the
// results page); a supervisor other than the requester approves it, which creates the hold. One page
// lists the agency's requests; approve buttons appear for people with hold.approve, and the API refuses a
// requester approving their own (it says so here, in a role=alert). Both run the holds API handlers.
import { can } from '../../shared/access/roles.js';
import { HttpError } from '../http/http-errors.js';
import { html, type SafeHtml } from './html.js';
import { message, problemsAlert } from './layout.js';
import { csrfField, type PageRequest, type PageSpec } from './page-route.js';
import { callRoute, type RouteTable } from './route-call.js';
import { problemList } from './search.page.js';

const REQUEST = { kind: 'user', permission: 'hold.request', acknowledged: true } as const;
const APPROVE = { kind: 'user', permission: 'hold.approve', acknowledged: true } as const;

interface HoldRecord {
  id: number;
  searchId: number;
  requestedBy?: string;
  caseNumber?: string;
  crimeType?: string;
  reason?: string;
  edgeId: string;
  readIds: number[];
  state: 'pending' | 'approved' | 'denied';
  decidedBy: string | null;
  decidedAt: string | null;
  holdId: number | null;
  releasedAt: string | null;
  createdAt: string;
}

const DONE: Record<string, string> = {
  requested: 'The hold was requested. A supervisor other than you approves it.',
  approved: 'The hold was approved: these reads are kept past retention until it is released.',
};
const t = (s: string | null | undefined) => (s ? `${s.slice(0, 16).replace('T', ' ')} UTC` : '—');

export function holdPages(api: RouteTable): PageSpec[] {
  async function list(page: PageRequest, error?: HttpError) {
    const { holds } = (
      await callRoute<{ holds: HoldRecord[] }>(
        api.get('GET', '/api/v1/holds'),
        REQUEST,
        page.request,
        page.reply,
      )
    ).body;
    const approver = can(page.user!.role, 'hold.approve');
    const done = DONE[page.query.done ?? ''];
    const body = html`${done ? message('notice', done) : ''}${error ? problemsAlert(error.message, problemList(error)) : ''}
<div class="table-wrap"><table><caption>Hold requests of your agency (newest first)</caption>
<thead><tr><th scope="col">#</th><th scope="col">Requested</th><th scope="col">By</th><th scope="col">Case</th><th scope="col">Reason</th><th scope="col">Reads</th><th scope="col">State</th>${approver ? html`<th scope="col">Decision</th>` : ''}</tr></thead>
<tbody>${holds.map(
      (
        h,
      ) => html`<tr><td>${h.id}</td><td>${t(h.createdAt)}</td><td>${h.requestedBy ?? '—'}</td><td>${h.caseNumber ?? '—'} ${h.crimeType ? html`<span class="hint">${h.crimeType}</span>` : ''}</td><td>${h.reason ?? ''}</td>
<td>${h.readIds.length} on ${h.edgeId} (search ${h.searchId})</td><td>${h.state}${h.decidedBy ? ` by ${h.decidedBy} ${t(h.decidedAt)}` : ''}${h.holdId !== null ? ` · hold #${h.holdId}` : ''}${h.releasedAt ? ` · released ${t(h.releasedAt)}` : ''}</td>
${approver ? html`<td>${h.state === 'pending' ? approveForm(h, page.csrf) : '—'}</td>` : ''}</tr>`,
    )}</tbody></table></div>${holds.length === 0 ? html`<p>No hold requests.</p>` : ''}`;
    return { title: 'Holds', body, status: error?.status ?? 200 };
  }

  return [
    {
      method: 'GET',
      url: '/holds',
      auth: REQUEST,
      summary: 'Hold requests and holds of your agency',
      handle: (p) => list(p),
    },
    {
      method: 'POST',
      url: '/holds',
      auth: REQUEST,
      summary: 'Request a hold on the reads of one of your searches',
      async handle(page) {
        const searchId = Number(page.form.searchId);
        if (!Number.isSafeInteger(searchId) || searchId < 1)
          return list(page, new HttpError(400, 'bad_request', 'choose one of your searches'));
        try {
          await callRoute(api.get('POST', '/api/v1/holds'), REQUEST, page.request, page.reply, {
            body: { searchId, reason: (page.form.reason ?? '').trim() },
          });
        } catch (error) {
          if (error instanceof HttpError && error.status < 500) return list(page, error);
          throw error;
        }
        return { redirect: '/holds?done=requested' };
      },
    },
    {
      method: 'POST',
      url: '/holds/:id/approve',
      auth: APPROVE,
      summary: "Approve another person's hold request",
      async handle(page) {
        const id = (page.request.params as { id: string }).id;
        try {
          if (!/^[1-9][0-9]{0,15}$/.test(id)) throw new HttpError(404, 'not_found', `no hold request ${id}`);
          await callRoute(api.get('POST', '/api/v1/holds/:id/approval'), APPROVE, page.request, page.reply, {
            params: { id },
          });
        } catch (error) {
          if (error instanceof HttpError && error.status < 500) {
            // The list needs hold.request, which every approver role also holds.
            return list(page, error);
          }
          throw error;
        }
        return { redirect: '/holds?done=approved' };
      },
    },
  ];
}

function approveForm(h: HoldRecord, csrf: string): SafeHtml {
  return html`<form method="post" action="/holds/${h.id}/approve">${csrfField(csrf)}<button type="submit">Approve hold request ${h.id}</button></form>`;
}
