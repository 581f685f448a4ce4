// Submitting a search (Q-01..09) and the command decision on one that touches a sensitive site.
// Each call is ONE transaction holding the search row, its one audit entry and (for a blocked purpose) the
// compliance alert: if the audit append fails, nothing is stored and the caller gets an error, never data.
// The rules are the pure ones in shared/access; this file only reads the scope, cameras and registry they
// need and records what they decided.
import { type Account, checkSearchEligibility } from '../../shared/access/accounts.js';
import type { AccessProblem } from '../../shared/access/problems.js';
import { type SearchRequest, validateSearchRequest } from '../../shared/access/search-request.js';
import { searchScope } from '../../shared/access/search-scope.js';
import { type SiteTouch, screenSensitiveSearch } from '../../shared/access/sensitive-search.js';
import { AccessAuditKind } from '../../shared/audit/access-audit.js';
import type { HubAuditLog } from '../audit/hub-audit-log.js';
import type { HubDb } from '../db/hub-db.js';
import { type AccessActor, accessActor, accessEvent, type UserPrincipal } from './access-actor.js';
import { camerasInScope, currentPreparedRegistry } from './search-cameras.js';
import type { SearchRuleSet } from './search-rules.js';
import { plateMode, queryTerms, rawText } from './search-terms.js';
import { searchableAgencyIds } from './searchable-agencies.js';
import { type NewSearchRow, SearchesRepository } from './searches.repository.js';

export type SearchSubmitResult =
  | { kind: 'refused'; searchId: number; problems: AccessProblem[] }
  | {
      kind: 'blocked';
      searchId: number;
      category: string;
      categoryLabel: string;
      basis: string;
      problems: AccessProblem[];
    }
  | { kind: 'pending'; searchId: number; sites: SiteTouch[] }
  | { kind: 'allowed'; searchId: number; partial: boolean };

export type SearchDecisionResult =
  | { ok: true; searchId: number; outcome: 'allowed' | 'denied' }
  | { ok: false; code: 'not_found' | 'not_pending' | 'invalid'; message: string };

export class SearchService {
  private readonly repo = new SearchesRepository();

  constructor(
    private readonly db: HubDb,
    private readonly audit: HubAuditLog,
    private readonly ruleSet: SearchRuleSet,
  ) {}

