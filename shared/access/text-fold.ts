// Unicode folding shared by every rule that compares text people type: the prohibited-purpose screen,
// identity comparison (approver ≠ requester) and banned-password checks. It owns the lists of invisible
// characters and of look-alike letters (a "skeleton" in the sense of Unicode TR39, for the scripts
// people actually use to dodge a filter: Cyrillic, Greek, Armenian, Cherokee, Latin small capitals),
// script detection, and the leetspeak skeleton used only by the screens.

/** Characters that render as nothing: zero-width spaces and joiners, bidi controls, soft hyphen,
 * variation selectors, tag characters, Hangul fillers. */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}]/gu;

/**
 * Look-alike letters → the Latin letter a reader sees, as "source+target" pairs (the first code point of
 * each pair is the look-alike, the rest its Latin reading). Lower and upper case both listed.
 */
const CONFUSABLE_PAIRS = [
  // Cyrillic
  'аa вb еe ёe һh іi їi јj кk мm нh оo рp сc тt уy хx ѕs ԁd ԛq ԝw ӏl үy',
  'АA ВB ЕE ЁE ҺH ІI ЇI ЈJ КK МM НH ОO РP СC ТT УY ХX ЅS ԀD ԚQ ԜW ӀI ҮY',
  // Greek
  'αa βb γy εe ιi κk νv οo ρp τt υu χx ωw ϲc ϳj ςs',
  'ΑA ΒB ΕE ΖZ ΗH ΙI ΚK ΜM ΝN ΟO ΡP ΤT ΥY ΧX ϹC',
  // Armenian
  'օo սu հh ոn ցg զq ՕO ՍU',
  // Cherokee capitals that copy Latin ones
  'ᎪA ᏴB ᏟC ᎬE ᎻH ᏆI ᏦK ᎷM ᏢP ᏚS ᎢT ᎳW ᏃZ',
  // Latin letters outside A-Z that read as A-Z (small capitals, dotless i, stroked letters)
  'ıi ɪi ʟl ᴀa ʙb ᴄc ᴅd ᴇe ɢg ʜh ᴊj ᴋk ᴍm ɴn ᴏo ᴘp ʀr ꜱs ᴛt ᴜu ᴠv ᴡw ʏy ᴢz ɑa ɡg ȷj',
  'øo ØO đd ĐD ħh ĦH łl ŁL ŧt ŦT ßss ẞSS',
];
const CONFUSABLES = pairTable(CONFUSABLE_PAIRS);
const CONFUSABLE_RE = new RegExp(`[${Object.keys(CONFUSABLES).join('')}]`, 'gu');

/** Scripts we name; letters of any other script count as 'Other'. */
const SCRIPTS = [
  'Latin',
  'Cyrillic',
  'Greek',
  'Armenian',
  'Cherokee',
  'Georgian',
  'Hebrew',
  'Arabic',
  'Devanagari',
  'Thai',
  'Han',
  'Hiragana',
  'Katakana',
  'Hangul',
] as const;
const SCRIPT_RES = SCRIPTS.map((name) => [name, new RegExp(`\\p{Script=${name}}`, 'u')] as const);

/** Leetspeak: digits and symbols read as letters, and l read as i (l/I/1/| look alike in many faces). */
const LEET = pairTable(['0o 1i !i |i li 3e €e 4a @a 5s $s 7t +t 8b 9g']);

function pairTable(lines: readonly string[]): Record<string, string> {
  const table: Record<string, string> = {};
  for (const pair of lines.join(' ').split(' ')) {
    const [source, ...target] = [...pair];
    table[source!] = target.join('');
  }
  return table;
}

/**
 * Positions of invisible characters (code point and UTF-16 index), for rejecting them in identities.
 * @example findInvisible('det\u200b.a') // [{ index: 3, codePoint: 'U+200B' }]
 */
export function findInvisible(text: string): Array<{ index: number; codePoint: string }> {
  return [...text.matchAll(INVISIBLE)].map((m) => ({
    index: m.index,
    codePoint: `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`,
  }));
}

/**
 * Remove invisible characters.
 * @example stripInvisible('I\u200bC\u200dE') // 'ICE'
 */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/**
 * Replace look-alike letters of other scripts by the Latin letter they imitate.
 * @example confusableSkeleton('ІСЕ') // 'ICE' (Cyrillic І, С, Е)
 */
export function confusableSkeleton(text: string): string {
  return text.replace(CONFUSABLE_RE, (c) => CONFUSABLES[c] ?? c);
}

/**
 * Remove combining marks (accents, Zalgo stacks): é → e.
 * @example stripMarks('abórtion') // 'abortion'
 */
export function stripMarks(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
}

/**
 * The scripts of the letters in `text` (digits, punctuation and marks belong to none).
 * @example scriptsOf('pаypal') // Set { 'Latin', 'Cyrillic' }
 */
export function scriptsOf(text: string): Set<string> {
  const found = new Set<string>();
  for (const ch of text.normalize('NFKC')) {
    // Letters shared by scripts (the Japanese long-vowel mark ー) belong to none of them.
    if (!/\p{L}/u.test(ch) || /[\p{Script=Common}\p{Script=Inherited}]/u.test(ch)) continue;
    found.add(SCRIPT_RES.find(([, re]) => re.test(ch))?.[0] ?? 'Other');
  }
  return found;
}

/**
 * True when letters of more than one script are mixed (a classic look-alike trick in names).
 * Japanese (Han + Hiragana + Katakana) counts as one writing system.
 * @example hasMixedScripts('dеt.a') // true (Cyrillic е)
 */
export function hasMixedScripts(text: string): boolean {
  let others = 0;
  let japanese = false;
  for (const script of scriptsOf(text)) {
    if (script === 'Han' || script === 'Hiragana' || script === 'Katakana') japanese = true;
    else others += 1;
  }
  return others + (japanese ? 1 : 0) > 1;
}

/**
 * The comparison form of free text: NFKC (fullwidth, ligatures, mathematical letters → plain), invisible
 * characters removed, look-alikes → Latin, lower case, accents removed.
 * @example foldText('Ｉ.Ｃ.Ｅ.') // 'i.c.e.'
 * @example foldText('Аbоrtiоn') // 'abortion' (Cyrillic А and о)
 */
export function foldText(text: string): string {
  // Skeleton before NFKC too: NFKC turns some look-alikes into other letters (lunate sigma ϲ → ς).
  const latin = confusableSkeleton(stripInvisible(confusableSkeleton(text).normalize('NFKC')));
  // Lower-casing and mark removal can expose more look-alikes (İ → i + dot), so skeleton once more.
  return confusableSkeleton(stripMarks(latin.toLowerCase()));
}

/**
 * A key two spellings of one identity share: folded, trimmed, inner whitespace collapsed. Used to
 * decide "same person" (approver ≠ requester), so look-alikes and stray spaces count as the same.
 * @example identityKey(' Det.A\u200b ') === identityKey('det.а') // true
 */
export function identityKey(text: string): string {
  return foldText(text).trim().replace(/\s+/gu, ' ');
}

/**
 * Leetspeak skeleton of one folded word: 0→o, 1/!/|/l→i, 3→e, 4/@→a, 5/$→s, 7/+→t, 8→b, 9→g.
 * Apply it to both sides of a comparison (it maps l and i together on purpose).
 * @example leetSkeleton('pr0t3st') // 'protest'
 */
export function leetSkeleton(word: string): string {
  let out = '';
  for (const ch of word) out += LEET[ch] ?? ch;
  return out;
}
