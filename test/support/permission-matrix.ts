// THE permission matrix: for every route the hub serves, the status class each caller gets: no session,
// each role of shared/access/roles.ts with an acknowledged session, and each role before acknowledgment.
// Written out by hand on purpose (not derived from ROLE_PERMISSIONS), so a change to the role mapping, a
// route's permission or its acknowledgment flag fails test/integration/hub/permission-matrix.test.ts
// until this table is changed with it. A new route fails that test until it is declared here.
import { ROLES, type Role } from '../../shared/access/roles.js';

/** 401 unauthenticated; 403 role lacks the permission; 403-ack notice not accepted; allowed: anything else (2xx, 400, 404, 409, 422…). */
export type StatusClass = '401' | '403' | '403-ack' | 'allowed';

export interface RouteExpectation {
  noSession: StatusClass;
  /** signed in, notice accepted */
  acknowledged: Record<Role, StatusClass>;
  /** signed in, notice not yet accepted */
  beforeAck: Record<Role, StatusClass>;
}

const every = (c: StatusClass) => Object.fromEntries(ROLES.map((r) => [r, c])) as Record<Role, StatusClass>;

/** No credentials needed: everyone gets through, whatever cookie they carry. */
const publicRoute = (): RouteExpectation => ({
  noSession: 'allowed',
  acknowledged: every('allowed'),
  beforeAck: every('allowed'),
});

/** Edge boxes only: a person's session cookie is no edge signature. */
const edgeRoute = (): RouteExpectation => ({
  noSession: '401',
  acknowledged: every('401'),
  beforeAck: every('401'),
});

/** A signed-in person of `roles`; `ack`: only after accepting the notice (ACK-01). */
function userRoute(roles: readonly Role[] | 'any', ack: boolean): RouteExpectation {
  const may = (r: Role) => roles === 'any' || roles.includes(r);
  const ackClass = ack ? '403-ack' : 'allowed';
  return {
    noSession: '401',
    acknowledged: Object.fromEntries(ROLES.map((r) => [r, may(r) ? 'allowed' : '403'])) as Record<
      Role,
      StatusClass
    >,
    beforeAck: Object.fromEntries(ROLES.map((r) => [r, may(r) ? ackClass : '403'])) as Record<
      Role,
      StatusClass
    >,
  };
}

const SEARCHERS: readonly Role[] = ['investigator', 'supervisor'];
const REPORT_READERS: readonly Role[] = ['supervisor', 'command', 'auditor'];

