// TP-02 (figures validated, "unavailable" never NaN), TP-05 (the published policy has SB 34's sections
// A-G), the verbatim sharing statement, CMP-04 (random sample, tally) and detached report signatures.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { signReport, verifyReport } from '../../../shared/crypto/report-signature.js';
import { drawSample, sampleTally } from '../../../shared/oversight/case-sample.js';
import {
  buildPortal,
  checkFigure,
  type PortalFacts,
  SHARING_STATEMENT,
  showFigure,
  UNAVAILABLE,
} from '../../../shared/oversight/portal.js';
import { SB34_REQUIRED_SECTIONS, usagePolicy } from '../../../shared/oversight/usage-policy.js';
import { findSharedDir } from '../../support/shared-assets.js';

const policyPath = findSharedDir('POLICY.md');

function facts(overrides: Partial<PortalFacts> = {}): PortalFacts {
  return {
    retentionDays: 30,
    camerasActive: 4,
    camerasCompliant: 4,
    readsRefusedSensitive: 0,
    agencies: [{ name: 'San José Police Department', type: 'local_le', home: true }],
    agenciesBasis: 'grants',
    hotlistSources: ['ncic_stolen_vehicle'],
    hotlistBasis: 'allowlist',
    readsStored: 100,
    readsLast30Days: 90,
    hitsLast30Days: 1,
    hitsConfirmed30d: 1,
    hitsUnverified30d: 0,
    searchesInternal30d: 3,
    searchesExternal30d: 0,
    blockedByCategory: { immigration: 1 },
    lastAudit: null,
    heads: [],
    updatedAt: Date.UTC(2026, 2, 1),
    ...overrides,
  };
}

describe('portal figures (TP-02)', () => {
  it.each([Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, -1, 1.5, null, undefined, '12'])(
    'publishes %s as "unavailable" and raises an alert',
    (bad) => {
      expect(checkFigure(bad)).toBeNull();
      const { model, alerts } = buildPortal(facts({ camerasActive: bad }));
      expect(model.cameras.active).toBeNull();
      expect(showFigure(model.cameras.active)).toBe(UNAVAILABLE);
      expect(alerts).toEqual(['cameras.active']);
      expect(model.unavailable).toEqual(['cameras.active']);
      expect(JSON.stringify(model)).not.toMatch(/NaN|Infinity/);
    },
  );

  it('publishes valid counts as they are, with no alert', () => {
    const { model, alerts } = buildPortal(facts());
    expect(alerts).toEqual([]);
    expect(model.retentionDays).toBe(30);
    expect(model.blockedByCategory.find((b) => b.category === 'immigration')?.count).toBe(1);
    expect(model.blockedByCategory.find((b) => b.category === 'religious')?.count).toBe(0);
  });
});

describe('the sharing statement', () => {
  it.skipIf(!policyPath)('is the policy’s recommendation (c), verbatim', () => {
    const policy = readFileSync(policyPath!, 'utf8');
    const quoted = /The exact statement[^\n]*\n\n((?:> .*\n)+)/
      .exec(policy)![1]!
      .split('\n')
      .map((l) => l.replace(/^> /, ''))
      .join(' ')
      .trim();
    expect(SHARING_STATEMENT).toBe(quoted);
    expect(buildPortal(facts()).model.sharingStatement).toBe(quoted);
  });
});

describe('usage and privacy policy (TP-05)', () => {
  const policy = usagePolicy({ retentionDays: 30 });
  it('has each section 1798.90.51(b)(2)(A)-(G) requires, in order, none empty', () => {
    expect(policy.map((s) => s.id)).toEqual(SB34_REQUIRED_SECTIONS.map((s) => s.id));
    expect(SB34_REQUIRED_SECTIONS.map((s) => s.id)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G']);
    for (const s of policy) expect(s.paragraphs.join(' ').length).toBeGreaterThan(80);
  });
  it('states the configured retention, and the sharing statement in the sharing section', () => {
    expect(usagePolicy({ retentionDays: 21 }).find((s) => s.id === 'G')!.paragraphs[0]).toContain(
      'kept 21 days',
    );
    expect(policy.find((s) => s.id === 'D')!.paragraphs).toContain(SHARING_STATEMENT);
  });
});

describe('case-number sample (CMP-04)', () => {
  it('draws without replacement, at most the population, uniformly enough', () => {
    const population = Array.from({ length: 20 }, (_, i) => i);
    let seed = 7;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return (seed - 1) / 2147483646;
    };
    const sample = drawSample(population, 5, random);
    expect(new Set(sample).size).toBe(5);
    expect(drawSample(population, 50, random)).toHaveLength(20);
    const hits = new Array(20).fill(0);
    for (let i = 0; i < 4000; i++) for (const x of drawSample(population, 5, random)) hits[x] += 1;
    for (const h of hits) expect(h).toBeGreaterThan(800);
    expect(() => drawSample(population, 0, random)).toThrow(RangeError);
  });
  it('tallies pass and fail and is complete when no item is open', () => {
    expect(sampleTally([{ verdict: 'pass' }, { verdict: 'fail' }, { verdict: null }])).toMatchObject({
      passed: 1,
      failed: 1,
      open: 1,
      complete: false,
      passRate: 0.5,
    });
    expect(sampleTally([{ verdict: 'pass' }]).complete).toBe(true);
  });
});

describe('report signatures', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const bytes = Buffer.from('{"result":"PASSED"}\n');
  const sig = signReport(bytes, 'r.json', privateKey, 1);
  it('verifies the signed bytes and refuses one changed byte, an edited signature or another key', () => {
    expect(verifyReport(bytes, sig, publicKey)).toMatchObject({ ok: true, sha256: sig.sha256 });
    const tampered = Buffer.from(bytes);
    tampered[12] = 'F'.charCodeAt(0);
    expect(verifyReport(tampered, sig, publicKey)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/changed/),
    });
    expect(verifyReport(bytes, { ...sig, signedAt: 2 }, publicKey).ok).toBe(false);
    expect(verifyReport(bytes, sig, generateKeyPairSync('ed25519').publicKey).ok).toBe(false);
    expect(verifyReport(bytes, { nope: 1 }, publicKey).ok).toBe(false);
  });
});
