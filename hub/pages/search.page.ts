// The investigator's pages: the search form (plate, time range, crime type, case number, justification),
// its results (plate, time, camera label, confidence, crop reference, a to-scale map of the cameras that
// saw it, and a hold request), and the own search history. Submitting and viewing run the search
// feature's API handlers (route-call.ts), so screening, scope, retention and the audit entries are theirs:
// a blocked or refused search is shown as the API words it, in a role=alert, and is recorded there.
import { CRIME_TYPES } from '../../shared/access/crime-types.js';
import { HttpError } from '../http/http-errors.js';
import type { HubContext } from '../hub-context.js';
import { cameraMapSvg, type MapCamera } from './camera-map-svg.js';
import { html, type SafeHtml, trustedMarkup } from './html.js';
import { message, problemsAlert } from './layout.js';
import { csrfField, type PageRequest, type PageSpec } from './page-route.js';
import { callRoute, type RouteTable } from './route-call.js';

const SEARCH = { kind: 'user', permission: 'plates.search', acknowledged: true } as const;
const RESULTS = { kind: 'user', permission: 'results.view', acknowledged: true } as const;
const FIELDS = ['plate', 'from', 'to', 'crimeType', 'caseNumber', 'justification'] as const;

interface ResultRead {
  id: string;
  edgeId: string;
  readId: number;
  cameraId: string;
  capturedAt: string;
  plate: string;
  confidence: number;
}
interface SearchRecord {
  id: number;
  plate: string | null;
  plateMode: string | null;
  from: string | null;
  to: string | null;
  crimeType: string | null;
  caseNumber: string | null;
  justification: string | null;
  outcome: string;
  category: string | null;
  createdAt: string;
}

const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 16)}Z`;
const shortTime = (s: string | null) => (s ? `${s.slice(0, 16).replace('T', ' ')} UTC` : '—');

export function problemList(error: HttpError): string[] {
  const details = error.details as
    | { problems?: Array<string | { field?: string; message?: string }> }
    | undefined;
  return (details?.problems ?? []).map((p) =>
    typeof p === 'string' ? p : `${p.field ?? ''}: ${p.message ?? ''}`,
  );
}

function searchForm(ctx: HubContext, page: PageRequest, values: Record<string, string>): SafeHtml {
  const now = ctx.clock();
  const v = (k: string, d = '') => values[k] ?? d;
  return html`<form method="post" action="/search" class="card" aria-labelledby="search-h">
<h2 id="search-h">Search reads by plate</h2>
${csrfField(page.csrf)}
<p>Every field is required and recorded. Searches for immigration enforcement, for people at reproductive-health or religious sites, or for protected activity are blocked and reported.</p>
<div class="fields">
<div><label for="plate">Plate<span class="hint">exact, or partial with ? (one character) and * (any run)</span></label><input type="text" id="plate" name="plate" value="${v('plate')}" required autocomplete="off"></div>
<div><label for="from">From<span class="hint">UTC, e.g. ${iso(now - 86_400_000)}</span></label><input type="text" id="from" name="from" value="${v('from', iso(now - 86_400_000))}" required></div>
<div><label for="to">To<span class="hint">UTC</span></label><input type="text" id="to" name="to" value="${v('to', iso(now))}" required></div>
<div><label for="crimeType">Crime type</label><select id="crimeType" name="crimeType" required><option value="">Choose…</option>${CRIME_TYPES.map(
    (c) =>
      html`<option value="${c.code}"${v('crimeType') === c.code ? html` selected` : ''}>${c.label}</option>`,
  )}</select></div>
