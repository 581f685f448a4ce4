import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../shared/runtime/paths.js';

// The event model is pure (DESIGN.md): the catalog, the plate-free check, the rate rule and the delivery
// policy read no clock, no randomness, no files and no network; ids and `now` are arguments.
const PURE = ['event-catalog.ts', 'plate-free.ts', 'rate-rule.ts', 'delivery-policy.ts', 'forwarding-lag.ts'];
const source = (f: string) => readFileSync(path.join(PROJECT_ROOT, 'shared', 'events', f), 'utf8');

describe('shared/events pure modules', () => {
  it.each(PURE)('%s imports nothing but zod and other pure modules', (f) => {
    for (const [, spec] of source(f).matchAll(/from '([^']+)'/g)) {
      expect(spec).toMatch(
        /^(zod|\.\/(event-catalog|plate-free|rate-rule|delivery-policy|forwarding-lag)\.js|\.\.\/geofence\/gate-decision\.js)$/,
      );
    }
  });

  it.each(PURE)('%s reads no clock, randomness or environment', (f) => {
    const code = source(f).replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
    expect(code).not.toMatch(
      /Date\.now\(|new Date\(\)|Math\.random|performance\.now|process\.env|readFile|writeFile/,
    );
  });

  it('documents every exported function with an example', () => {
    const missing: string[] = [];
    for (const f of [...PURE, 'webhook-signature.ts']) {
      const text = source(f);
      for (const m of text.matchAll(/^export (?:async )?function (\w+)/gm)) {
        const before = text.slice(0, m.index).trimEnd();
        const doc = before.endsWith('*/') ? before.slice(before.lastIndexOf('/**')) : '';
        if (!doc.includes('@example')) missing.push(`${f}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
