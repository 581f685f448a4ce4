// The search rules in force, built once per hub process from the validated config: the access rules
// (case-number format, justification, plate, retention days) and the prohibited-purpose lexicon, from
// `access.lexiconPath` when set, else the built-in one. A lexicon file that does not compile stops the
// hub at start rather than screening with nothing (fail closed).
import { readFileSync } from 'node:fs';
import { type AccessRules, accessRulesFromConfig } from '../../shared/access/access-rules.js';
import type { CompiledLexicon } from '../../shared/access/lexicon.js';
import { parseLexicon } from '../../shared/access/lexicon-compile.js';
import { DEFAULT_COMPILED_LEXICON } from '../../shared/access/lexicon-default.js';
import type { AlprConfig } from '../../shared/config/schema.js';

export interface SearchRuleSet {
  rules: AccessRules;
  lexicon: CompiledLexicon;
  retentionDays: number;
}

export function searchRuleSet(config: AlprConfig): SearchRuleSet {
  const retentionDays = config.retention.days;
  let lexicon = DEFAULT_COMPILED_LEXICON;
  if (config.access.lexiconPath) {
    const parsed = parseLexicon(readFileSync(config.access.lexiconPath, 'utf8'));
    if (!parsed.ok) {
      throw new Error(
        `access.lexiconPath ${config.access.lexiconPath} is not a valid lexicon: ${parsed.problems
          .map((p) => `${p.field}: ${p.message}`)
          .join('; ')}`,
      );
    }
    lexicon = parsed.value;
  }
  return { rules: accessRulesFromConfig(config.access, retentionDays), lexicon, retentionDays };
}
