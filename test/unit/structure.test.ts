// The layout's promises, checked on the source (like deployment-files.test.ts checks the deployment files):
// the policy folders are pure (nothing they load, directly or through other modules, does I/O), the three
// processes (edge, worker, hub) never import each other, shared/ imports none of them, and the active-hold
// SQL condition has one owner. A new import that breaks a promise fails here, naming the file.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../shared/runtime/paths.js';

/** Folders (and single files) holding policy rules: pure code, time and input as arguments. */
const PURE = [
  'shared/access',
  'shared/geofence',
  'shared/plates',
  'shared/policy',
  'shared/oversight',
  'shared/events/delivery-policy.ts',
  'shared/events/event-catalog.ts',
  'shared/events/forwarding-lag.ts',
  'shared/events/plate-free.ts',
  'shared/events/rate-rule.ts',
];

/** Modules that do I/O (or load native code): none may be reached from a pure module. */
const IO_MODULES = [
  /^node:/,
  /^better-sqlite3$/,
  /^sharp$/,
  /^onnxruntime-node$/,
  /^bullmq$/,
  /^ioredis$/,
  /^pg$/,
  /^@electric-sql\/pglite/,
  /^fastify$/,
  /^@fastify\//,
  /^pino$/,
];

/**
 * Modules outside the pure folders that a pure module may load though they import node:*, with why.
 * Hashing is a deterministic function of its input: no clock, no randomness, no I/O.
 */
const DETERMINISTIC_PRIMITIVES: Record<string, string> = {
  'shared/canonical-json.ts': 'RFC 8785 canonical JSON and SHA-256 over it (node:crypto createHash)',
};

const PROCESSES = ['edge', 'worker', 'hub'] as const;

function filesUnder(rel: string): string[] {
  const abs = path.join(PROJECT_ROOT, rel);
  if (statSync(abs).isFile()) return [rel];
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(rel, f));
}

interface Import {
  specifier: string;
  /** `import type` / `export type`: erased, loads nothing at run time. */
  typeOnly: boolean;
  /** `import('…')` at run time: loaded only when that code path runs. */
  dynamic?: boolean;
}

/** Static, re-export, side-effect and dynamic imports of a source file. */
function importsOf(rel: string): Import[] {
  const source = readFileSync(path.join(PROJECT_ROOT, rel), 'utf8');
  const found: Import[] = [];
  const statement = /^\s*(import|export)(\s+type)?\s[^;'"]*?from\s*['"]([^'"]+)['"]/gm;
  for (const m of source.matchAll(statement)) found.push({ specifier: m[3]!, typeOnly: m[2] !== undefined });
  for (const m of source.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm))
    found.push({ specifier: m[1]!, typeOnly: false });
  for (const m of source.matchAll(/(typeof\s+)?\bimport\(\s*['"]([^'"]+)['"]\s*\)/g))
    found.push({ specifier: m[2]!, typeOnly: m[1] !== undefined, dynamic: true });
  return found;
}

/** Project-relative path of a relative import (`./x.js` → the `.ts` file), or undefined for a package. */
function resolveLocal(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = path.normalize(path.join(path.dirname(from), specifier));
  const ts = target.replace(/\.js$/, '.ts');
  return existsSync(path.join(PROJECT_ROOT, ts)) ? ts : target;
}

/** Every I/O module a file loads at run time, directly or through its value imports, with the chain. */
function ioReachedFrom(entry: string): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string, chain: string[]) => {
    if (seen.has(file) || file in DETERMINISTIC_PRIMITIVES) return;
    seen.add(file);
    if (!file.endsWith('.ts')) return; // JSON data and the like
    for (const { specifier, typeOnly } of importsOf(file)) {
      if (typeOnly) continue;
      const local = resolveLocal(file, specifier);
      if (local) visit(local, [...chain, local]);
      else if (IO_MODULES.some((re) => re.test(specifier))) problems.push([...chain, specifier].join(' → '));
    }
  };
  visit(entry, [entry]);
  return problems;
}

