// The /hits page in a real browser (Debian's Chromium through playwright-core): the agency's hit list with
// the stale label, a hit's read beside its entry, the verification form driven by its labels, a
// confirmation saved through the page's own script under the page's CSP (no inline script or style, no
// CSP violation reported), no axe-core violations, and a screenshot for the docs. Synthetic plates only.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHotlistCsv } from '../../hub/hotlists/hotlist-csv.js';
import { importHotlist } from '../../hub/hotlists/hotlist-import.service.js';
import { hitsService, hotlistServices } from '../../hub/hotlists/hotlists.feature.js';
import { INGEST_PATHS } from '../../shared/forward/wire.js';
import { PROJECT_ROOT } from '../../shared/runtime/paths.js';
import {
  edgePost,
  enrolTestEdge,
  HUB_T0,
  openTestHub,
  type TestHub,
  wireCamera,
  wireRead,
  wireVerdict,
} from '../support/hub-ingest.js';
import { createTestUser, ensureTestAgency, signIn } from '../support/hub-users.js';

const CHROMIUM = '/usr/bin/chromium';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const HOUR = 3_600_000;

describe('the hits page in Chromium', () => {
  let hub: TestHub;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    hub = await openTestHub('pglite');
    await hub.app.listen({ host: '127.0.0.1', port: 0 });
    const address = hub.app.server.address() as { port: number };
    base = `http://127.0.0.1:${address.port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM });
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('lists hits, shows the read beside the entry, and confirms one through the form', async () => {
    const secret = await enrolTestEdge(hub);
    await edgePost(
      hub,
      INGEST_PATHS.cameras,
      { cameras: [wireCamera()], verdicts: [wireVerdict()] },
      { edgeId: 'edge-01', secret },
    );
    const expiry = new Date(HUB_T0 + 5 * 24 * HOUR).toISOString();
    const load = async (source: string, plate: string, reason: string, at: number) => {
      const parsed = parseHotlistCsv(
        `plate,reason,case_number,source,expiry\n${plate},${reason},26-000777,,${expiry}\n`,
      );
      if (!parsed.ok) throw new Error(parsed.message);
      const r = await hub.ctx.db.transaction((tx) =>
        importHotlist(
          tx,
          hotlistServices(hub.ctx),
          {
            ori: 'CA0430100',
            source,
            rows: parsed.rows,
            actor: { user: 'sgt.test', role: 'supervisor', userId: null },
          },
          at,
        ),
      );
      expect(r.ok).toBe(true);
    };
    await load('ncic_stolen_vehicle', '7TST001', 'stolen from a driveway', HUB_T0 - HOUR);
    await load('cdoj_amber_alert', '8TST002', 'child abducted by a relative', HUB_T0 - 30 * HOUR); // stale list
    await edgePost(
      hub,
      INGEST_PATHS.reads,
      {
        reads: [
          wireRead({ edgeReadId: 1, plate: '7TST001', rawText: '7TST001' }),
          wireRead({ edgeReadId: 2, plate: '8TST002', rawText: '8TST002', capturedAt: HUB_T0 - 30_000 }),
        ],
      },
      { edgeId: 'edge-01', secret },
    );
    const agencyId = await ensureTestAgency(hub.ctx, 'CA0430100');
    const investigator = await createTestUser(hub.ctx, { role: 'investigator', agencyId });
    const { cookie } = await signIn(hub, investigator);
    const [name, value] = cookie.split('=') as [string, string];

    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    await context.addCookies([{ name, value, url: base }]);
    const page = await context.newPage();
    const problems: string[] = [];
    // Every console error counts (a CSP violation is one), except the browser's own favicon probe.
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} ${r.url()}`);
    });
    page.on('pageerror', (e) => problems.push(e.message));

    const list = await page.goto(`${base}/hits`);
    expect(list!.status()).toBe(200);
    expect(list!.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    const html = await list!.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect(html).not.toMatch(/\sstyle=/); // no inline style
    expect(html).not.toMatch(/7TST001|8TST002/); // the list shows no plates
    expect(await page.getByRole('table').getByRole('row').count()).toBe(3); // header and two hits
    const staleRow = page.getByRole('row', { name: /cdoj amber alert/ });
    expect(await staleRow.textContent()).toMatch(/stale list/);
    await runAxe(page, problems);

    const first = (await hitsService(hub.ctx).list(hub.ctx.db, agencyId, hub.clock())).find(
      (h) => h.source === 'ncic_stolen_vehicle',
    )!;
    await page.getByRole('link', { name: `Hit ${first.id}` }).click();
    await page.waitForURL(`${base}/hits/${first.id}`);
    expect(await page.locator('#read-plate').textContent()).toBe('7TST001');
    expect(await page.locator('#entry-plate').textContent()).toBe('7TST001');
    await runAxe(page, problems);

    await page.getByLabel(/matches the entry/).check();
    await page.getByLabel(/still listed at its source/).check();
    await page.getByLabel('System the entry was checked in').fill('CLETS SVS query');
    await page.getByLabel('Disposition (to confirm)').selectOption('vehicle_recovered');
    await page.getByLabel('Note').fill('synthetic test plate');
    await page.screenshot({
      path: path.join(PROJECT_ROOT, 'docs', 'screenshots', 'hits.png'),
      fullPage: true,
    });
    await page.getByRole('button', { name: 'Confirm hit' }).click();
    await page.locator('#decision').waitFor({ timeout: 10_000 });
    expect(await page.locator('#decision').textContent()).toMatch(
      new RegExp(`confirmed by ${investigator.username}.*vehicle recovered`),
    );

    const [row] = await hub.ctx.db.query<{ state: string; disposition: string; verified_by: string }>(
      'SELECT state, disposition, verified_by FROM hits WHERE id = $1',
      [first.id],
    );
    expect(row).toEqual({
      state: 'confirmed',
      disposition: 'vehicle_recovered',
      verified_by: investigator.username,
    });
    expect(problems).toEqual([]);
    await context.close();
  });
});

async function runAxe(page: import('playwright-core').Page, problems: string[]): Promise<void> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  const violations = await page.evaluate(
    `(async () => { ${AXE}; const r = await axe.run(document); return r.violations.map((v) => v.id + ': ' + v.nodes.length); })()`,
  );
  expect(violations, 'axe-core violations').toEqual([]);
  expect(problems).toEqual([]);
}
