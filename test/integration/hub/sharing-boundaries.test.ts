// What must not exist (SH-02, SH-09): no national or federal lookup anywhere (no route, no config key, no
// toggle in the code, and the config schema refuses any sharing mode it does not know), and no route,
// role or tier that sells or bulk-exports data: the only data exports are the capped, supervisor-approved
// CSV exports of an own search, behind a signed-in user's export permission.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { HubRoute } from '../../../hub/http/hub-route.js';
import { HUB_FEATURES } from '../../../hub/hub-features.js';
import { sharingRoutes } from '../../../hub/sharing/sharing.routes.js';
import { ROLES } from '../../../shared/access/roles.js';
import { parseConfig } from '../../../shared/config/load-config.js';
import { configSchema } from '../../../shared/config/schema.js';
import { openTestHub, type TestHub } from '../../support/hub-ingest.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
/** Words that would name a national or federal lookup, or a federal/immigration recipient. */
const NATIONAL =
  /\b(ncic|nlets|national|nationwide|federal|interstate|dhs|ice|cbp|fbi|hsi|ero|immigration|out[-_ ]?of[-_ ]?state|all[-_ ]?states)\b/i;
/** The same, as parts of identifiers (federalLookup, national_sharing, NLETS_URL, hubIceShare…). */
const TOGGLE_WORDS =
  /(?:^|[^a-z])(ncic|nlets|national|nationwide|federal|interstate|dhs|ice|cbp|fbi)[_-]?(lookup|search|query|sharing|share|mode|enabled|enable|flag|access|url|endpoint|feed)/i;
/** camelCase split into words first, so "serviceUrl" is not "ice" + "url" but "hubIceUrl" is. */
const isToggle = (text: string) => TOGGLE_WORDS.test(text.replace(/([a-z0-9])([A-Z])/g, '$1_$2'));
const SALE =
  /\b(sell|sale|sales|resell|licen[cs]e|tenant|billing|purchase|subscription|bulk|dump|firehose|export[-_ ]?all)\b/i;

let hub: TestHub;
let routes: HubRoute[];
beforeAll(async () => {
  hub = await openTestHub('pglite');
  const all = [...HUB_FEATURES.flatMap((f) => f.routes?.(hub.ctx) ?? []), ...sharingRoutes(hub.ctx)];
  routes = [...new Map(all.map((r) => [`${r.method} ${r.url}`, r])).values()];
});
afterAll(() => hub.close());

const words = (r: HubRoute) => `${r.method} ${r.url} ${r.summary} ${r.tag ?? ''}`;

/** Every key path (and enum value) of the config schema. */
function configKeys(): string[] {
  const out: string[] = [];
  const walk = (node: Record<string, unknown>, at: string) => {
    const n = (node.anyOf as Record<string, unknown>[] | undefined)?.find((a) => a.type !== 'null') ?? node;
    for (const v of (n.enum as unknown[] | undefined) ?? []) out.push(`${at}=${String(v)}`);
    const props = n.properties as Record<string, Record<string, unknown>> | undefined;
    for (const [key, child] of Object.entries(props ?? {})) {
      out.push(at ? `${at}.${key}` : key);
      walk(child, at ? `${at}.${key}` : key);
    }
    if (n.items) walk(n.items as Record<string, unknown>, `${at}[]`);
  };
  walk(z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>, '');
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(full);
    return /\.(ts|mts|mjs|js|json)$/.test(name) ? [full] : [];
  });
}

describe('no national or federal lookup (SH-02)', () => {
  it('has no route for one', () => {
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.filter((r) => NATIONAL.test(words(r))).map(words)).toEqual([]);
  });

  it('has no config key or value for one', () => {
    const keys = configKeys();
    expect(keys.length).toBeGreaterThan(100);
    expect(keys).toContain('access.grants.validDays');
    expect(keys.filter((k) => NATIONAL.test(k.replace(/([a-z])([A-Z])/g, '$1 $2')) || isToggle(k))).toEqual(
      [],
    );
  });

  it.each([
    [{ access: { sharing: { mode: 'national' } } }],
    [{ access: { grants: { validDays: 90, federal: true } } }],
    [{ access: { nationalLookup: true } }],
    [{ hub: { ncicUrl: 'https://ncic.example' } }],
    [{ sharing: { nlets: true } }],
  ])('refuses the unknown sharing setting %j', (input) => {
    const parsed = parseConfig(input, ROOT);
    expect(parsed.ok).toBe(false);
  });

  it('has no such toggle anywhere in the code', () => {
    const files = ['hub', 'shared', 'cli', 'edge', 'bin'].flatMap((d) => sourceFiles(path.join(ROOT, d)));
    expect(files.length).toBeGreaterThan(100);
    const hits = files.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${path.relative(ROOT, f)}:${i + 1}` }))
        .filter(({ line }) => isToggle(line) || /process\.env\.\w*(NATIONAL|FEDERAL|NCIC|NLETS)/i.test(line))
        .map(({ at, line }) => `${at}: ${line.trim()}`),
    );
    expect(hits).toEqual([]);
  });
});

describe('no sale and no bulk export (SH-09)', () => {
  const EXPORT_ROUTES = [
    'GET /api/v1/exports',
    'GET /api/v1/exports/:id/download',
    'GET /api/v1/exports/queue',
    'POST /api/v1/exports',
    'POST /api/v1/exports/:id/approve',
    'POST /api/v1/exports/:id/deny',
  ];

  it('has no role or route that sells, licenses or bulk-dumps data', () => {
    expect(ROLES.filter((r) => SALE.test(r) || /vendor|customer|partner|public/.test(r))).toEqual([]);
    expect(routes.filter((r) => SALE.test(words(r))).map(words)).toEqual([]);
  });

  it('exports data only through the capped, approved export routes, behind an export permission', () => {
    const exporting = routes.filter((r) => /export/i.test(r.url) || r.produces === 'text/csv');
    expect(exporting.map((r) => `${r.method} ${r.url}`).sort()).toEqual(
      expect.arrayContaining(EXPORT_ROUTES),
    );
    for (const r of exporting) {
      expect(r.auth.kind).toBe('user');
      if (r.auth.kind !== 'user') continue;
      expect(r.auth.acknowledged).toBe(true);
      // Plate data leaves only by export.*; an auditor's CSV of the access log is the only other file.
      expect(['export.request', 'export.approve', 'audit.read']).toContain(r.auth.permission);
    }
    expect(
      exporting
        .filter(
          (r) =>
            r.produces === 'text/csv' && r.auth.kind === 'user' && r.auth.permission === 'export.request',
        )
        .map((r) => r.url),
    ).toEqual(['/api/v1/exports/:id/download']);
  });

  it('serves no read, search, result, hold or export without a signed-in person (static page assets aside)', () => {
    const open = routes.filter((r) => r.auth.kind !== 'user');
    const DATA = /reads|searches|results|exports|plates|holds|hits|inquiries|grants/;
    expect(
      open
        .filter(
          (r) =>
            DATA.test(r.url) &&
            !/\/assets\/[\w.-]+\.(css|js)$/.test(r.url) &&
            !(r.auth.kind === 'edge' && r.method === 'POST'),
        )
        .map(words),
    ).toEqual([]);
  });
});
