// Bulk and export rules (Q-07, SH-09): a CSV or image export, or an on-screen result set larger than N
// rows, needs a supervisor's approval (approvals.ts, kind 'export'); nothing exports more than the hard
// cap; every export carries a watermark naming the person, agency and case.
import { iso } from './problems.js';

export type ExportFormat = 'view' | 'csv' | 'images';

export interface ExportRules {
  /** Result sets larger than this need approval even on screen (default 100). */
  approvalAboveRows: number;
  /** No export may hold more rows than this, approved or not (default 5000). */
  maxRows: number;
}

export const DEFAULT_EXPORT_RULES: ExportRules = { approvalAboveRows: 100, maxRows: 5000 };

export type ExportRequirement =
  | { allowed: false; reason: 'over_cap' | 'bad_format'; message: string }
  | { allowed: true; needsApproval: boolean; reason: 'file_export' | 'bulk' | 'small_view' };

/**
 * What an export of `rows` rows in `format` needs.
 * @example exportRequirement({ format: 'csv', rows: 12 }) // { allowed: true, needsApproval: true, reason: 'file_export' }
 * @example exportRequirement({ format: 'view', rows: 40 }) // { allowed: true, needsApproval: false, reason: 'small_view' }
 */
export function exportRequirement(
  request: { format: string; rows: number },
  rules: ExportRules = DEFAULT_EXPORT_RULES,
): ExportRequirement {
  if (!['view', 'csv', 'images'].includes(request.format)) {
    return {
      allowed: false,
      reason: 'bad_format',
      message: `"${request.format}" is not an export format (view, csv, images)`,
    };
  }
  if (!Number.isInteger(request.rows) || request.rows < 0 || request.rows > rules.maxRows) {
    return {
      allowed: false,
      reason: 'over_cap',
      message: `at most ${rules.maxRows} rows may be exported; narrow the search`,
    };
  }
  if (request.format !== 'view') return { allowed: true, needsApproval: true, reason: 'file_export' };
  return request.rows > rules.approvalAboveRows
    ? { allowed: true, needsApproval: true, reason: 'bulk' }
    : { allowed: true, needsApproval: false, reason: 'small_view' };
}

/**
 * The watermark line every exported file and page carries.
 * @example exportWatermark({ username: 'det.alvarez', agency: 'CA0431100', caseNumber: '26-000123', at: 0 })
 *   // 'Exported by det.alvarez (CA0431100) for case 26-000123 at 1970-01-01T00:00:00.000Z. Restricted ALPR data: ...'
 */
export function exportWatermark(input: {
  username: string;
  agency: string;
  caseNumber: string;
  at: number;
}): string {
  const clean = (s: string) => s.replace(/[\p{Cc}\p{Cf}]/gu, '').trim();
  return (
    `Exported by ${clean(input.username)} (${clean(input.agency)}) for case ${clean(input.caseNumber)} at ${iso(input.at)}. ` +
    'Restricted ALPR data: for the stated case only; no sale; sharing only with California law enforcement.'
  );
}
