// The transparency portal in a real browser (Debian chromium via playwright-core): the page renders with
// its CSP (no violation, no script), fits a phone (390 px) without sideways scrolling, passes an axe-core
// check with no serious or critical violation, and is captured at desktop and phone widths for the docs
// (docs/screenshots; the data is synthetic and the page shows no image of any read).
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorHubHead } from '../../hub/audit/hub-anchor.js';
import { writeQuarterlyReport } from '../../hub/oversight/report.service.js';
import { DAY_MS, HOUR_MS } from '../../shared/runtime/clock.js';
import { PROJECT_ROOT } from '../../shared/runtime/paths.js';
import { openTestHub, type TestHub } from '../support/hub-ingest.js';
import {
  appendAccess,
  edgeReceipt,
  edgeSignedHead,
  hubRead,
  OTHER_ORI,
  seedOversightHub,
} from '../support/oversight-fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const AXE = path.join(PROJECT_ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const SHOTS = path.join(PROJECT_ROOT, 'docs', 'screenshots');
const NOW = Date.UTC(2026, 3, 2, 17);

let hub: TestHub;
let browser: Browser;
let base: string;

beforeAll(async () => {
  hub = await openTestHub('pglite', { now: Date.UTC(2025, 11, 1) });
  const verdictId = await seedOversightHub(hub);
  hub.clock.set(NOW);
  for (let i = 0; i < 12; i++)
    await hubRead(hub.ctx.db, verdictId, NOW - (i + 1) * 2 * DAY_MS, i + 1, `7TST${100 + i}`);
  const searches = Array.from({ length: 9 }, (_, i) => ({
    caseNumber: `26-00${1000 + i}`,
    query: { plate: '7TST100' },
  }));
  await appendAccess(hub.ctx, NOW - 3 * DAY_MS, [
    ...searches,
    { origin: 'external', agency: OTHER_ORI, user: 'ext.a' },
    { kind: 'search.blocked', outcome: 'blocked', category: 'immigration' },
    { kind: 'search.blocked', outcome: 'blocked', category: 'reproductive_health' },
    { kind: 'hit.created', user: 'hub:hotlist' },
  ]);
  await edgeReceipt(hub.ctx.db, 'edge-01', 7, Date.UTC(2026, 2, 30), 29 * DAY_MS);
  await edgeSignedHead(hub.ctx.db, 'edge-01', 40, NOW - HOUR_MS);
  await writeQuarterlyReport(hub.ctx, {
    from: Date.UTC(2026, 0, 1),
    to: Date.UTC(2026, 3, 1),
    outDir: path.join(hub.dataDir, 'reports'),
    actor: 'cli:auditor',
  });
  await anchorHubHead(hub.ctx, 'test');
  await hub.app.listen({ host: '127.0.0.1', port: 0 });
  const address = hub.app.server.address() as { port: number };
  base = `http://127.0.0.1:${address.port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

async function openPage(
  width: number,
  url: string,
  bypassCSP = false,
): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({
    viewport: { width, height: 900 },
    deviceScaleFactor: 1,
    bypassCSP,
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  const res = await page.goto(`${base}${url}`);
  expect(res?.status()).toBe(200);
  return { page, problems };
}

/** axe-core on `url` at `width`, in a context that lets the test inject it (the portal's CSP forbids any script). */
async function axe(width: number, url: string): Promise<{ id: string; impact: string; nodes: number }[]> {
  const { page } = await openPage(width, url, true);
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => {
    const r = await (
      globalThis as unknown as {
        axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> };
      }
    ).axe.run();
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

describe.skipIf(!existsSync(CHROMIUM))('transparency portal in Chromium', () => {
  it('renders at desktop width with no CSP problem and no serious accessibility violation', async () => {
    const { page, problems } = await openPage(1280, '/transparency');
    expect(await page.locator('h1').count()).toBe(1);
    expect(await page.locator('h1').textContent()).toMatch(/transparency portal/);
    expect(await page.locator('blockquote.statement').textContent()).toMatch(
      /only shares data with California law enforcement/,
    );
    expect(await page.locator('td.unavailable').count()).toBe(0);
    expect(await page.locator('script, img').count()).toBe(0);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, 'transparency-desktop.png'), fullPage: true });
    expect(await axe(1280, '/transparency')).toEqual([]);
    expect(problems).toEqual([]);
  }, 60_000);

  it('fits a phone (390 px) without sideways scrolling', async () => {
    const { page, problems } = await openPage(390, '/transparency');
    const overflow = await page.evaluate(() => {
      const root = (
        globalThis as unknown as {
          document: { documentElement: { scrollWidth: number; clientWidth: number } };
        }
      ).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(SHOTS, 'transparency-phone.png'), fullPage: true });
    expect(await axe(390, '/transparency')).toEqual([]);
    expect(problems).toEqual([]);
  }, 60_000);

  it('publishes the usage policy page, accessible at phone width', async () => {
    const { page } = await openPage(390, '/transparency/policy');
    expect(await page.locator('h2').allTextContents()).toEqual([
      'A. Authorized purposes',
      'B. Authorized job titles and training',
      'C. Monitoring and audit',
      'D. Sharing: purposes, process and restrictions',
      'E. Custodian',
      'F. Accuracy',
      'G. Retention and destruction',
    ]);
    expect(await axe(390, '/transparency/policy')).toEqual([]);
  }, 60_000);
});
