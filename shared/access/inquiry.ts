// An inquiry from an agency without standing access (SH-04, SH-03): the requesting California agency,
// the officer, and a complete search (crime type, case number, justification, screened like any search).
// Valid inquiries then wait for a command approval of the data-owning agency (checkApproval 'inquiry').
import { type Agency, checkOri, validateAgency } from './agencies.js';
import type { CompiledLexicon } from './lexicon.js';
import { DEFAULT_COMPILED_LEXICON } from './lexicon-default.js';
import type { AccessProblem } from './problems.js';
import type { PurposeScreen } from './purpose-screen.js';
import {
  DEFAULT_SEARCH_RULES,
  type SearchRequest,
  type SearchRules,
  validateSearchRequest,
} from './search-request.js';

export interface Inquiry {
  agency: Agency;
  officer: string;
  search: SearchRequest;
}

export type InquiryValidation =
  | { ok: true; value: Inquiry }
  | { ok: false; outcome: 'invalid'; problems: AccessProblem[] }
  | {
      ok: false;
      outcome: 'prohibited';
      screen: Extract<PurposeScreen, { blocked: true }>;
      problems: AccessProblem[];
    };

/**
 * Validate an inquiry `{ agency: ORI, officer, search: {...} }` at `now`. `findAgency` looks the ORI up
 * among registered agencies; an unregistered or ineligible agency is refused.
 * @example validateInquiry({ agency: 'CA0410900', officer: 'Det. R. Moreno #4411', search }, now, findAgency)
 *   // { ok: true, value: { agency: { name: 'Palo Alto Police Department', ... }, officer: 'Det. R. Moreno #4411', search: {...} } }
 */
export function validateInquiry(
  input: { agency?: unknown; officer?: unknown; search?: unknown },
  now: number,
  findAgency: (ori: string) => unknown,
  rules: SearchRules = DEFAULT_SEARCH_RULES,
  lexicon: CompiledLexicon = DEFAULT_COMPILED_LEXICON,
): InquiryValidation {
  const problems: AccessProblem[] = [];
  let agency: Agency | undefined;
  const ori = checkOri(input.agency, 'agency');
  if (!ori.ok) problems.push(...ori.problems);
  else {
    const record = findAgency(ori.value);
    const valid = record === undefined ? undefined : validateAgency(record);
    if (!valid)
      problems.push({
        field: 'agency',
        code: 'unknown_agency',
        message: `no registered agency has ORI ${ori.value}`,
      });
    else if (!valid.ok) {
      problems.push({
        field: 'agency',
        code: 'ineligible_agency',
        message: valid.problems.map((p) => p.message).join('; '),
      });
    } else agency = valid.value;
  }
  const officer =
    typeof input.officer === 'string' ? input.officer.normalize('NFKC').trim().replace(/\s+/gu, ' ') : '';
  if (officer.length < 3 || officer.length > 100) {
    problems.push({
      field: 'officer',
      code: 'missing',
      message: 'the requesting officer (name and badge, 3-100 characters) is required',
    });
  }
  const search = validateSearchRequest(input.search ?? {}, now, rules, lexicon);
  if (!search.ok)
    problems.push(...search.problems.map((p) => ({ ...p, field: p.field ? `search.${p.field}` : 'search' })));
  if (!search.ok && search.outcome === 'prohibited')
    return { ok: false, outcome: 'prohibited', screen: search.screen, problems };
  if (problems.length > 0 || !search.ok || !agency) return { ok: false, outcome: 'invalid', problems };
  return { ok: true, value: { agency, officer, search: search.value } };
}