describe('pure policy folders', () => {
  const files = PURE.flatMap(filesUnder);

  it('are found (the list names folders that exist)', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('import no node:* module or I/O package themselves', () => {
    const direct = files.flatMap((file) =>
      importsOf(file)
        .filter((i) => IO_MODULES.some((re) => re.test(i.specifier)))
        .map((i) => `${file} → ${i.specifier}`),
    );
    expect(direct).toEqual([]);
  });

  it('load no node:* module, database, image, model, queue or web-server package, even indirectly', () => {
    expect(files.flatMap(ioReachedFrom)).toEqual([]);
  });

  it('is a check that bites: an adapter is reported with the chain that reaches it', () => {
    expect(ioReachedFrom('shared/store/crop-files.ts')).toContain(
      'shared/store/crop-files.ts → node:fs/promises',
    );
    expect(ioReachedFrom('shared/holds/hold.service.ts').length).toBeGreaterThan(0);
  });
});

describe('process boundaries', () => {
  const top = (rel: string) => rel.split(path.sep)[0]!;

  for (const proc of PROCESSES) {
    it(`${proc}/ imports nothing from the other processes or the CLI`, () => {
      const crossings = filesUnder(proc).flatMap((file) =>
        importsOf(file)
          .map((i) => resolveLocal(file, i.specifier))
          .filter((target): target is string => target !== undefined)
          .filter((target) => top(target) !== proc && top(target) !== 'shared' && top(target) !== 'models')
          .map((target) => `${file} → ${target}`),
      );
      expect(crossings).toEqual([]);
    });
  }

  it('shared/ imports no process, the CLI or the simulators', () => {
    const crossings = filesUnder('shared').flatMap((file) =>
      importsOf(file)
        .map((i) => resolveLocal(file, i.specifier))
        .filter((target): target is string => target !== undefined && top(target) !== 'shared')
        .map((target) => `${file} → ${target}`),
    );
    expect(crossings).toEqual([]);
  });
});

describe('demo and simulation tooling (sim/) is out of the production tree', () => {
  it('is loaded by no production module except on demand by `alpr demo`, so the image can leave it out', () => {
    const loads = ['edge', 'worker', 'hub', 'shared', 'cli', 'tools', 'models'].flatMap((dir) =>
      filesUnder(dir).flatMap((file) =>
        importsOf(file)
          .filter((i) => !i.typeOnly && !i.dynamic)
          .map((i) => resolveLocal(file, i.specifier))
          .filter((target): target is string => target?.startsWith(`sim${path.sep}`) === true)
          .map((target) => `${file} → ${target}`),
      ),
    );
    expect(loads).toEqual([]);
  });

  it('is not copied into the container image', () => {
    const dockerfile = readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^COPY tools /m);
    expect(dockerfile).not.toMatch(/^COPY (\S+ )*sim\b/m);
    expect(dockerfile).not.toMatch(/^COPY \. /m);
  });
});

describe('one owner per SQL rule', () => {
  it('spells the active-hold condition out only in active-hold.sql.ts (and in migration history)', () => {
    const owners = ['shared', 'worker', 'edge', 'cli']
      .flatMap(filesUnder)
      .filter((file) =>
        /hold_reads\s+hr\s+JOIN\s+holds\s+h/.test(readFileSync(path.join(PROJECT_ROOT, file), 'utf8')),
      )
      .filter((file) => !/migration/.test(file));
    expect(owners).toEqual(['shared/store/active-hold.sql.ts']);
  });
});

describe('crop files have one owner', () => {
  it('lays out, resolves (contained), unlinks and sweeps crops only in shared/store/crop-files.ts', () => {
    const definers = ['shared', 'worker', 'edge', 'cli']
      .flatMap(filesUnder)
      .filter((file) =>
        /function\s+(resolveCropPath|cropRelativePath|unlinkCrops|sweepOrphanCrops)\b/.test(
          readFileSync(path.join(PROJECT_ROOT, file), 'utf8'),
        ),
      );
    expect(definers).toEqual(['shared/store/crop-files.ts']);
  });
});
