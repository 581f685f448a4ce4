import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  acknowledgmentGate,
  NOTICE,
  NOTICE_VERSION,
  noticeText,
  noticeVersion,
  SHARING_STATEMENT,
} from '../../../shared/access/notice.js';
import { sha256Hex } from '../../../shared/canonical-json.js';
import { findSharedDir } from '../../support/shared-assets.js';

// The policy document lives in the workplace's shared folder, next to the models and datasets.
const policyPath = findSharedDir('POLICY.md');
const section = (id: string) => NOTICE.sections.find((s) => s.id === id)?.text ?? '';

describe('the notice (ACK-02)', () => {
  it('has the CJIS 5.5.4 elements', () => {
    expect(section('restricted_system')).toMatch(/restricted .*information system/);
    expect(section('monitored_audited')).toMatch(/recorded/);
    expect(section('monitored_audited')).toMatch(/audited/);
    expect(section('unauthorized_use')).toMatch(/prohibited/);
    expect(section('unauthorized_use')).toMatch(/criminal and civil penalties/);
    expect(section('consent_monitoring')).toMatch(/consent to the monitoring/);
  });

  it('has the policy prohibitions', () => {
    expect(section('no_immigration')).toMatch(/immigration enforcement/);
    expect(section('no_sensitive_sites')).toMatch(/reproductive health care/);
    expect(section('no_sensitive_sites')).toMatch(/religious observance/);
    expect(section('no_protected_activity')).toMatch(/protest/);
    expect(section('no_sale')).toMatch(/never be sold/);
    expect(section('california_only')).toBe(SHARING_STATEMENT);
  });

  it.skipIf(!policyPath)('carries the sharing statement of POLICY.md verbatim', () => {
    const policy = readFileSync(policyPath!, 'utf8');
    const quoted = policy
      .split('\n')
      .filter((line) => line.startsWith('> '))
      .map((line) => line.slice(2).trim())
      .join(' ');
    expect(quoted).toBe(SHARING_STATEMENT);
  });
});

describe('the notice version (ACK-03)', () => {
  it('is the SHA-256 of the canonical text', () => {
    expect(NOTICE_VERSION).toBe(sha256Hex(noticeText(NOTICE)));
    expect(noticeText(NOTICE)).toMatch(
      /^Restricted system: San José ALPR hub\n\nRestricted system\nYou are accessing/,
    );
  });

  it('changes when any word changes', () => {
    const edited = {
      ...NOTICE,
      sections: NOTICE.sections.map((s, i) => (i === 0 ? { ...s, text: `${s.text} ` } : s)),
    };
    expect(noticeVersion(edited)).not.toBe(NOTICE_VERSION);
  });
});

describe('acknowledgmentGate (ACK-01, ACK-03)', () => {
  it('opens only for this session and the current version', () => {
    expect(acknowledgmentGate('s1', { sessionId: 's1', version: NOTICE_VERSION, at: 1 })).toEqual({
      ok: true,
    });
    expect(acknowledgmentGate('s1', null)).toEqual({ ok: false, reason: 'not_acknowledged' });
    expect(acknowledgmentGate('s2', { sessionId: 's1', version: NOTICE_VERSION, at: 1 })).toEqual({
      ok: false,
      reason: 'other_session',
    });
  });

  it('closes when the notice version changes: a new version forces a new acceptance', () => {
    const old = { sessionId: 's1', version: NOTICE_VERSION, at: 1 };
    expect(acknowledgmentGate('s1', old, 'f'.repeat(64))).toEqual({ ok: false, reason: 'outdated_version' });
  });
});
