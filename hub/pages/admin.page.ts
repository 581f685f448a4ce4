// Admin pages that need no other feature: the edges of the admin's own agency with their forwarding
// status (last seen, cursors, backlog, refused reads; disable one), and the agency records (add a
// California law-enforcement agency: shared/access/agencies.ts and the database refuse anything else,
// SH-01). Changes post with CSRF tokens and redirect (PRG).
import { AgencyError, addAgency, listAgencies } from '../agencies/agencies.service.js';
import { disableEnrolledEdge, EnrolmentError } from '../edges/edge-enrolment.service.js';
import { listEdgeStatus } from '../edges/edges.repository.js';
import type { HubContext } from '../hub-context.js';
import { html, type SafeHtml } from './html.js';
import { message, problemsAlert } from './layout.js';
import { csrfField, type PageRequest, type PageSpec } from './page-route.js';

export const when = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? '—' : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

function ago(ms: number | null, now: number): string {
  if (ms === null) return 'never';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  return s < 120
    ? `${s} s ago`
    : s < 7200
      ? `${Math.round(s / 60)} min ago`
      : `${Math.round(s / 3600)} h ago`;
}

const EDGES = { kind: 'user', permission: 'edges.manage', acknowledged: true } as const;
const AGENCIES = { kind: 'user', permission: 'agencies.manage', acknowledged: true } as const;

async function agencyOri(ctx: HubContext, agencyId: number): Promise<string | undefined> {
  const rows = await ctx.db.query<{ ori: string }>('SELECT ori FROM agencies WHERE id = $1', [agencyId]);
  return rows[0]?.ori;
}

