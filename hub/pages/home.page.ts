// The start page after sign-in: the pages this person's role may use, each with one line on what it is
// for. The links come from the same permission table as the navigation (hub/pages/layout.ts NAV).
import { can } from '../../shared/access/roles.js';
import { html } from './html.js';
import { NAV } from './layout.js';
import type { PageSpec } from './page-route.js';

export function homePages(): PageSpec[] {
  return [
    {
      method: 'GET',
      url: '/',
      auth: { kind: 'user', permission: null, acknowledged: true },
      summary: 'Start page: the pages your role may use',
      async handle(page) {
        const user = page.user!;
        const links = NAV.filter((l) => can(user.role, l.permission));
        return {
          title: 'Start',
          body: html`<p>Signed in as ${user.username}, role ${user.role}.</p>
${links.length > 0 ? html`<ul>${links.map((l) => html`<li><a href="${l.href}">${l.label}</a></li>`)}</ul>` : html`<p>Your role has no pages yet.</p>`}`,
        };
      },
    },
  ];
}
