// The plate part of a search: an exact plate, or a partial one with "?" (exactly one
// character) and "*" (any run). Normalised the way the recognizer stores plates, with the O/0 and I/1
// fold reads are compared on, so "7ABC-123" and "7abc123" search the same; a partial plate is flagged
// for the audit and anomaly metrics, and needs enough literal characters not to match half the city.
import { foldPlateText, normalisePlateText, US_PLATE_FORMAT } from '../plates/plate-format.js';
import type { Checked } from './problems.js';

export interface PlateQueryRules {
  /** Fewest literal characters (letters or digits) a partial plate must keep (default 3). */
  minPartialChars: number;
  /** Longest plate (default 8, the US format). */
  maxLength: number;
}

export const DEFAULT_PLATE_QUERY_RULES: PlateQueryRules = {
  minPartialChars: 3,
  maxLength: US_PLATE_FORMAT.maxLength,
};

export type PlateQuery =
  | { kind: 'exact'; partial: false; plate: string; folded: string }
  | {
      kind: 'partial';
      partial: true;
      /** Normalised pattern, e.g. "7AB?1*". */
      pattern: string;
      /** The pattern with O→0 and I→1, as stored search keys are folded. */
      folded: string;
      /** The folded pattern as a SQL LIKE pattern ("?" → "_", "*" → "%"; nothing else needs escaping). */
      likePattern: string;
      literalChars: number;
    };

const ALLOWED = /^[A-Z0-9?* -]*$/;

/**
 * Parse the plate of a search.
 * @example parsePlateQuery('7abc-123') // { ok: true, value: { kind: 'exact', plate: '7ABC123', folded: '7ABC123', partial: false } }
 * @example parsePlateQuery('7a?c*')    // { ok: true, value: { kind: 'partial', pattern: '7A?C*', likePattern: '7A_C%', ... } }
 */
export function parsePlateQuery(
  input: string | undefined,
  rules: PlateQueryRules = DEFAULT_PLATE_QUERY_RULES,
  field = 'plate',
): Checked<PlateQuery> {
  const text = (input ?? '').normalize('NFKC').toUpperCase().trim();
  const fail = (code: string, message: string): Checked<PlateQuery> => ({
    ok: false,
    problems: [{ field, code, message }],
  });
  if (text === '') return fail('missing', 'a plate (exact, or partial with ? and *) is required');
  if (!ALLOWED.test(text)) {
    const bad = [...text].find((c) => !ALLOWED.test(c));
    return fail(
      'bad_characters',
      `may contain only letters A-Z, digits, "?" and "*"; "${bad}" is not allowed`,
    );
  }
  const compact = text.replace(/[\s-]/g, '').replace(/\*+/g, '*');
  if (!/[?*]/.test(compact)) {
    const plate = normalisePlateText(compact);
    if (plate.length < US_PLATE_FORMAT.minLength || plate.length > rules.maxLength) {
      return fail(
        'bad_length',
        `a plate has ${US_PLATE_FORMAT.minLength}-${rules.maxLength} characters; got ${plate.length}`,
      );
    }
    return { ok: true, value: { kind: 'exact', partial: false, plate, folded: foldPlateText(plate) } };
  }
  const literalChars = compact.replace(/[?*]/g, '').length;
  if (literalChars < rules.minPartialChars) {
    return fail(
      'partial_too_wide',
      `a partial plate needs at least ${rules.minPartialChars} known characters; "${compact}" has ${literalChars}`,
    );
  }
  const fixedLength = compact.replace(/\*/g, '').length;
  if (fixedLength > rules.maxLength) {
    return fail('bad_length', `"${compact}" is longer than a plate (${rules.maxLength} characters)`);
  }
  // Fold each literal segment; the wildcards stay where they are.
  const folded = compact.replace(/[A-Z0-9]+/g, (segment) => foldPlateText(normalisePlateText(segment)));
  return {
    ok: true,
    value: {
      kind: 'partial',
      partial: true,
      pattern: compact,
      folded,
      likePattern: folded.replace(/\?/g, '_').replace(/\*/g, '%'),
      literalChars,
    },
  };
}
