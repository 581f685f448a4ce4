import { describe, expect, it } from 'vitest';
import { accessRulesFromConfig } from '../../../shared/access/access-rules.js';
import { parseLexicon } from '../../../shared/access/lexicon-compile.js';
import { DEFAULT_LEXICON } from '../../../shared/access/lexicon-default.js';
import { validateSearchRequest } from '../../../shared/access/search-request.js';
import { parseConfig } from '../../../shared/config/load-config.js';
import { makeSearchInput, NOW } from './factories.js';

const parse = (access: Record<string, unknown>) => parseConfig({ access }, '/srv/alpr');
const issues = (access: Record<string, unknown>) => {
  const r = parse(access);
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
};

describe('the access config section', () => {
  it('defaults to the policy values', () => {
    const r = parse({});
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const a = r.value.config.access;
    expect(a.caseNumberPattern).toBe('^\\d{2}-\\d{6}$');
    expect(a.justificationMinLength).toBe(20);
    expect(a.account).toEqual({ trainingValidDays: 730, inactiveDisableDays: 90, validationDays: 365 });
    expect(a.lockout).toEqual({ maxFailures: 5, lockMinutes: 15 });
    expect(a.session).toEqual({ idleMinutes: 30, absoluteHours: 12, maxConcurrent: 1 });
    expect(a.grants.validDays).toBe(90);
    expect(a.hotlist.maxEntryDays).toBe(30);
    expect(a.lexiconPath).toBeUndefined();
  });

  it('cannot loosen a rule past the policy', () => {
    expect(issues({ justificationMinLength: 10 })[0]).toMatch(/^access\.justificationMinLength: /);
    expect(issues({ session: { idleMinutes: 60 } })[0]).toMatch(/^access\.session\.idleMinutes: /);
    expect(issues({ lockout: { lockMinutes: 5 } })[0]).toMatch(/^access\.lockout\.lockMinutes: /);
    expect(issues({ grants: { validDays: 365 } })[0]).toMatch(/^access\.grants\.validDays: /);
    expect(issues({ hotlist: { maxEntryDays: 90 } })[0]).toMatch(/^access\.hotlist\.maxEntryDays: /);
    expect(issues({ account: { trainingValidDays: 1000 } })[0]).toMatch(
      /^access\.account\.trainingValidDays: /,
    );
    expect(issues({ password: { minLength: 8 } })[0]).toMatch(/^access\.password\.minLength: /);
  });

  it('refuses an immigration hotlist source with its index', () => {
    expect(issues({ hotlist: { sources: ['agency_case', 'ncic_immigration_violator_file'] } })).toEqual([
      expect.stringMatching(
        /^access\.hotlist\.sources\[1\]: "ncic_immigration_violator_file" is an immigration list/,
      ),
    ]);
  });

  it('checks the case-number pattern: valid, anchored, and matching its example', () => {
    expect(issues({ caseNumberPattern: '^(\\d{2}$' })).toEqual([
      'access.caseNumberPattern: not a valid regular expression',
    ]);
    expect(issues({ caseNumberPattern: '\\d{2}-\\d{6}' })[0]).toMatch(/anchored/);
    expect(issues({ caseNumberPattern: '^SJ\\d{8}$' })).toEqual([
      'access.caseNumberExample: does not match caseNumberPattern',
    ]);
    expect(issues({ caseNumberPattern: '^SJ\\d{8}$', caseNumberExample: 'SJ26000123' })).toEqual([]);
  });

  it('refuses unknown keys (no hidden switch such as a national lookup)', () => {
    expect(issues({ nationalLookup: true })[0]).toMatch(/^access\.nationalLookup: /);
  });

  it('resolves lexiconPath against the config directory', () => {
    const r = parse({ lexiconPath: 'lexicon.json' });
    expect(r.ok && r.value.config.access.lexiconPath).toBe('/srv/alpr/lexicon.json');
  });

  it('becomes rules the validators use: a configured case-number format is enforced', () => {
    const r = parse({
      caseNumberPattern: '^SJ\\d{8}$',
      caseNumberExample: 'SJ26000123',
      justificationMinLength: 40,
    });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const rules = accessRulesFromConfig(r.value.config.access, r.value.config.retention.days);
    expect(validateSearchRequest(makeSearchInput({ caseNumber: 'SJ26000123' }), NOW, rules.search).ok).toBe(
      true,
    );
    const refused = validateSearchRequest(
      makeSearchInput({ justification: 'armed robbery at the Valero on King Rd' }),
      NOW,
      rules.search,
    );
    expect(refused).toMatchObject({
      ok: false,
      problems: expect.arrayContaining([expect.objectContaining({ code: 'bad_case_number' })]),
    });
  });
});

describe('parseLexicon', () => {
  it('compiles lexicon file text, and reports bad JSON as a problem', () => {
    expect(parseLexicon(JSON.stringify(DEFAULT_LEXICON))).toMatchObject({ ok: true });
    expect(parseLexicon('{ nope')).toMatchObject({
      ok: false,
      problems: [{ field: '', message: expect.stringMatching(/^not valid JSON/) }],
    });
  });
});
