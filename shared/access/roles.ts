// Roles and permissions (AC-01, AC-03): one named permission list and one deny-by-default mapping from
// role to permissions. Routes ask `can(role, permission)`; an unknown role or permission is "no".
// Auditors, admins and planners can never search plates, and no permission anywhere edits the audit.

export const ROLES = ['investigator', 'supervisor', 'command', 'auditor', 'admin', 'planner'] as const;
export type Role = (typeof ROLES)[number];

/** Every permission the hub knows, with what it allows. There is deliberately no audit write/edit/delete. */
export const PERMISSIONS = {
  'plates.search': 'Search reads by plate (exact or partial)',
  'results.view': 'View the results of an own search',
  'hold.request': 'Request an evidentiary hold',
  'hold.approve': "Approve another person's hold request",
  'export.request': 'Request an export of search results',
  'export.approve': "Approve another person's export request",
  'inquiry.submit': 'Submit an inquiry on behalf of an external agency',
  'inquiry.approve': "Approve an external agency's inquiry",
  'grant.approve': 'Approve, renew or revoke an access grant to another agency',
  'sensitive_search.approve': 'Approve a search that touches a sensitive site',
  'account.approve': 'Record the supervisor approval a new account needs before its first search',
  'audit.read': 'Read the access log',
  'reports.read': 'Read compliance reports and vagueness metrics',
  'oversight.record':
    "Record a report sign-off, a case-number sample check or an anomaly review (the auditor's own record)",
  'users.manage': 'Create, disable and change accounts',
  'agencies.manage': 'Create and change agency records',
  'edges.manage': 'Enrol and retire edge boxes',
  'sites.check': 'Check a proposed camera against the sensitive-site registry',
  'registry.propose': 'Propose a change to the sensitive-site registry',
  'registry.approve': "Approve another person's registry change",
  'hotlists.manage': 'Import, edit and expire hotlist entries',
  'hits.view': 'View hotlist hits of the own agency',
  'hits.verify': 'Confirm or reject a hotlist hit after visual and currency checks',
} as const;
export type Permission = keyof typeof PERMISSIONS;

const INVESTIGATOR: readonly Permission[] = [
  'plates.search',
  'results.view',
  'hold.request',
  'export.request',
  'inquiry.submit',
  'hits.view',
  'hits.verify',
];

/** The one mapping. Anything not listed is denied. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  investigator: INVESTIGATOR,
  supervisor: [
    ...INVESTIGATOR,
    'hold.approve',
    'export.approve',
    'account.approve',
    'hotlists.manage',
    'reports.read',
  ],
  command: [
    'inquiry.approve',
    'grant.approve',
    'sensitive_search.approve',
    'account.approve',
    'reports.read',
  ],
  auditor: ['audit.read', 'reports.read', 'oversight.record'],
  admin: ['users.manage', 'agencies.manage', 'edges.manage', 'registry.approve', 'sites.check'],
  planner: ['sites.check', 'registry.propose'],
};

/** Roles that may never hold plate access, whatever the mapping above says (AC-03). */
export const NO_PLATE_ACCESS_ROLES: readonly Role[] = ['auditor', 'admin', 'planner'];
const PLATE_PERMISSIONS: readonly Permission[] = [
  'plates.search',
  'results.view',
  'export.request',
  'hits.view',
  'hits.verify',
];

/**
 * True for a known role name.
 * @example isRole('auditor') // true
 */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * Deny by default: true only when `role` is known and the mapping grants `permission`.
 * @example can('investigator', 'plates.search') // true
 * @example can('auditor', 'plates.search')      // false
 * @example can('admin', 'audit.delete')         // false (no such permission exists)
 */
export function can(role: unknown, permission: unknown): boolean {
  if (!isRole(role) || typeof permission !== 'string' || !Object.hasOwn(PERMISSIONS, permission))
    return false;
  if (NO_PLATE_ACCESS_ROLES.includes(role) && (PLATE_PERMISSIONS as readonly string[]).includes(permission))
    return false;
  return (ROLE_PERMISSIONS[role] as readonly string[]).includes(permission);
}

/**
 * The permissions a role holds (empty for an unknown role).
 * @example permissionsOf('planner') // ['sites.check', 'registry.propose']
 */
export function permissionsOf(role: unknown): Permission[] {
  return isRole(role) ? (Object.keys(PERMISSIONS) as Permission[]).filter((p) => can(role, p)) : [];
}
