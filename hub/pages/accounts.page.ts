// Account administration (users.manage): the accounts of the admin's own agency, creating one (which
// shows its TOTP enrolment QR code and first password exactly once), recording training and disabling.
// Each form runs the accounts feature's API handler (route-call.ts). The creation answer is rendered in
// the POST response itself and not redirected (the one PRG exception): a redirect would need the seed
// kept somewhere to show it again, and showing it once is the point.
import QRCode from 'qrcode';
import { ROLES } from '../../shared/access/roles.js';
import { HttpError } from '../http/http-errors.js';
import { html, type SafeHtml, trustedMarkup } from './html.js';
import { message, problemsAlert } from './layout.js';
import { csrfField, type PageRequest, type PageSpec } from './page-route.js';
import { callRoute, type RouteTable } from './route-call.js';

const MANAGE = { kind: 'user', permission: 'users.manage', acknowledged: true } as const;

interface PublicUser {
  id: number;
  username: string;
  role: string;
  agency: string;
  status: string;
  approval: { by: string; at: string | null } | null;
  trainingCompletedAt: string | null;
  lastActiveAt: string | null;
  lockedUntil: string | null;
}

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '—');
const DONE: Record<string, string> = {
  disabled: 'The account was disabled; its sessions ended.',
  training: 'The training date was recorded.',
};

function problemsOf(error: HttpError): string[] {
  const details = error.details as
    | { problems?: Array<string | { message?: string; field?: string }> }
    | undefined;
  const list = (details?.problems ?? []).map((p) =>
    typeof p === 'string' ? p : `${p.field ?? ''}: ${p.message ?? ''}`,
  );
  return list.length > 0 ? list : [error.message];
}

