// The access rules as one object built from the validated `access` config section, so a route handler
// passes `rules.search` or `rules.session` instead of re-assembling thresholds from config keys.
import type { AccessConfig } from '../config/access.schema.js';
import type { SiteBuffers } from '../geofence/verdict.js';
import type { AccountRules } from './accounts.js';
import type { ExportRules } from './exports.js';
import type { GrantRules } from './grants.js';
import type { HitRules } from './hits.js';
import type { HotlistRules } from './hotlist.js';
import type { LockoutRules } from './lockout.js';
import type { PasswordRules } from './password-policy.js';
import type { SearchRules } from './search-request.js';
import type { SessionRules } from './sessions.js';

export interface AccessRules {
  search: SearchRules;
  accounts: AccountRules;
  password: PasswordRules;
  lockout: LockoutRules;
  session: SessionRules;
  grants: GrantRules;
  export: ExportRules;
  hotlist: HotlistRules;
  hits: HitRules;
  /** A hit from a list older than this is stale (HIT-04). */
  hotlistStaleAfterHours: number;
  /** Unverified hits older than this are reported (HIT-03). */
  unverifiedReportHours: number;
  /** Query-time buffers for the sensitive-site screen. */
  queryBufferM: SiteBuffers;
}

/**
 * Build the rules from the config section and the retention days in force.
 * @example accessRulesFromConfig(config.access, config.retention.days).search.caseNumberPattern // /^\d{2}-\d{6}$/
 */
export function accessRulesFromConfig(access: AccessConfig, retentionDays: number): AccessRules {
  return {
    search: {
      caseNumberPattern: new RegExp(access.caseNumberPattern),
      caseNumberExample: access.caseNumberExample,
      justification: {
        minLength: access.justificationMinLength,
        minSpecificWords: access.justificationMinSpecificWords,
      },
      plate: { minPartialChars: access.partialPlateMinChars, maxLength: 8 },
      retentionDays,
    },
    accounts: { ...access.account },
    password: { ...access.password },
    lockout: { ...access.lockout },
    session: { ...access.session },
    grants: { ...access.grants },
    export: { ...access.export },
    hotlist: { maxEntryDays: access.hotlist.maxEntryDays, sources: [...access.hotlist.sources] },
    hits: { currencyMaxAgeMinutes: access.hotlist.currencyMaxAgeMinutes },
    hotlistStaleAfterHours: access.hotlist.staleAfterHours,
    unverifiedReportHours: access.hotlist.unverifiedReportHours,
    queryBufferM: { ...access.queryBufferM },
  };
}