<div><label for="caseNumber">Case number<span class="hint">e.g. ${ctx.config.access.caseNumberExample}</span></label><input type="text" id="caseNumber" name="caseNumber" value="${v('caseNumber')}" required></div>
</div>
<label for="justification">Justification<span class="hint">what this search is for, specifically (at least ${ctx.config.access.justificationMinLength} characters)</span></label>
<textarea id="justification" name="justification" required>${v('justification')}</textarea>
<button type="submit">Search</button>
</form>`;
}

export function searchPages(ctx: HubContext, api: RouteTable): PageSpec[] {
  return [
    {
      method: 'GET',
      url: '/search',
      auth: SEARCH,
      summary: 'Search form',
      async handle(page) {
        return { title: 'Search', body: searchForm(ctx, page, page.query) };
      },
    },
    {
      method: 'POST',
      url: '/search',
      auth: SEARCH,
      summary: 'Submit a search; continues to its results',
      async handle(page) {
        const body: Record<string, string> = {};
        for (const f of FIELDS) body[f] = (page.form[f] ?? '').trim();
        try {
          const answer = await callRoute<{ id: number; outcome: string; message?: string }>(
            api.get('POST', '/api/v1/searches'),
            SEARCH,
            page.request,
            page.reply,
            { body },
          );
          if (answer.body.outcome === 'pending')
            return { redirect: `/search/history?done=pending&id=${answer.body.id}` };
          return { redirect: `/search/${answer.body.id}` };
        } catch (error) {
          if (!(error instanceof HttpError) || error.status >= 500) throw error;
          const problems = problemList(error);
          const alert =
            error.code === 'prohibited_purpose'
              ? message('error', html`<strong>Search blocked.</strong> ${error.message}`)
              : problemsAlert(error.message, problems);
          return {
            title: 'Search',
            body: html`${alert}${searchForm(ctx, page, body)}`,
            status: error.status,
          };
        }
      },
    },
    {
      method: 'GET',
      url: '/search/history',
      auth: SEARCH,
      summary: 'Your searches, newest first',
      async handle(page) {
        const { searches } = (
          await callRoute<{ searches: SearchRecord[] }>(
            api.get('GET', '/api/v1/searches'),
            SEARCH,
            page.request,
            page.reply,
          )
        ).body;
        const done =
          page.query.done === 'pending'
            ? message('notice', 'The search touches a sensitive site: it waits for a command approval.')
            : '';
        return {
          title: 'Search history',
          body: html`${done}<div class="table-wrap"><table><caption>Your searches (newest first)</caption>
<thead><tr><th scope="col">#</th><th scope="col">When</th><th scope="col">Plate</th><th scope="col">Time range</th><th scope="col">Crime type</th><th scope="col">Case</th><th scope="col">Justification</th><th scope="col">Outcome</th></tr></thead>
<tbody>${searches.map(
            (
              s,
            ) => html`<tr><td>${s.outcome === 'allowed' ? html`<a href="/search/${s.id}">${s.id}</a>` : s.id}</td><td>${shortTime(s.createdAt)}</td><td class="mono">${s.plate ?? '—'}${s.plateMode === 'partial' ? ' (partial)' : ''}</td>
<td>${shortTime(s.from)} – ${shortTime(s.to)}</td><td>${s.crimeType ?? '—'}</td><td>${s.caseNumber ?? '—'}</td><td>${s.justification ?? '—'}</td><td>${s.outcome}${s.category ? ` (${s.category})` : ''}</td></tr>`,
          )}</tbody></table></div>${searches.length === 0 ? html`<p>No searches yet.</p>` : ''}`,
        };
      },
    },
    {
      method: 'GET',
      url: '/search/:id',
      auth: RESULTS,
      summary: 'The results of one of your searches, with a map of the cameras',
      async handle(page) {
        const id = (page.request.params as { id: string }).id;
        if (!/^[1-9][0-9]{0,15}$/.test(id))
          return { title: 'Results', body: message('error', 'No such search.'), status: 404 };
        const { search, reads, truncated } = (
          await callRoute<{ search: SearchRecord; reads: ResultRead[]; truncated: boolean }>(
            api.get('GET', '/api/v1/searches/:id/results'),
            RESULTS,
            page.request,
            page.reply,
            { params: { id } },
          )
        ).body;
        return {
          title: `Results of search ${search.id}`,
          body: await resultsBody(ctx, page, search, reads, truncated),
        };
      },
    },
  ];
}

async function resultsBody(
  ctx: HubContext,
  page: PageRequest,
  search: SearchRecord,
  reads: ResultRead[],
  truncated: boolean,
): Promise<SafeHtml> {
  // Labels, aim and crop references of exactly the reads the audited view returned: nothing more is read.
  const keys = [...new Set(reads.map((r) => `${r.edgeId}/${r.cameraId}`))];
  const cams =
    keys.length === 0
      ? []
      : await ctx.db.query<{
          edge_id: string;
          camera_id: string;
          label: string | null;
          lng: number;
          lat: number;
          bearing_deg: number;
          fov_deg: number;
          range_m: number;
        }>(
          `SELECT edge_id, camera_id, label, lng, lat, bearing_deg, fov_deg, range_m FROM cameras
      WHERE (edge_id || '/' || camera_id) = ANY($1::text[]) ORDER BY edge_id, camera_id`,
          [keys],
        );
  const crops =
    reads.length === 0
      ? []
      : await ctx.db.query<{ edge_id: string; edge_read_id: number; crop_sha256: string | null }>(
          `SELECT edge_id, edge_read_id, crop_sha256 FROM reads WHERE (edge_id || '/' || edge_read_id) = ANY($1::text[])`,
          [reads.map((r) => r.id)],
        );
  const cropOf = new Map(crops.map((c) => [`${c.edge_id}/${c.edge_read_id}`, c.crop_sha256]));
  const index = new Map(cams.map((c, i) => [`${c.edge_id}/${c.camera_id}`, { ...c, index: i + 1 }]));
  const mapCams: MapCamera[] = [...index.values()].map((c) => ({
    index: c.index,
    lng: c.lng,
    lat: c.lat,
    bearingDeg: c.bearing_deg,
    fovDeg: c.fov_deg,
    rangeM: c.range_m,
  }));
  const svg = cameraMapSvg(
    mapCams,
    `Map of the ${mapCams.length} camera(s) that read ${search.plate ?? 'the plate'}`,
  );
  const readsBy = (key: string) => reads.filter((r) => `${r.edgeId}/${r.cameraId}` === key).length;
  return html`<p>Plate <span class="mono">${search.plate}</span>${search.plateMode === 'partial' ? ' (partial)' : ''}, ${shortTime(search.from)} – ${shortTime(search.to)}; ${search.crimeType}, case ${search.caseNumber}.</p>
