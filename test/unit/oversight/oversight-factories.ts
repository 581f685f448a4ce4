// Audit entries for the oversight rule tests, built by a small factory with overrides.
import type { AuditEntry } from '../../../shared/oversight/audit-entries.js';

let seq = 0;

export const HOME = 'CA0430100';
export const OTHER = 'CA0431100';

/** A search entry (allowed unless `kind` says otherwise) with the access payload fields. */
export function search(
  at: number,
  overrides: Partial<{
    kind: string;
    user: string;
    agency: string;
    role: string;
    origin: 'internal' | 'external';
    plate: string;
    mode: string;
    caseNumber: string | null;
    category: string | null;
  }> = {},
): AuditEntry {
  seq += 1;
  return {
    seq,
    at,
    kind: overrides.kind ?? 'search.allowed',
    actor: overrides.user ?? 'det.a',
    payload: {
      user: overrides.user ?? 'det.a',
      role: overrides.role ?? 'investigator',
      agency: overrides.agency ?? HOME,
      origin: overrides.origin ?? 'internal',
      query: { plate: overrides.plate ?? '7ABC123', mode: overrides.mode ?? 'exact' },
      purpose: 'burglary suspect vehicle seen leaving 100 Main St at 2am',
      caseNumber: overrides.caseNumber === undefined ? '26-000123' : overrides.caseNumber,
      crimeType: 'burglary',
      outcome: 'allowed',
      category: overrides.category ?? null,
    },
  };
}

export function entry(
  at: number,
  kind: string,
  payload: Record<string, unknown> = {},
  actor = 'det.a',
): AuditEntry {
  seq += 1;
  return { seq, at, kind, actor, payload: { user: actor, ...payload } };
}
