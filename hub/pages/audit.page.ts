// The auditor's access log: the agency's entries newest first, filtered by kind (exact, or a prefix such
// as "search."), user and time, and the same filtered list as CSV (the log itself, not the reads: the
// payload's fields, never a secret, since none is ever written to the chain). Runs GET /api/v1/audit's
// handler; the filter form is a GET (it changes nothing, and its URL is the CSV's too).
import { HttpError } from '../http/http-errors.js';
import { html, type SafeHtml } from './html.js';
import { message, problemsAlert } from './layout.js';
import type { PageRequest, PageResult, PageSpec } from './page-route.js';
import { callRoute, type RouteTable } from './route-call.js';
import { problemList } from './search.page.js';

const AUDIT = { kind: 'user', permission: 'audit.read', acknowledged: true } as const;
const FILTERS = {
  kind: /^[a-z][a-z_.]{0,63}$/,
  user: /^.{1,200}$/,
  from: /^.{1,64}$/,
  to: /^.{1,64}$/,
} as const;

interface Entry {
  seq: number;
  at: string;
  kind: string;
  actor: string;
  payload: Record<string, unknown>;
  hash: string;
}

const COLUMNS = [
  'seq',
  'at',
  'kind',
  'actor',
  'outcome',
  'category',
  'caseNumber',
  'crimeType',
  'purpose',
  'query',
  'agency',
  'origin',
  'detail',
] as const;

function cell(e: Entry, column: (typeof COLUMNS)[number]): string {
  if (column === 'seq' || column === 'at' || column === 'kind' || column === 'actor')
    return String(e[column]);
  const v = e.payload[column];
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** RFC 4180 field; a leading = + - @ is prefixed with ' so a spreadsheet never runs it as a formula. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function filtersOf(page: PageRequest): { query: Record<string, string>; problems: string[] } {
  const query: Record<string, string> = {};
  const problems: string[] = [];
  for (const [name, pattern] of Object.entries(FILTERS)) {
    const v = (page.query[name] ?? '').trim();
    if (v === '') continue;
    if (!pattern.test(v)) problems.push(`${name}: not a valid filter value`);
    else query[name] = v;
  }
  query.limit = '500';
  return { query, problems };
}

export function auditPages(api: RouteTable): PageSpec[] {
  async function entries(page: PageRequest, query: Record<string, string>): Promise<Entry[]> {
    return (
      await callRoute<{ entries: Entry[] }>(
        api.get('GET', '/api/v1/audit'),
        AUDIT,
        page.request,
        page.reply,
        { query },
      )
    ).body.entries;
  }
  return [
    {
      method: 'GET',
      url: '/audit',
      auth: AUDIT,
      summary: "Auditor: your agency's access log with filters",
      async handle(page): Promise<PageResult> {
        const { query, problems } = filtersOf(page);
        let list: Entry[] = [];
        let alert: SafeHtml | string =
          problems.length > 0 ? problemsAlert('Some filters were not used:', problems) : '';
        if (problems.length === 0) {
          try {
            list = await entries(page, query);
          } catch (error) {
            if (!(error instanceof HttpError) || error.status >= 500) throw error;
            alert = problemsAlert(error.message, problemList(error));
          }
        }
        const q = page.query;
        const csvQuery = new URLSearchParams(Object.entries(query).filter(([k]) => k !== 'limit')).toString();
        const body = html`${alert}
<form method="get" action="/audit" class="card" aria-labelledby="filter-h">
<h2 id="filter-h">Filter</h2>
<div class="fields">
<div><label for="kind">Kind<span class="hint">exact (search.blocked) or a prefix (search.)</span></label><input type="text" id="kind" name="kind" value="${q.kind ?? ''}"></div>
<div><label for="user">User</label><input type="text" id="user" name="user" value="${q.user ?? ''}"></div>
<div><label for="from">From<span class="hint">ISO 8601 with a zone</span></label><input type="text" id="from" name="from" value="${q.from ?? ''}"></div>
<div><label for="to">To</label><input type="text" id="to" name="to" value="${q.to ?? ''}"></div>
</div>
<button type="submit">Apply filters</button>
</form>
<p><a class="button secondary" href="/audit.csv${csvQuery ? `?${csvQuery}` : ''}" download>Download this log as CSV</a></p>
<div class="table-wrap"><table><caption>${list.length} entr${list.length === 1 ? 'y' : 'ies'}, newest first</caption>
<thead><tr><th scope="col">#</th><th scope="col">Time</th><th scope="col">Kind</th><th scope="col">User</th><th scope="col">Outcome</th><th scope="col">Case / crime type</th><th scope="col">Purpose</th><th scope="col">Query</th></tr></thead>
<tbody>${list.map(
          (
            e,
          ) => html`<tr><td>${e.seq}</td><td>${e.at.slice(0, 19).replace('T', ' ')}</td><td>${e.kind}</td><td>${e.actor}</td><td>${cell(e, 'outcome')}${cell(e, 'category') ? ` (${cell(e, 'category')})` : ''}</td>
<td>${cell(e, 'caseNumber')} ${cell(e, 'crimeType')}</td><td>${cell(e, 'purpose')}</td><td class="mono">${cell(e, 'query')}</td></tr>`,
        )}</tbody></table></div>${list.length === 0 && problems.length === 0 ? message('notice', 'No entries match.') : ''}`;
        return { title: 'Access log', body };
      },
    },
    {
      method: 'GET',
      url: '/audit.csv',
      auth: AUDIT,
      summary: 'Auditor: the filtered access log as CSV',
      async handle(page): Promise<PageResult> {
        const { query, problems } = filtersOf(page);
        if (problems.length > 0)
          return { title: 'Access log', body: problemsAlert('The CSV was not made:', problems), status: 400 };
        const list = await entries(page, { ...query, limit: '1000' });
        const lines = [
          COLUMNS.join(','),
          ...list.map((e) => COLUMNS.map((c) => csvField(cell(e, c))).join(',')),
        ];
        return {
          download: {
            filename: 'access-log.csv',
            contentType: 'text/csv; charset=utf-8',
            body: `${lines.join('\r\n')}\r\n`,
          },
        };
      },
    },
  ];
}