${truncated ? message('notice', 'More reads match than are shown here; a larger result set needs an approved export.') : ''}
<div class="table-wrap"><table><caption>${reads.length} read(s), newest first</caption>
<thead><tr><th scope="col">Plate</th><th scope="col">Time</th><th scope="col">Camera</th><th scope="col">Confidence</th><th scope="col">Crop</th></tr></thead>
<tbody>${reads.map((r) => {
    const cam = index.get(`${r.edgeId}/${r.cameraId}`);
    const crop = cropOf.get(r.id);
    return html`<tr><td class="mono">${r.plate}</td><td>${shortTime(r.capturedAt)}</td><td>${cam ? `${cam.index}. ${cam.label ?? r.cameraId}` : r.cameraId} <span class="hint">${r.edgeId}/${r.cameraId}</span></td>
<td>${(r.confidence * 100).toFixed(1)} %</td><td>${crop ? html`kept on the edge <span class="mono">${crop.slice(0, 12)}…</span>` : 'none stored'}</td></tr>`;
  })}</tbody></table></div>
${
  svg
    ? html`<figure class="map"><figcaption>The cameras that read this plate (numbered as in the table), their capture sectors to scale, north up.</figcaption>${trustedMarkup(svg, 'cameraMapSvg draws numbers and escapes its one text')}
<ul>${[...index.values()].map((c) => html`<li>${c.index}. ${c.label ?? c.camera_id} (${c.edge_id}): ${readsBy(`${c.edge_id}/${c.camera_id}`)} read(s)</li>`)}</ul></figure>`
    : ''
}
${reads.length > 0 ? holdForm(page, search.id) : ''}
<p><a href="/search">New search</a> · <a href="/search/history">Search history</a></p>`;
}

function holdForm(page: PageRequest, searchId: number): SafeHtml {
  return html`<form method="post" action="/holds" class="card" aria-labelledby="hold-h">
<h2 id="hold-h">Request an evidentiary hold</h2>
${csrfField(page.csrf)}
<input type="hidden" name="searchId" value="${searchId}">
<p>Holds keep these reads past retention for this case. A supervisor other than you approves the request.</p>
<label for="hold-reason">Reason</label>
<input type="text" id="hold-reason" name="reason" required maxlength="2000">
<button type="submit">Request a hold on these reads</button>
</form>`;
}
