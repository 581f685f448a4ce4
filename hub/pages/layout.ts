// The one page layout: skip link, a header with the hub name, the signed-in person and the navigation
// their role's permissions allow (deny by default: a link appears only with its permission), one main
// landmark holding the page's h1, and the single external stylesheet. No inline script or style (CSP).
import { can } from '../../shared/access/roles.js';
import type { Principal } from '../http/hub-route.js';
import { CSRF_FIELD } from './csrf.js';
import { html, type SafeHtml } from './html.js';

/** A navigation entry and the permission that shows it. */
interface NavLink {
  href: string;
  label: string;
  permission: string;
}

export const NAV: readonly NavLink[] = [
  { href: '/search', label: 'Search', permission: 'plates.search' },
  { href: '/search/history', label: 'Search history', permission: 'results.view' },
  // one page for requests and (with hold.approve) approvals
  { href: '/holds', label: 'Holds', permission: 'hold.request' },
  { href: '/inquiries/new', label: 'New inquiry', permission: 'inquiry.submit' },
  { href: '/inquiries', label: 'Inquiry queue', permission: 'inquiry.approve' },
  { href: '/audit', label: 'Access log', permission: 'audit.read' },
  { href: '/reports', label: 'Reports', permission: 'reports.read' },
  { href: '/admin/accounts', label: 'Accounts', permission: 'users.manage' },
  { href: '/admin/agencies', label: 'Agencies', permission: 'agencies.manage' },
  { href: '/admin/edges', label: 'Edges', permission: 'edges.manage' },
  { href: '/sites/check', label: 'Site check', permission: 'sites.check' },
  { href: '/sites/proposals', label: 'Registry changes', permission: 'registry.propose' },
  { href: '/sites/proposals', label: 'Registry approvals', permission: 'registry.approve' },
];

export interface LayoutView {
  title: string;
  body: SafeHtml;
  principal?: Principal;
  /** the CSRF token for the sign-out form (signed-in pages only) */
  csrf?: string;
  /** the current path, to mark the active link */
  path?: string;
  /** external scripts this page needs (names under /assets/), loaded deferred */
  scripts?: readonly string[];
}

function nav(principal: Principal | undefined, path: string | undefined): SafeHtml {
  if (principal?.kind !== 'user') return html``;
  const links = NAV.filter((l) => can(principal.role, l.permission));
  return html`<nav aria-label="Main"><ul>${links.map(
    (l) =>
      html`<li><a href="${l.href}"${path === l.href ? html` aria-current="page"` : ''}>${l.label}</a></li>`,
  )}</ul></nav>`;
}

function account(principal: Principal | undefined, csrf: string | undefined): SafeHtml {
  if (principal?.kind !== 'user') return html``;
  return html`<div class="account"><span>${principal.username} (${principal.role})</span>
<form method="post" action="/logout" class="inline"><input type="hidden" name="${CSRF_FIELD}" value="${csrf ?? ''}"><button type="submit" class="link">Sign out</button></form></div>`;
}

/** A full HTML document around a page body. */
export function layout(view: LayoutView): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${view.title} · ALPR hub</title>
<link rel="stylesheet" href="/assets/hub.css">
${(view.scripts ?? []).map((s) => html`<script src="/assets/${s}" defer></script>`)}
</head>
<body>
<a class="skip" href="#main">Skip to main content</a>
<header class="top">
<div class="brand"><a href="/">ALPR hub</a></div>
${account(view.principal, view.csrf)}
${nav(view.principal, view.path)}
</header>
<main id="main" tabindex="-1">
<h1>${view.title}</h1>
${view.body}
</main>
<footer class="foot"><p>Restricted system. Every access is recorded and audited.</p></footer>
</body>
</html>`;
}

/** An accessible message block: errors are announced (role=alert), notices politely (role=status). */
export function message(kind: 'error' | 'notice', text: string | SafeHtml): SafeHtml {
  return kind === 'error'
    ? html`<div class="msg error" role="alert">${text}</div>`
    : html`<div class="msg notice" role="status">${text}</div>`;
}

/** A list of field problems under one alert. */
export function problemsAlert(intro: string, problems: readonly string[]): SafeHtml {
  return html`<div class="msg error" role="alert"><p>${intro}</p>${
    problems.length > 0 ? html`<ul>${problems.map((p) => html`<li>${p}</li>`)}</ul>` : ''
  }</div>`;
}
