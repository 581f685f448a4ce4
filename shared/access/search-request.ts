// What a search request must contain: a plate, a time range within
// retention, optional cameras or area, a listed crime type, a case number in the configured format and
// a specific justification, all screened for prohibited purposes. Nothing in a request can widen its
// scope: unknown fields (an agency, "statewide", "national") are refused, and the agencies searched come
// from search-scope.ts alone. One ordered pure function, like the edge gate.
import { POLICY_RETENTION_DAYS } from '../config/retention.schema.js';
import type { LngLat } from '../geofence/local-frame.js';
import { type CrimeType, findCrimeType } from './crime-types.js';
import {
  checkJustification,
  DEFAULT_JUSTIFICATION_RULES,
  type Justification,
  type JustificationRules,
} from './justification.js';
import type { CompiledLexicon } from './lexicon.js';
import { DEFAULT_COMPILED_LEXICON } from './lexicon-default.js';
import {
  DEFAULT_PLATE_QUERY_RULES,
  type PlateQuery,
  type PlateQueryRules,
  parsePlateQuery,
} from './plate-query.js';
import type { AccessProblem } from './problems.js';
import { type PurposeScreen, screenPurpose } from './purpose-screen.js';
import {
  type CaseNumberRules,
  checkArea,
  checkCameras,
  checkCaseNumber,
  checkTimeRange,
} from './search-fields.js';

/** The fields a search may carry; anything else is refused. */
export const SEARCH_FIELDS = [
  'plate',
  'from',
  'to',
  'cameras',
  'area',
  'crimeType',
  'caseNumber',
  'justification',
] as const;

export interface SearchRules extends CaseNumberRules {
  justification: JustificationRules;
  plate: PlateQueryRules;
  /** Retention in days (capped at the policy's 30 whatever is passed). */
  retentionDays: number;
  /** Most cameras one search may list (default 100). */
  maxCameras?: number;
}

export const DEFAULT_CASE_NUMBER_PATTERN = /^\d{2}-\d{6}$/;

export const DEFAULT_SEARCH_RULES: SearchRules = {
  caseNumberPattern: DEFAULT_CASE_NUMBER_PATTERN,
  caseNumberExample: '26-000123',
  justification: DEFAULT_JUSTIFICATION_RULES,
  plate: DEFAULT_PLATE_QUERY_RULES,
  retentionDays: POLICY_RETENTION_DAYS,
};

export interface SearchRequest {
  plate: PlateQuery;
  from: number;
  to: number;
  /** Cameras named by the request, deduplicated; null when the request names none. */
  cameraIds: string[] | null;
  /** A GeoJSON Polygon's rings ([lng, lat]), when the request limits the search to an area. */
  area: LngLat[][] | null;
  crimeType: CrimeType;
  caseNumber: string;
  justification: Justification;
  /** Flags for the audit and anomaly metrics. */
  flags: { partialPlate: boolean };
  lexiconVersion: string;
}

export type SearchValidation =
  | { ok: true; value: SearchRequest }
  | { ok: false; outcome: 'invalid'; problems: AccessProblem[]; lexiconVersion: string }
  | {
      ok: false;
      /** A prohibited purpose: 422, audited as blocked, compliance alerted (whatever else is wrong). */
      outcome: 'prohibited';
      screen: Extract<PurposeScreen, { blocked: true }>;
      problems: AccessProblem[];
      lexiconVersion: string;
    };

/**
 * Validate a search request at `now`. The screen runs first and wins: a request naming a prohibited
 * purpose is reported as prohibited even when other fields are also wrong, so every such attempt is
 * counted. Otherwise every problem is listed at once.
 * @example validateSearchRequest({ plate: '7ABC123', from: '2026-03-01T00:00:00Z', to: '2026-03-02T00:00:00Z',
 *   crimeType: 'robbery', caseNumber: '26-000123', justification: 'armed robbery at the Valero on King Rd, white Civic' },
 *   Date.parse('2026-03-10T00:00:00Z')) // { ok: true, value: { plate: { kind: 'exact', ... }, ... } }
 */
export function validateSearchRequest(
  input: unknown,
  now: number,
  rules: SearchRules = DEFAULT_SEARCH_RULES,
  lexicon: CompiledLexicon = DEFAULT_COMPILED_LEXICON,
): SearchValidation {
  const lexiconVersion = lexicon.version;
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return {
      ok: false,
      outcome: 'invalid',
      lexiconVersion,
      problems: [{ field: '', message: 'a search must be an object' }],
    };
  }
  const raw = input as Record<string, unknown>;
  const problems: AccessProblem[] = [];
  for (const key of Object.keys(raw)) {
    if (!(SEARCH_FIELDS as readonly string[]).includes(key)) {
      problems.push({
        field: key,
        code: 'unknown_field',
        message: `unknown field; a search covers only your agency's cameras and approved California shares, and takes ${SEARCH_FIELDS.join(', ')}`,
      });
    }
  }
  const badType = new Set<string>();
  const text = (key: string): string | undefined => {
    const v = raw[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    problems.push({ field: key, code: 'bad_type', message: 'must be text' });
    badType.add(key);
    return undefined;
  };
  const caseNumberText = text('caseNumber');
  const justificationText = text('justification');
  const screen = screenPurpose({ justification: justificationText, caseNumber: caseNumberText }, lexicon);

  const plate = parsePlateQuery(text('plate'), rules.plate);
  if (!plate.ok) problems.push(...plate.problems);
  const range = checkTimeRange(raw.from, raw.to, now, rules.retentionDays, problems);
  const cameraIds = checkCameras(raw.cameras, rules.maxCameras ?? 100, problems);
  const area = checkArea(raw.area, problems);
  const crimeCode = text('crimeType');
  const crimeType = crimeCode === undefined ? undefined : findCrimeType(crimeCode.trim());
  if (crimeCode === undefined || crimeCode.trim() === '') {
    problems.push({
      field: 'crimeType',
      code: 'missing',
      message: 'a crime type from the listed offences is required',
    });
  } else if (!crimeType) {
    problems.push({
      field: 'crimeType',
      code: 'unknown_crime_type',
      message: `"${crimeCode}" is not a listed offence type`,
    });
  }
  const caseNumber = checkCaseNumber(caseNumberText, rules, problems);
  const justification = checkJustification(justificationText, rules.justification);
  if (!justification.ok) problems.push(...justification.problems);
  // A field of the wrong type is reported once, not also as missing.
  for (let i = problems.length - 1; i >= 0; i--) {
    if (problems[i]!.code === 'missing' && badType.has(problems[i]!.field)) problems.splice(i, 1);
  }

  if (screen.blocked) {
    problems.unshift({
      field: screen.field,
      code: 'prohibited_purpose',
      message: `names a prohibited purpose (${screen.categoryLabel}: "${screen.term}"; ${screen.basis})`,
    });
    return { ok: false, outcome: 'prohibited', screen, problems, lexiconVersion };
  }
  if (
    problems.length > 0 ||
    !plate.ok ||
    !range ||
    !crimeType ||
    caseNumber === undefined ||
    !justification.ok
  ) {
    return { ok: false, outcome: 'invalid', problems, lexiconVersion };
  }
  return {
    ok: true,
    value: {
      plate: plate.value,
      from: range.from,
      to: range.to,
      cameraIds,
      area,
      crimeType,
      caseNumber,
      justification: justification.value,
      flags: { partialPlate: plate.value.partial },
      lexiconVersion,
    },
  };
}
