import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../shared/runtime/paths.js';

// The access rules are pure (DESIGN.md): no I/O, no clock, no randomness, no environment. Crypto with
// node:crypto lives in shared/crypto; hashing reaches shared/access only through shared/canonical-json.
const DIR = path.join(PROJECT_ROOT, 'shared', 'access');
const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));
const source = (f: string) => readFileSync(path.join(DIR, f), 'utf8');
const imports = (f: string) => [...source(f).matchAll(/from '([^']+)'/g)].map((m) => m[1]!);

describe('shared/access is pure', () => {
  it.each(files)('%s imports no node built-in, store, HTTP, logging or I/O package', (f) => {
    for (const spec of imports(f)) {
      expect(spec).not.toMatch(/^node:|^(fs|path|os|child_process|http|https|net|crypto)$/);
      expect(spec).not.toMatch(/\/(store|http|logging|runtime\/(paths|processes|shutdown))\b/);
      expect(spec).not.toMatch(
        /^(better-sqlite3|pg|@electric-sql|bullmq|ioredis|pino|sharp|onnxruntime-node|fastify)/,
      );
    }
  });

  it.each(files)('%s reads no clock, randomness or environment (now is an argument)', (f) => {
    const code = source(f).replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
    expect(code).not.toMatch(
      /Date\.now\(|new Date\(\)|Math\.random|performance\.now|process\.env|readFile|writeFile/,
    );
  });

  it('documents every exported function with a doc comment and an example', () => {
    const missing: string[] = [];
    for (const f of files) {
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
