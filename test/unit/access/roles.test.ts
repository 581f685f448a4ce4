import { describe, expect, it } from 'vitest';
import {
  can,
  NO_PLATE_ACCESS_ROLES,
  PERMISSIONS,
  permissionsOf,
  ROLE_PERMISSIONS,
  ROLES,
} from '../../../shared/access/roles.js';

// The declared matrix (AC-01): each role's permissions, written out so a change to the mapping must
// change this table too.
const MATRIX: Record<string, string[]> = {
  investigator: [
    'plates.search',
    'results.view',
    'hold.request',
    'export.request',
    'inquiry.submit',
    'hits.view',
    'hits.verify',
  ],
  supervisor: [
    'plates.search',
    'results.view',
    'hold.request',
    'hold.approve',
    'export.request',
    'export.approve',
    'inquiry.submit',
    'account.approve',
    'reports.read',
    'hotlists.manage',
    'hits.view',
    'hits.verify',
  ],
  command: [
    'inquiry.approve',
    'grant.approve',
    'sensitive_search.approve',
    'account.approve',
    'reports.read',
  ],
  auditor: ['audit.read', 'reports.read', 'oversight.record'],
  admin: ['users.manage', 'agencies.manage', 'edges.manage', 'sites.check', 'registry.approve'],
  planner: ['sites.check', 'registry.propose'],
};

describe('can (AC-01: deny by default)', () => {
  it.each(ROLES.flatMap((role) => Object.keys(PERMISSIONS).map((p) => [role, p] as const)))(
    '%s / %s matches the declared matrix',
    (role, permission) => {
      expect(can(role, permission)).toBe(MATRIX[role]!.includes(permission));
    },
  );

  it('denies unknown roles, unknown permissions and prototype keys', () => {
    expect(can('superuser', 'plates.search')).toBe(false);
    expect(can('investigator', 'plates.search.all')).toBe(false);
    expect(can('investigator', 'constructor')).toBe(false);
    expect(can('__proto__', 'toString')).toBe(false);
    expect(can(undefined, 'plates.search')).toBe(false);
    expect(can('investigator', undefined)).toBe(false);
  });

  it('lists a role’s permissions, and none for an unknown role', () => {
    expect(permissionsOf('planner')).toEqual(['sites.check', 'registry.propose']);
    expect(permissionsOf('root')).toEqual([]);
  });
});

describe('separation of duties (AC-03)', () => {
  it('auditor, admin and planner can never search plates or see results, even if the mapping said so', () => {
    expect(NO_PLATE_ACCESS_ROLES).toEqual(['auditor', 'admin', 'planner']);
    for (const role of NO_PLATE_ACCESS_ROLES) {
      for (const p of ['plates.search', 'results.view', 'export.request', 'hits.view', 'hits.verify']) {
        expect(can(role, p)).toBe(false);
      }
    }
    const tampered = ROLE_PERMISSIONS.admin as string[];
    tampered.push('plates.search');
    try {
      expect(can('admin', 'plates.search')).toBe(false);
    } finally {
      tampered.pop();
    }
  });

  it('has no permission that writes, edits or deletes the audit, so nobody holds one', () => {
    const names = Object.keys(PERMISSIONS);
    expect(names.filter((p) => p.startsWith('audit.'))).toEqual(['audit.read']);
    for (const role of ROLES) {
      for (const p of [
        'audit.write',
        'audit.edit',
        'audit.modify',
        'audit.delete',
        'audit.update',
        'audit.truncate',
      ]) {
        expect(can(role, p)).toBe(false);
      }
    }
  });

  it('gives no role both plate search and the access log', () => {
    for (const role of ROLES) expect(can(role, 'plates.search') && can(role, 'audit.read')).toBe(false);
  });

  it('separates proposing and approving: the approving roles are not the requesting ones for registry and grants', () => {
    for (const role of ROLES)
      expect(can(role, 'registry.propose') && can(role, 'registry.approve')).toBe(false);
    for (const role of ROLES) expect(can(role, 'inquiry.submit') && can(role, 'inquiry.approve')).toBe(false);
  });
});
