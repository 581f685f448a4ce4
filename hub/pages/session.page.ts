// Signing in from a browser: the sign-in form (username, password, TOTP code), the system-use notice to
// accept (its text verbatim, ACK-01), and sign-out. Each form runs the accounts feature's own API
// handler (route-call.ts): the rate limits, lockout, TOTP replay check, session cookie and audit entries
// are that code's, not a copy. Refusals say what the API says (it names no factor) in a role=alert.
import { HttpError } from '../http/http-errors.js';
import type { HubContext } from '../hub-context.js';
import { html, type SafeHtml } from './html.js';
import { message } from './layout.js';
import { csrfField, localPath, type PageRequest, type PageSpec } from './page-route.js';
import { callRoute, type RouteTable } from './route-call.js';

const PUBLIC = { kind: 'public' } as const;
const ANY = { kind: 'user', permission: null, acknowledged: false } as const;

interface SessionAnswer {
  user: { username: string; role: string };
  notice: { title: string; text: string; hash: string };
  acknowledged: boolean;
}

function loginForm(page: PageRequest, next: string, username: string, problem?: string): SafeHtml {
  return html`${problem ? message('error', problem) : ''}${
    page.query.done === 'signed-out' ? message('notice', 'You are signed out.') : ''
  }
<form method="post" action="/login" class="card" aria-labelledby="login-h">
<h2 id="login-h">Sign in with your password and authenticator code</h2>
${csrfField(page.csrf)}
<input type="hidden" name="next" value="${next}">
<div class="fields">
<div><label for="username">Username</label><input type="text" id="username" name="username" value="${username}" autocomplete="username" required autofocus></div>
<div><label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password" required></div>
<div><label for="totp">Authenticator code<span class="hint">6 digits from your authenticator app</span></label><input type="text" id="totp" name="totp" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required></div>
</div>
<button type="submit">Sign in</button>
</form>`;
}

/** The notice's canonical text as headed sections: blocks separated by blank lines, heading then text. */
function noticeSections(text: string): SafeHtml {
  const blocks = text.split('\n\n');
  return html`${blocks.slice(1).map((block) => {
    const [heading, ...rest] = block.split('\n');
    return html`<section><h2>${heading}</h2><p>${rest.join('\n')}</p></section>`;
  })}`;
}

export function sessionPages(_ctx: HubContext, api: RouteTable): PageSpec[] {
  return [
    {
      method: 'GET',
      url: '/login',
      auth: PUBLIC,
      summary: 'Sign-in page (password and TOTP code)',
      async handle(page) {
        return { title: 'Sign in', body: loginForm(page, localPath(page.query.next), '') };
      },
    },
    {
      method: 'POST',
      url: '/login',
      auth: PUBLIC,
      summary: 'Sign in; sets the session cookie and continues to the notice',
      async handle(page) {
        const f = page.form;
        const next = localPath(f.next);
        try {
          await callRoute(api.get('POST', '/api/v1/session'), PUBLIC, page.request, page.reply, {
            body: { username: f.username ?? '', password: f.password ?? '', totp: f.totp ?? '' },
          });
        } catch (error) {
          if (!(error instanceof HttpError) || error.status >= 500) throw error;
          page.reply.removeHeader('set-cookie');
          return {
            title: 'Sign in',
            body: loginForm(page, next, f.username ?? '', error.message),
            status: error.status,
          };
        }
        return { redirect: `/acknowledge?next=${encodeURIComponent(next)}` };
      },
    },
    {
      method: 'GET',
      url: '/acknowledge',
      auth: ANY,
      summary: 'The system-use notice to accept before any search (ACK-01)',
      async handle(page) {
        const s = (
          await callRoute<SessionAnswer>(api.get('GET', '/api/v1/session'), ANY, page.request, page.reply)
        ).body;
        const next = localPath(page.query.next);
        return {
          title: s.notice.title,
          body: html`${s.acknowledged ? message('notice', 'You accepted this notice in this session.') : ''}
<div class="notice-text">${noticeSections(s.notice.text)}</div>
<form method="post" action="/acknowledge" class="card">
${csrfField(page.csrf)}
<input type="hidden" name="noticeHash" value="${s.notice.hash}">
<input type="hidden" name="next" value="${next}">
<p><input type="checkbox" id="accept" name="accept" value="yes" required> <label for="accept" class="inline-label">I have read this notice and accept it</label></p>
<button type="submit">Accept and continue</button>
</form>
<p class="hint">Notice version <span class="mono">${s.notice.hash}</span></p>`,
        };
      },
    },
    {
      method: 'POST',
      url: '/acknowledge',
      auth: ANY,
      summary: 'Accept the current notice for this session',
      async handle(page) {
        if (page.form.accept !== 'yes') return { redirect: '/acknowledge' };
        await callRoute(api.get('POST', '/api/v1/session/acknowledge'), ANY, page.request, page.reply, {
          body: { noticeHash: page.form.noticeHash ?? '' },
        });
        return { redirect: localPath(page.form.next) };
      },
    },
    {
      method: 'POST',
      url: '/logout',
      auth: ANY,
      summary: 'Sign out (ends this session)',
      async handle(page) {
        await callRoute(api.get('DELETE', '/api/v1/session'), ANY, page.request, page.reply);
        return { redirect: '/login?done=signed-out' };
      },
    },
  ];
}
