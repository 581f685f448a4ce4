// The registry's change history and proposals: planners (registry.propose) submit a new registry file
// with a reason; admins (registry.approve) approve one that someone else proposed, which imports it as
// the new signed version every edge fetches, or reject it. Both see the imported versions. Changes post
// with CSRF tokens and redirect (PRG); a refused proposal is shown again with its problems.
import { can } from '../../shared/access/roles.js';
import { HttpError } from '../http/http-errors.js';
import type { HubContext } from '../hub-context.js';
import type { RegistryProposal, RegistryProposalsService } from '../registry/registry-proposals.service.js';
import type { SiteRegistryService } from '../registry/site-registry.service.js';
import { html, type SafeHtml } from './html.js';
import { message, problemsAlert } from './layout.js';
import { csrfField, type PageRequest, type PageSpec } from './page-route.js';

const when = (ms: number | null) =>
  ms === null ? '—' : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const short = (v: string | null) => (v ? `${v.slice(0, 12)}…` : '—');
const DONE: Record<string, string> = {
  proposed: 'Your proposal was recorded. An admin other than you approves or rejects it.',
  approved:
    'The proposal was approved: it is now the city registry, and every edge fetches it on its next check.',
  rejected: 'The proposal was rejected.',
};

export function registryPages(
  ctx: HubContext,
  registry: SiteRegistryService,
  proposals: RegistryProposalsService,
): PageSpec[] {
  async function render(
    page: PageRequest,
    extra: { problems?: string[]; source?: string; reason?: string; error?: string },
    status = 200,
  ) {
    const role = page.user!.role;
    const [versions, list] = await Promise.all([registry.history(50), proposals.list(100)]);
    const parts: SafeHtml[] = [];
    const done = DONE[page.query.done ?? ''];
    if (done) parts.push(message('notice', done));
    if (extra.error) parts.push(message('error', extra.error));
    if (extra.problems) parts.push(problemsAlert('The proposal was not recorded:', extra.problems));
    if (can(role, 'registry.propose'))
      parts.push(proposeForm(page.csrf, extra.source ?? '', extra.reason ?? ''));
    parts.push(proposalTable(list, page, can(role, 'registry.approve')));
    parts.push(html`<div class="table-wrap"><table><caption>Registry versions (change history, newest first)</caption>
<thead><tr><th scope="col">#</th><th scope="col">Version</th><th scope="col">Sites</th><th scope="col">Entrances</th><th scope="col">Names stored</th><th scope="col">Imported by</th><th scope="col">Imported</th></tr></thead>
<tbody>${versions.map((v) => html`<tr><td>${v.seq}</td><td class="mono">${short(v.version)}</td><td>${v.sites}</td><td>${v.entrances}</td><td>${v.namesStored ? 'yes' : 'no'}</td><td>${v.importedBy}</td><td>${when(v.importedAt)}</td></tr>`)}</tbody></table></div>`);
    return { title: 'Registry changes', body: html`${parts}`, status, scripts: ['csv-file.js'] };
  }

  return [
    {
      method: 'GET',
      url: '/sites/proposals',
      auth: { kind: 'user', permission: 'sites.check', acknowledged: true },
      summary: 'The registry change history and proposals',
      handle: (page) => render(page, {}),
    },
    {
      method: 'POST',
      url: '/sites/proposals',
      auth: { kind: 'user', permission: 'registry.propose', acknowledged: true },
      summary: 'Planner: propose a new sensitive-site registry',
      async handle(page) {
        const source = page.form.source ?? '';
        const reason = page.form.reason ?? '';
        const result = await proposals.propose({
          source,
          reason,
          by: page.user!.username,
          now: ctx.clock(),
        });
        if (!result.ok) return render(page, { problems: result.problems, source, reason }, 400);
        return { redirect: '/sites/proposals?done=proposed' };
      },
    },
    {
      method: 'POST',
      url: '/sites/proposals/:id/decision',
      auth: { kind: 'user', permission: 'registry.approve', acknowledged: true },
      summary: 'Admin: approve or reject a registry proposal',
      async handle(page) {
        const id = Number((page.request.params as { id: string }).id);
        const approve = page.form.decision === 'approve';
        if (!Number.isSafeInteger(id) || (!approve && page.form.decision !== 'reject'))
          return render(page, { error: 'Choose approve or reject for an existing proposal.' }, 400);
        try {
          await proposals.decide({
            id,
            approve,
            by: page.user!.username,
            note: page.form.note ?? '',
            now: ctx.clock(),
          });
        } catch (error) {
          if (error instanceof HttpError && error.status < 500)
            return render(page, { error: error.message }, error.status);
          throw error;
        }
        return { redirect: `/sites/proposals?done=${approve ? 'approved' : 'rejected'}` };
      },
    },
  ];
}

function proposeForm(csrf: string, source: string, reason: string): SafeHtml {
  return html`<form method="post" action="/sites/proposals" class="card" aria-labelledby="propose-h">
<h2 id="propose-h">Propose a registry change</h2>
${csrfField(csrf)}
<p>Submit the whole new registry (GeoJSON FeatureCollection of sites and entrances, as <span class="mono">alpr hub sites import</span> takes). It is validated now and becomes the city registry only when an admin approves it.</p>
<label for="source-file">Registry file</label>
<input type="file" id="source-file" accept=".json,.geojson,application/geo+json,application/json" data-fills="source">
<label for="source">Or paste the GeoJSON</label>
<textarea id="source" name="source" required>${source}</textarea>
<label for="reason">Reason<span class="hint">what changes and why (at least 10 characters)</span></label>
<input type="text" id="reason" name="reason" value="${reason}" required minlength="10" maxlength="2000">
<button type="submit">Propose</button>
</form>`;
}

function proposalTable(list: readonly RegistryProposal[], page: PageRequest, approver: boolean): SafeHtml {
  const me = page.user!.username;
  return html`<div class="table-wrap"><table><caption>Proposals (newest first)</caption>
<thead><tr><th scope="col">#</th><th scope="col">Proposed by</th><th scope="col">When</th><th scope="col">Reason</th><th scope="col">Version</th><th scope="col">Sites</th><th scope="col">Status</th>${approver ? html`<th scope="col">Decision</th>` : ''}</tr></thead>
<tbody>${list.map(
    (
      p,
    ) => html`<tr><td>${p.id}</td><td>${p.proposedBy}</td><td>${when(p.proposedAt)}</td><td>${p.reason}</td><td class="mono">${short(p.version)}</td><td>${p.sites}</td>
<td>${p.status}${p.decidedBy ? ` by ${p.decidedBy} ${when(p.decidedAt)}` : ''}${p.registrySeq !== null ? ` (registry #${p.registrySeq})` : ''}</td>
${approver ? html`<td>${p.status === 'pending' && p.proposedBy.toLowerCase() !== me.toLowerCase() ? decisionForm(p.id, page.csrf) : p.status === 'pending' ? 'your own proposal: another admin decides' : '—'}</td>` : ''}</tr>`,
  )}</tbody></table></div>`;
}

function decisionForm(id: number, csrf: string): SafeHtml {
  return html`<form method="post" action="/sites/proposals/${id}/decision">
${csrfField(csrf)}
<label for="note-${id}">Note</label><input type="text" id="note-${id}" name="note" maxlength="2000">
<button type="submit" name="decision" value="approve">Approve #${id}</button>
<button type="submit" name="decision" value="reject" class="danger">Reject #${id}</button>
</form>`;
}