export function adminPages(ctx: HubContext): PageSpec[] {
  async function edgesPage(page: PageRequest, error?: string, status = 200) {
    const ori = await agencyOri(ctx, page.user!.agencyId);
    // Object-level scope (AC-02): an admin sees the edges of their own agency only.
    const rows = (await listEdgeStatus(ctx.db)).filter((e) => e.agencyOri === ori);
    const now = ctx.clock();
    const done = page.query.done === 'disabled' ? message('notice', 'The edge was disabled.') : '';
    const body = html`${done}${error ? message('error', error) : ''}
<p>Edges are enrolled with <span class="mono">alpr hub edges add</span> (the secret is written to a file, never shown here).</p>
<div class="table-wrap"><table><caption>Edges of ${ori ?? 'your agency'} and their forwarding status</caption>
<thead><tr><th scope="col">Edge</th><th scope="col">State</th><th scope="col">Last seen</th><th scope="col">Read cursor</th><th scope="col">Reads accepted / duplicate / refused</th><th scope="col">Backlog</th><th scope="col">Oldest unforwarded</th><th scope="col">Audit head</th><th scope="col">Action</th></tr></thead>
<tbody>${rows.map(
      (e) => html`<tr><td>${e.id}${e.label ? html`<br>${e.label}` : ''}</td>
<td>${e.disabledAt ? `disabled ${when(e.disabledAt)}` : e.lastSeenAt === null ? 'enrolled, never seen' : 'forwarding'}</td>
<td>${ago(e.lastSeenAt, now)}${e.lastRequest ? html`<br><span class="hint">${e.lastRequest}</span>` : ''}</td>
<td>${e.readCursor}</td><td>${e.readsAccepted} / ${e.readsDuplicate} / ${e.readsRefused}</td>
<td>${e.backlogReads ?? 'not reported'}</td><td>${when(e.oldestUnforwardedAt)}</td><td>${e.headSeq}${e.headKeyId ? html`<br><span class="mono">${e.headKeyId}</span>` : ''}</td>
<td>${e.disabledAt ? '—' : disableForm(e.id, page.csrf)}</td></tr>`,
    )}</tbody></table></div>${rows.length === 0 ? html`<p>No edges are enrolled for this agency.</p>` : ''}`;
    return { title: 'Edges', body, status };
  }

  async function agenciesPage(
    page: PageRequest,
    extra: { problems?: string[]; form?: Record<string, string> } = {},
    status = 200,
  ) {
    const list = await listAgencies(ctx.db);
    const f = extra.form ?? {};
    const body = html`${page.query.done === 'added' ? message('notice', 'The agency was added.') : ''}
${extra.problems ? problemsAlert('The agency was not added:', extra.problems) : ''}
<div class="table-wrap"><table><caption>Agencies (California law enforcement only)</caption>
<thead><tr><th scope="col">ORI</th><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Home</th><th scope="col">Added</th></tr></thead>
<tbody>${list.map((a) => html`<tr><td class="mono">${a.ori}</td><td>${a.name}</td><td>${a.type}</td><td>${a.isHome ? 'yes' : ''}</td><td>${when(a.createdAt)}</td></tr>`)}</tbody></table></div>
<form method="post" action="/admin/agencies" class="card" aria-labelledby="add-agency-h">
<h2 id="add-agency-h">Add an agency</h2>
${csrfField(page.csrf)}
<p>Only California local or state law-enforcement agencies can exist here: no federal, out-of-state or private entity (the database refuses them too).</p>
<div class="fields">
<div><label for="ori">ORI<span class="hint">CA followed by 7 characters</span></label><input type="text" id="ori" name="ori" value="${f.ori ?? ''}" required></div>
<div><label for="name">Name</label><input type="text" id="name" name="name" value="${f.name ?? ''}" required></div>
<div><label for="type">Type</label><select id="type" name="type">
<option value="local_le"${f.type === 'state_le' ? '' : html` selected`}>Local law enforcement</option>
<option value="state_le"${f.type === 'state_le' ? html` selected` : ''}>State law enforcement</option></select></div>
</div>
<button type="submit">Add agency</button>
</form>`;
    return { title: 'Agencies', body, status };
  }

  return [
    {
      method: 'GET',
      url: '/admin/edges',
      auth: EDGES,
      summary: 'Admin: edges and their forwarding status',
      handle: (p) => edgesPage(p),
    },
    {
      method: 'POST',
      url: '/admin/edges/:id/disable',
      auth: EDGES,
      summary: 'Admin: disable an edge of the own agency',
      async handle(page) {
        const id = (page.request.params as { id: string }).id;
        const ori = await agencyOri(ctx, page.user!.agencyId);
        const edge = (await listEdgeStatus(ctx.db, id))[0];
        if (!edge || edge.agencyOri !== ori) return edgesPage(page, `No edge ${id} in your agency.`, 404);
        try {
          await disableEnrolledEdge(
            ctx,
            id,
            page.user!.username,
            page.form.reason?.trim() || 'disabled from the edges page',
          );
        } catch (error) {
          if (error instanceof EnrolmentError) return edgesPage(page, error.message, 409);
          throw error;
        }
        return { redirect: '/admin/edges?done=disabled' };
      },
    },
    {
      method: 'GET',
      url: '/admin/agencies',
      auth: AGENCIES,
      summary: 'Admin: agency records',
      handle: (p) => agenciesPage(p),
    },
    {
      method: 'POST',
      url: '/admin/agencies',
      auth: AGENCIES,
      summary: 'Admin: add a California law-enforcement agency',
      async handle(page) {
        const form = { ori: page.form.ori ?? '', name: page.form.name ?? '', type: page.form.type ?? '' };
        try {
          await addAgency(ctx, form, page.user!.username);
        } catch (error) {
          if (error instanceof AgencyError) {
            const problems = error.problems.length > 0 ? error.problems : [error.message];
            return agenciesPage(page, { problems, form }, 400);
          }
          throw error;
        }
        return { redirect: '/admin/agencies?done=added' };
      },
    },
  ];
}

function disableForm(id: string, csrf: string): SafeHtml {
  return html`<form method="post" action="/admin/edges/${id}/disable">${csrfField(csrf)}
<label for="reason-${id}">Reason</label><input type="text" id="reason-${id}" name="reason" maxlength="300">
<button type="submit" class="danger">Disable ${id}</button></form>`;
}
