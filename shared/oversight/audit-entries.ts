// The audit entries the oversight rules read, as plain data: one row of the hub chain with its payload
// parsed, and typed accessors for the SB 34 fields of shared/audit/access-audit.ts (AccessAuditPayload).
// Readers never guess: a field that is not the expected type reads as null.
import { AccessAuditKind } from '../audit/access-audit.js';

/** One hub audit row, payload parsed (the chain stores canonical JSON text). */
export interface AuditEntry {
  seq: number;
  /** ms since epoch, UTC */
  at: number;
  kind: string;
  actor: string;
  payload: Record<string, unknown>;
}

/** The access event kinds the oversight rules count: a view of the one list in shared/audit/access-audit.ts. */
export const OversightKind = {
  loginSucceeded: AccessAuditKind.loginSucceeded,
  userCreated: AccessAuditKind.userCreated,
  userChanged: AccessAuditKind.userChanged,
  userDisabled: AccessAuditKind.userDisabled,
  searchAllowed: AccessAuditKind.searchAllowed,
  searchRefused: AccessAuditKind.searchRefused,
  searchBlocked: AccessAuditKind.searchBlocked,
  searchPendingApproval: AccessAuditKind.searchPendingApproval,
  exportRequested: AccessAuditKind.exportRequested,
  exportApproved: AccessAuditKind.exportApproved,
  exportDownloaded: AccessAuditKind.exportDownloaded,
  inquirySubmitted: AccessAuditKind.inquirySubmitted,
  inquiryApproved: AccessAuditKind.inquiryApproved,
  inquiryDenied: AccessAuditKind.inquiryDenied,
  grantChanged: AccessAuditKind.grantChanged,
  grantDrift: AccessAuditKind.grantDrift,
  hitCreated: AccessAuditKind.hitCreated,
  hotlistImported: AccessAuditKind.hotlistImported,
  reportWritten: AccessAuditKind.reportWritten,
  complianceAlert: AccessAuditKind.complianceAlert,
} as const;

/** Kinds that are a search attempt (allowed or not). */
export const SEARCH_KINDS: readonly string[] = [
  OversightKind.searchAllowed,
  OversightKind.searchRefused,
  OversightKind.searchBlocked,
  OversightKind.searchPendingApproval,
];

export const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/** payload.user, else the row's actor. */
export function userOf(e: AuditEntry): string {
  return str(e.payload.user) ?? e.actor;
}
export function agencyOf(e: AuditEntry): string {
  return str(e.payload.agency) ?? 'unknown';
}
export function roleOf(e: AuditEntry): string {
  return str(e.payload.role) ?? 'unknown';
}
/** internal | external; an entry that does not say is counted as internal only if its agency is home. */
export function originOf(e: AuditEntry, homeOri?: string): 'internal' | 'external' {
  const o = e.payload.origin;
  if (o === 'internal' || o === 'external') return o;
  return homeOri !== undefined && agencyOf(e) !== homeOri ? 'external' : 'internal';
}
export function categoryOf(e: AuditEntry): string {
  return str(e.payload.category) ?? 'unspecified';
}
export function queryOf(e: AuditEntry): Record<string, unknown> {
  const q = e.payload.query;
  return q && typeof q === 'object' && !Array.isArray(q) ? (q as Record<string, unknown>) : {};
}
/** A partial-plate (wildcard) search: query.mode "partial", query.partial true, or ? / * in the plate. */
export function isPartialPlate(e: AuditEntry): boolean {
  const q = queryOf(e);
  if (q.mode === 'partial' || q.partial === true) return true;
  const plate = str(q.plate);
  return plate !== null && /[?*]/.test(plate);
}
/** The plate a search asked for (exact searches only), upper-case, without spaces or dashes. */
export function exactPlateOf(e: AuditEntry): string | null {
  if (isPartialPlate(e)) return null;
  const plate = str(queryOf(e).plate);
  return plate ? plate.toUpperCase().replace(/[\s-]/g, '') : null;
}