  /** Validate, screen and record one search by `principal` at `now`. */
  async submit(
    principal: UserPrincipal,
    body: unknown,
    options: {
      now: number;
      clientAddress: string | null;
      /** the searcher's account as the authenticator loaded it (AC-04 eligibility) */
      account: Account;
      /** the notice version this session accepted */
      noticeHash?: string | null;
    },
  ): Promise<SearchSubmitResult> {
    const { now } = options;
    const { rules, lexicon } = this.ruleSet;
    const input =
      body !== null && typeof body === 'object' && !Array.isArray(body)
        ? (body as Record<string, unknown>)
        : {};
    const checked = validateSearchRequest(body, now, rules.search, lexicon);
    return this.db.transaction(async (tx) => {
      const actor = await accessActor(tx, principal, options.clientAddress, options.noticeHash);
      const base = (
        request?: SearchRequest,
      ): Omit<NewSearchRow, 'outcome' | 'category' | 'sensitiveState' | 'sensitiveSites'> => {
        const plate = request ? plateMode(request) : null;
        return {
          userId: actor.userId,
          username: actor.username,
          agencyId: actor.agencyId,
          platePattern: plate?.pattern ?? null,
          plateMode: plate?.mode ?? null,
          from: request?.from ?? null,
          to: request?.to ?? null,
          cameras: request?.cameraIds ?? null,
          area: request?.area ?? null,
          crimeType: request?.crimeType.code ?? rawText(input.crimeType, 64),
          caseNumber: request?.caseNumber ?? rawText(input.caseNumber, 64),
          justification: request?.justification.text ?? rawText(input.justification),
          lexiconVersion: lexicon.version,
          noticeHash: actor.noticeHash,
          clientAddress: actor.clientAddress,
        };
      };
      const audit = async (
        kind: (typeof AccessAuditKind)[keyof typeof AccessAuditKind],
        searchId: number,
        outcome: string,
        category: string | null,
        request: SearchRequest | undefined,
        detail: Record<string, unknown>,
      ) => {
        await this.audit.append(
          tx,
          accessEvent(kind, actor, {
            query: queryTerms(input, request),
            purpose: request?.justification.text ?? rawText(input.justification),
            caseNumber: request?.caseNumber ?? rawText(input.caseNumber, 64),
            crimeType: request?.crimeType.code ?? rawText(input.crimeType, 64),
            outcome,
            category,
            lexiconVersion: lexicon.version,
            detail: { searchId, ...detail },
          }),
          now,
        );
      };

      if (!checked.ok && checked.outcome === 'prohibited') {
        const { screen } = checked;
        const searchId = await this.repo.insert(
          tx,
          {
            ...base(),
            outcome: 'blocked',
            category: screen.category,
            sensitiveState: 'not_needed',
            sensitiveSites: null,
          },
          now,
        );
        await this.repo.alert(
          tx,
          {
            kind: 'search.blocked',
            agencyId: actor.agencyId,
            userId: actor.userId,
            username: actor.username,
            searchId,
            category: screen.category,
            detail: {
              field: screen.field,
              term: screen.term,
              obfuscated: screen.obfuscated,
              lexiconVersion: lexicon.version,
            },
          },
          now,
        );
        await audit(AccessAuditKind.searchBlocked, searchId, 'blocked', screen.category, undefined, {
          field: screen.field,
          term: screen.term,
          obfuscated: screen.obfuscated,
        });
        return {
          kind: 'blocked',
          searchId,
          category: screen.category,
          categoryLabel: screen.categoryLabel,
          basis: screen.basis,
          problems: checked.problems,
        };
      }
      const refuse = async (
        problems: AccessProblem[],
        request?: SearchRequest,
      ): Promise<SearchSubmitResult> => {
        const category = problems[0]?.code ?? 'invalid';
        const searchId = await this.repo.insert(
          tx,
          {
            ...base(request),
            outcome: 'refused',
            category,
            sensitiveState: 'not_needed',
            sensitiveSites: null,
          },
          now,
        );
        await audit(AccessAuditKind.searchRefused, searchId, 'refused', category, request, {
          problems: problems.map((p) => ({ field: p.field, code: p.code ?? null })),
        });
        return { kind: 'refused', searchId, problems };
      };
      // AC-04: no search before a recorded supervisor approval and a current training date.
      const eligible = checkSearchEligibility(options.account, now, rules.accounts);
      if (!eligible.ok) return refuse(eligible.problems, checked.ok ? checked.value : undefined);
      if (!checked.ok) return refuse(checked.problems);
      const request = checked.value;

      const agencyIds = await searchableAgencyIds(tx, actor.agencyId, now);
      const cameras = await camerasInScope(tx, agencyIds);
      // The cameras are already limited to the scope above; the pure rule checks the named ones are in it.
      const scope = searchScope({
        userAgency: actor.agencyOri,
        grants: [],
        cameras: cameras.map((c) => ({ id: c.id, agency: actor.agencyOri })),
        requestedCameraIds: request.cameraIds,
        now,
      });
      if (!scope.ok) return refuse(scope.problems, request);

      let sites: SiteTouch[] = [];
      // The cameras the results are read from: those named, or (an area) those whose sector reaches it.
      let searchedCameras = request.cameraIds;
      if (request.cameraIds !== null || request.area !== null) {
        const decision = screenSensitiveSearch({
          cameraIds: request.cameraIds,
          area: request.area,
          cameras,
          registry: await currentPreparedRegistry(tx),
          buffersM: rules.queryBufferM,
        });
        if (decision.decision === 'refuse') {
          return refuse([{ field: 'cameras', code: decision.reason, message: decision.detail }], request);
        }
        if (decision.decision === 'needs_command_approval') sites = decision.sites;
        if (request.area !== null) searchedCameras = [...new Set(decision.cameraIds)];
      }
      const pending = sites.length > 0;
      const searchId = await this.repo.insert(
        tx,
        {
          ...base(request),
          cameras: searchedCameras,
          outcome: pending ? 'pending' : 'allowed',
          category: pending ? 'sensitive_site' : null,
          sensitiveState: pending ? 'pending' : 'not_needed',
          sensitiveSites: pending ? sites : null,
        },
        now,
      );
      if (pending) {
        await audit(AccessAuditKind.searchPendingApproval, searchId, 'pending', 'sensitive_site', request, {
          sites: sites.map((s) => ({
            siteId: s.siteId,
            category: s.category,
            via: s.via,
            cameraId: s.cameraId ?? null,
          })),
        });
        return { kind: 'pending', searchId, sites };
      }
      await audit(AccessAuditKind.searchAllowed, searchId, 'allowed', null, request, {
        partialPlate: request.flags.partialPlate,
      });
      return { kind: 'allowed', searchId, partial: request.flags.partialPlate };
    });
  }

  /** A command user approves or denies a pending sensitive-site search of their own agency. */
  async decide(
    principal: UserPrincipal,
    searchId: number,
    body: { approve?: unknown; reason?: unknown },
    options: { now: number; clientAddress: string | null },
  ): Promise<SearchDecisionResult> {
    const reason = rawText(body.reason);
    if (typeof body.approve !== 'boolean' || !reason) {
      return { ok: false, code: 'invalid', message: 'give approve (true or false) and a reason' };
    }
    const approve = body.approve;
    return this.db.transaction(async (tx): Promise<SearchDecisionResult> => {
      const actor: AccessActor = await accessActor(tx, principal, options.clientAddress);
      const search = await this.repo.get(tx, searchId, { forUpdate: true });
      // Another agency's search is "not found": records stay within their agency (AC-02).
      if (!search || search.agencyId !== actor.agencyId) {
        return { ok: false, code: 'not_found', message: `no search ${searchId} of your agency` };
      }
      if (search.outcome !== 'pending') {
        return {
          ok: false,
          code: 'not_pending',
          message: `search ${searchId} is not waiting for approval (${search.outcome})`,
        };
      }
      await this.repo.decide(
        tx,
        searchId,
        { approve, byId: actor.userId, by: actor.username, reason },
        options.now,
      );
      await this.audit.append(
        tx,
        accessEvent(approve ? AccessAuditKind.searchApproved : AccessAuditKind.searchDenied, actor, {
          query: {
            plate: search.plate,
            mode: search.plateMode,
            from: search.from,
            to: search.to,
            cameras: search.cameras,
          },
          purpose: reason,
          caseNumber: search.caseNumber,
          crimeType: search.crimeType,
          outcome: approve ? 'approved' : 'denied',
          category: 'sensitive_site',
          lexiconVersion: search.lexiconVersion,
          detail: { searchId, searcher: search.username, sites: search.sensitiveSites },
        }),
        options.now,
      );
      return { ok: true, searchId, outcome: approve ? 'allowed' : 'denied' };
    });
  }

  /** The user's own searches, newest first (no one else's: AC-02). */
  history(principal: UserPrincipal, limit = 100) {
    return this.repo.listForUser(this.db, principal.userId, limit);
  }
}
