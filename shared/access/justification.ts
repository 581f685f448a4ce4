// What a justification must say: at least N characters of real text, not padding, and not
// only generic words ("investigation", "inv", "case", "susp veh", "info"): the Los Altos finding was
// searches justified by one vague word. The count of specific words is returned for vagueness metrics.
import type { Checked } from './problems.js';
import { foldText } from './text-fold.js';

export interface JustificationRules {
  /** Minimum characters, counted after whitespace and punctuation runs are collapsed (default 20). */
  minLength: number;
  /** Minimum distinct specific words (not generic, not filler, 3+ letters) (default 2). */
  minSpecificWords: number;
  /** Maximum characters (default 2000). */
  maxLength?: number;
}

export const DEFAULT_JUSTIFICATION_RULES: JustificationRules = {
  minLength: 20,
  minSpecificWords: 2,
  maxLength: 2000,
};

export interface Justification {
  /** The text as stored: NFKC, trimmed, inner whitespace collapsed. */
  text: string;
  /** Distinct specific words found, for per-user vagueness metrics. */
  specificWords: number;
}

/** Words that say nothing about this search: investigative boilerplate and its abbreviations. */
const GENERIC = new Set(
  `investigation investigations investigate investigating investigative investigator inv invest invst investig
  case cases casework susp suspect suspects suspected suspicious suspicion veh vehicle vehicles vehicular car cars
  auto automobile plate plates lpr alpr lookup look query search searching searched check checking checked verify
  verification info information intel intelligence lead leads tip tips followup follow fu research review
  reviewing police law enforcement official business work related purpose purposes reason reasons routine general
  ongoing open active pending current matter matters incident incidents event events report rpt reported request
  requested requesting req ref regarding reg possible poss potential person persons poi interest interested
  criminal crime crimes activity activities needed need needs necessary assist assistance help helping support
  department dept agency officer detective det sgt unit patrol call data history location locate locating
  whereabouts track tracking monitor monitoring surveillance see attached below above none test testing tbd misc
  miscellaneous various etc stuff things thing unknown unk prior previous recent`.split(/\s+/),
);

/** Filler words of English sentences. */
const FILLER = new Set(
  `a an the of for to in on at by with and or from this that these those is was were be been being it its as into
  about our my your his her their them they he she we you re per via who what where when why how which not no yes
  do did does has have had will would can could should may might must also just only then than so such there here
  any all some same other others one two`.split(/\s+/),
);

/**
 * The words of a text as the rules see them: folded, letters and digits only.
 * @example justificationWords('Susp. veh: white Civic') // ['susp', 'veh', 'white', 'civic']
 */
export function justificationWords(text: string): string[] {
  return foldText(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/**
 * Count the distinct words that carry information: 3+ characters, at least one letter, not one repeated
 * character, not generic, not filler.
 * @example specificWordCount('susp veh investigation') // 0
 * @example specificWordCount('robbery at the Valero on King Rd') // 3 (robbery, valero, king)
 */
export function specificWordCount(text: string): number {
  const specific = new Set<string>();
  for (const w of justificationWords(text)) {
    if (w.length < 3 || !/\p{L}/u.test(w) || /^(.)\1*$/u.test(w)) continue;
    if (GENERIC.has(w) || FILLER.has(w)) continue;
    specific.add(w);
  }
  return specific.size;
}

/**
 * Check a justification. Padding does not count toward the length ("investigation......." is 14
 * characters), and text made only of generic words is refused whatever its length.
 * @example checkJustification('investigation investigation', DEFAULT_JUSTIFICATION_RULES)
 *   // { ok: false, problems: [{ field: 'justification', code: 'generic_justification', message: ... }] }
 */
export function checkJustification(
  input: string | undefined,
  rules: JustificationRules = DEFAULT_JUSTIFICATION_RULES,
  field = 'justification',
): Checked<Justification> {
  const text = (input ?? '').normalize('NFKC').trim().replace(/\s+/gu, ' ');
  if (text === '')
    return { ok: false, problems: [{ field, code: 'missing', message: 'a justification is required' }] };
  const maxLength = rules.maxLength ?? 2000;
  if (text.length > maxLength) {
    return {
      ok: false,
      problems: [{ field, code: 'too_long', message: `must be at most ${maxLength} characters` }],
    };
  }
  const effective = foldText(text)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  if ([...effective].length < rules.minLength) {
    return {
      ok: false,
      problems: [
        {
          field,
          code: 'too_short',
          message: `must be at least ${rules.minLength} characters of text (punctuation and spaces runs count once); got ${[...effective].length}`,
        },
      ],
    };
  }
  const specificWords = specificWordCount(text);
  if (specificWords < rules.minSpecificWords) {
    return {
      ok: false,
      problems: [
        {
          field,
          code: 'generic_justification',
          message:
            'is generic: say what happened, where and when, and how this vehicle is connected ' +
            `(at least ${rules.minSpecificWords} specific words; words like "investigation", "case", "susp veh" and "info" do not count)`,
        },
      ],
    };
  }
  return { ok: true, value: { text, specificWords } };
}

export interface VaguenessRow {
  key: string;
  attempts: number;
  /** Attempts refused as generic-only. */
  generic: number;
  /** generic / attempts, 0..1, to 3 places. */
  rate: number;
}

/**
 * Per-user and per-agency vague-reason rates for the audit reports, from the justification
 * outcomes of search attempts (generic = refused as generic-only).
 * @example vagueReasonRates([{ username: 'det.a', agency: 'CA0431100', generic: true }])
 *   // { byUser: [{ key: 'det.a', attempts: 1, generic: 1, rate: 1 }], byAgency: [{ key: 'CA0431100', ... }] }
 */
export function vagueReasonRates(
  attempts: readonly { username: string; agency: string; generic: boolean }[],
): {
  byUser: VaguenessRow[];
  byAgency: VaguenessRow[];
} {
  const tally = (keyOf: (a: (typeof attempts)[number]) => string): VaguenessRow[] => {
    const rows = new Map<string, { attempts: number; generic: number }>();
    for (const a of attempts) {
      const row = rows.get(keyOf(a)) ?? { attempts: 0, generic: 0 };
      row.attempts += 1;
      if (a.generic) row.generic += 1;
      rows.set(keyOf(a), row);
    }
    return [...rows]
      .map(([key, r]) => ({ key, ...r, rate: Math.round((r.generic / r.attempts) * 1000) / 1000 }))
      .sort((x, y) => y.rate - x.rate || y.attempts - x.attempts || (x.key < y.key ? -1 : 1));
  };
  return { byUser: tally((a) => a.username), byAgency: tally((a) => a.agency) };
}