export function accountPages(api: RouteTable): PageSpec[] {
  async function list(
    page: PageRequest,
    extra: { problems?: string[]; form?: Record<string, string> } = {},
    status = 200,
  ) {
    const { users } = (
      await callRoute<{ users: PublicUser[] }>(
        api.get('GET', '/api/v1/users'),
        MANAGE,
        page.request,
        page.reply,
      )
    ).body;
    const f = extra.form ?? {};
    const done = DONE[page.query.done ?? ''];
    const body = html`${done ? message('notice', done) : ''}${extra.problems ? problemsAlert('That did not work:', extra.problems) : ''}
<div class="table-wrap"><table><caption>Accounts of your agency</caption>
<thead><tr><th scope="col">Username</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">Supervisor approval</th><th scope="col">Training</th><th scope="col">Last active</th><th scope="col">Actions</th></tr></thead>
<tbody>${users.map(
      (
        u,
      ) => html`<tr><td>${u.username}</td><td>${u.role}</td><td>${u.status}${u.lockedUntil ? ` (locked until ${u.lockedUntil.slice(0, 16)})` : ''}</td>
<td>${u.approval ? `${u.approval.by} ${day(u.approval.at)}` : 'none'}</td><td>${day(u.trainingCompletedAt)}</td><td>${day(u.lastActiveAt)}</td>
<td>${u.status === 'disabled' ? '—' : actions(u, page.csrf)}</td></tr>`,
    )}</tbody></table></div>
<form method="post" action="/admin/accounts" class="card" aria-labelledby="new-h">
<h2 id="new-h">Create an account</h2>
${csrfField(page.csrf)}
<div class="fields">
<div><label for="new-username">Username</label><input type="text" id="new-username" name="username" value="${f.username ?? ''}" required></div>
<div><label for="new-role">Role</label><select id="new-role" name="role">${ROLES.map((r) => html`<option value="${r}"${f.role === r ? html` selected` : ''}>${r}</option>`)}</select></div>
</div>
<p class="hint">The first password and the authenticator enrolment are shown once, on the next page. A new account needs a supervisor's approval and a training date before its first search.</p>
<button type="submit">Create account</button>
</form>`;
    return { title: 'Accounts', body, status };
  }

  return [
    {
      method: 'GET',
      url: '/admin/accounts',
      auth: MANAGE,
      summary: 'Admin: accounts of the own agency',
      handle: (p) => list(p),
    },
    {
      method: 'POST',
      url: '/admin/accounts',
      auth: MANAGE,
      summary: 'Admin: create an account; shows its TOTP enrolment once',
      async handle(page) {
        const form = { username: page.form.username ?? '', role: page.form.role ?? '' };
        let created: { user: PublicUser; enrolment: { otpauthUri: string }; password?: string };
        try {
          created = (
            await callRoute<typeof created>(
              api.get('POST', '/api/v1/users'),
              MANAGE,
              page.request,
              page.reply,
              { body: form },
            )
          ).body;
        } catch (error) {
          if (error instanceof HttpError && error.status < 500)
            return list(page, { problems: problemsOf(error), form }, error.status);
          throw error;
        }
        const svg = await QRCode.toString(created.enrolment.otpauthUri, {
          type: 'svg',
          errorCorrectionLevel: 'M',
          margin: 2,
        });
        const labelled = svg.replace(
          '<svg ',
          `<svg role="img" aria-label="Enrolment QR code for ${created.user.username.replace(/[^\w.@-]/g, '')}" `,
        );
        return {
          title: 'Account created: enrol the authenticator',
          status: 201,
          body: html`${message('notice', `The account ${created.user.username} (${created.user.role}) was created.`)}
<section class="card" aria-labelledby="enrol-h"><h2 id="enrol-h">Shown once</h2>
<p>Give these to ${created.user.username} in person. This page is the only time the hub shows them: it keeps the code sealed and the password hashed.</p>
<div class="qr">${trustedMarkup(labelled, 'the qrcode library draws paths only; the label is reduced to safe characters')}</div>
${created.password ? html`<p>First password: <span class="mono">${created.password}</span></p>` : ''}
<details><summary>Cannot scan? Enter the key by hand</summary><p class="mono">${created.enrolment.otpauthUri}</p></details>
</section>
<p><a href="/admin/accounts">Back to the accounts</a></p>`,
        };
      },
    },
    {
      method: 'POST',
      url: '/admin/accounts/:id/disable',
      auth: MANAGE,
      summary: 'Admin: disable an account',
      async handle(page) {
        const id = (page.request.params as { id: string }).id;
        try {
          await callRoute(api.get('POST', '/api/v1/users/:id/disable'), MANAGE, page.request, page.reply, {
            params: { id },
            body: { reason: page.form.reason?.trim() || 'disabled from the accounts page' },
          });
        } catch (error) {
          if (error instanceof HttpError && error.status < 500)
            return list(page, { problems: problemsOf(error) }, error.status);
          throw error;
        }
        return { redirect: '/admin/accounts?done=disabled' };
      },
    },
    {
      method: 'POST',
      url: '/admin/accounts/:id/training',
      auth: MANAGE,
      summary: 'Admin: record a training date',
      async handle(page) {
        const id = (page.request.params as { id: string }).id;
        const date = (page.form.date ?? '').trim();
        if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
          return list(page, { problems: ['the training date must be YYYY-MM-DD'] }, 400);
        try {
          await callRoute(api.get('POST', '/api/v1/users/:id/training'), MANAGE, page.request, page.reply, {
            params: { id },
            body: { date },
          });
        } catch (error) {
          if (error instanceof HttpError && error.status < 500)
            return list(page, { problems: problemsOf(error) }, error.status);
          throw error;
        }
        return { redirect: '/admin/accounts?done=training' };
      },
    },
  ];
}

function actions(u: PublicUser, csrf: string): SafeHtml {
  return html`<form method="post" action="/admin/accounts/${u.id}/training">${csrfField(csrf)}
<label for="train-${u.id}">Training date</label><input type="text" id="train-${u.id}" name="date" placeholder="YYYY-MM-DD" pattern="\\d{4}-\\d{2}-\\d{2}">
<button type="submit" class="secondary">Record training</button></form>
<form method="post" action="/admin/accounts/${u.id}/disable">${csrfField(csrf)}<input type="hidden" name="reason" value="disabled from the accounts page">
<button type="submit" class="danger">Disable ${u.username}</button></form>`;
}