/** `METHOD url` (fastify's route template) → expectation. */
export const PERMISSION_MATRIX: Readonly<Record<string, RouteExpectation>> = {
  'GET /health': publicRoute(),
  'GET /metrics': publicRoute(),

  'POST /api/v1/session': publicRoute(),
  'GET /api/v1/session': userRoute('any', false),
  'POST /api/v1/session/acknowledge': userRoute('any', false),
  'DELETE /api/v1/session': userRoute('any', false),
  'GET /api/v1/users': userRoute(['admin'], true),
  'POST /api/v1/users': userRoute(['admin'], true),
  'POST /api/v1/users/:id/disable': userRoute(['admin'], true),
  'POST /api/v1/users/:id/approval': userRoute(['supervisor', 'command'], true),
  'POST /api/v1/users/:id/training': userRoute(['admin'], true),

  'POST /api/v1/ingest/cameras': edgeRoute(),
  'POST /api/v1/ingest/reads': edgeRoute(),
  'POST /api/v1/ingest/receipts': edgeRoute(),
  'POST /api/v1/ingest/audit-heads': edgeRoute(),
  'GET /api/v1/registry': edgeRoute(),

  // AC-03: auditors, admins and planners never search plates or see results.
  'POST /api/v1/searches': userRoute(SEARCHERS, true),
  'GET /api/v1/searches': userRoute(SEARCHERS, true),
  'GET /api/v1/searches/:id/results': userRoute(SEARCHERS, true),
  'POST /api/v1/searches/:id/approval': userRoute(['command'], true),
  'POST /api/v1/holds': userRoute(SEARCHERS, true),
  'POST /api/v1/holds/:id/approval': userRoute(['supervisor'], true),
  'POST /api/v1/holds/:id/release': userRoute(['supervisor'], true),
  'GET /api/v1/holds': userRoute(SEARCHERS, true),
  'GET /api/v1/audit': userRoute(['auditor'], true),

  // Sharing (SH-01..07, Q-07): inquiries by searchers, decided by command; grants by command; exports
  // requested by searchers and approved by supervisors; agencies by admins.
  'POST /api/v1/inquiries': userRoute(SEARCHERS, true),
  'GET /api/v1/inquiries': userRoute(SEARCHERS, true),
  'GET /api/v1/inquiries/queue': userRoute(['command'], true),
  'GET /api/v1/inquiries/:id': userRoute(SEARCHERS, true),
  'POST /api/v1/inquiries/:id/approve': userRoute(['command'], true),
  'POST /api/v1/inquiries/:id/deny': userRoute(['command'], true),
  'GET /api/v1/grants': userRoute(['command'], true),
  'POST /api/v1/grants/:id/renew': userRoute(SEARCHERS, true),
  'POST /api/v1/grants/:id/approve': userRoute(['command'], true),
  'POST /api/v1/grants/:id/deny': userRoute(['command'], true),
  'POST /api/v1/grants/:id/revoke': userRoute(['command'], true),
  'POST /api/v1/exports': userRoute(SEARCHERS, true),
  'GET /api/v1/exports': userRoute(SEARCHERS, true),
  'GET /api/v1/exports/queue': userRoute(['supervisor'], true),
  'POST /api/v1/exports/:id/approve': userRoute(['supervisor'], true),
  'POST /api/v1/exports/:id/deny': userRoute(['supervisor'], true),
  'GET /api/v1/exports/:id/download': userRoute(SEARCHERS, true),
  'GET /api/v1/agencies': userRoute(['admin'], true),
  'POST /api/v1/agencies': userRoute(['admin'], true),

  // Pages (hub/pages): the same authenticator and permissions as the API they run. A POST without its
  // CSRF token counts as "allowed" here (it passed authentication; the page then refuses it).
  'GET /assets/:name': publicRoute(),
  'GET /login': publicRoute(),
  'POST /login': publicRoute(),
  'GET /acknowledge': userRoute('any', false),
  'POST /acknowledge': userRoute('any', false),
  'POST /logout': userRoute('any', false),
  'GET /': userRoute('any', true),
  'GET /admin/accounts': userRoute(['admin'], true),
  'POST /admin/accounts': userRoute(['admin'], true),
  'POST /admin/accounts/:id/disable': userRoute(['admin'], true),
  'POST /admin/accounts/:id/training': userRoute(['admin'], true),
  'GET /admin/edges': userRoute(['admin'], true),
  'POST /admin/edges/:id/disable': userRoute(['admin'], true),
  'GET /admin/agencies': userRoute(['admin'], true),
  'POST /admin/agencies': userRoute(['admin'], true),
  'GET /sites/check': userRoute(['admin', 'planner'], true),
  'POST /sites/check/batch': userRoute(['admin', 'planner'], true),
  'GET /sites/proposals': userRoute(['admin', 'planner'], true),
  'POST /sites/proposals': userRoute(['planner'], true),
  'POST /sites/proposals/:id/decision': userRoute(['admin'], true),
  'GET /search': userRoute(SEARCHERS, true),
  'POST /search': userRoute(SEARCHERS, true),
  'GET /search/history': userRoute(SEARCHERS, true),
  'GET /search/:id': userRoute(SEARCHERS, true),
  'GET /holds': userRoute(SEARCHERS, true),
  'POST /holds': userRoute(SEARCHERS, true),
  'POST /holds/:id/approve': userRoute(['supervisor'], true),
  'GET /audit': userRoute(['auditor'], true),
  'GET /audit.csv': userRoute(['auditor'], true),
  'GET /inquiries/new': userRoute(SEARCHERS, true),
  'POST /inquiries/new': userRoute(SEARCHERS, true),
  'GET /inquiries': userRoute(['command'], true),
  'POST /inquiries/:id/decision': userRoute(['command'], true),

  // Hotlists and hits (HIT-01..05): searchers see and verify their agency's hits; supervisors manage lists.
  'GET /api/v1/hits': userRoute(SEARCHERS, true),
  'GET /api/v1/hits/:id': userRoute(SEARCHERS, true),
  'POST /api/v1/hits/:id/verification': userRoute(SEARCHERS, true),
  'POST /api/v1/hotlists/import': userRoute(['supervisor'], true),
  'GET /api/v1/hotlists': userRoute(['supervisor'], true),
  'POST /api/v1/hotlists/entries/:id/expire': userRoute(['supervisor'], true),
  'GET /hits': userRoute(SEARCHERS, true),
  'GET /hits/:id': userRoute(SEARCHERS, true),
  'GET /hits/assets/hits.css': publicRoute(),
  'GET /hits/assets/hits.js': publicRoute(),

  // Oversight (CMP-01..04, TP-01..05): the portal is public; reports are read by supervisors, command
  // and auditors; sign-offs, sample checks and anomaly reviews are recorded by auditors only.
  'GET /transparency': publicRoute(),
  'GET /transparency.json': publicRoute(),
  'GET /transparency/policy': publicRoute(),
  'GET /transparency/style.css': publicRoute(),
  'GET /transparency/icon.svg': publicRoute(),
  'GET /api/v1/oversight/reports': userRoute(REPORT_READERS, true),
  'POST /api/v1/oversight/reports/:id/signoff': userRoute(['auditor'], true),
  'POST /api/v1/oversight/samples': userRoute(['auditor'], true),
  'GET /api/v1/oversight/samples/:id': userRoute(REPORT_READERS, true),
  'POST /api/v1/oversight/samples/:id/items/:seq': userRoute(['auditor'], true),
  'POST /api/v1/oversight/anomalies/refresh': userRoute(['auditor'], true),
  'GET /api/v1/oversight/anomalies': userRoute(REPORT_READERS, true),
  'POST /api/v1/oversight/anomalies/:id/review': userRoute(['auditor'], true),
  'GET /reports': userRoute(REPORT_READERS, true),
  'POST /reports/:id/signoff': userRoute(['auditor'], true),
};
