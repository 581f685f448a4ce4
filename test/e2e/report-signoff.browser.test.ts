// The auditor's report sign-off in a real browser (Debian chromium via playwright-core): an auditor signs
// in through the form (password + TOTP, notice accepted), finds the quarterly report on /reports with its
// result, signs it off with the form, and sees the sign-off recorded; the page keeps its strict CSP and
// passes an axe-core check with no serious or critical violation. Screenshot for the docs (synthetic data).
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeQuarterlyReport } from '../../hub/oversight/report.service.js';
import {
  type AxeFinding,
  axeSerious,
  CHROMIUM,
  launchChromium,
  openPerson,
  type PersonPage,
  SCREENSHOTS,
  shot,
  signInWithForm,
} from '../support/browser-pages.js';
import { openTestHub, type TestHub } from '../support/hub-ingest.js';
import { createTestUser, type TestUser } from '../support/hub-users.js';
import { HOME_ORI, seedOversightHub } from '../support/oversight-fixtures.js';

const NOW = Date.UTC(2026, 3, 2, 17);

let hub: TestHub;
let browser: Browser;
let baseURL: string;
let auditor: TestUser;
let reportId: number;
let result: string;
const opened: PersonPage[] = [];

beforeAll(async () => {
  hub = await openTestHub('pglite', { now: Date.UTC(2025, 11, 1) });
  await seedOversightHub(hub);
  hub.clock.set(NOW);
  const agencyId = (
    await hub.ctx.db.query<{ id: number }>('SELECT id FROM agencies WHERE ori = $1', [HOME_ORI])
  )[0]!.id;
  auditor = await createTestUser(hub.ctx, { role: 'auditor', agencyId, username: 'auditor.demo' });
  const w = await writeQuarterlyReport(hub.ctx, {
    from: Date.UTC(2026, 0, 1),
    to: Date.UTC(2026, 3, 1),
    outDir: path.join(hub.dataDir, 'reports'),
    actor: 'cli:auditor',
  });
  reportId = w.id;
  result = w.report.result;
  baseURL = await hub.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  for (const p of opened) await p.context.close().catch(() => undefined);
  await browser?.close();
  await hub?.close();
});

describe.skipIf(!existsSync(CHROMIUM))('report sign-off in Chromium', () => {
  it('lists the report, records the sign-off from the form, with no serious accessibility violation', async () => {
    const person = await openPerson(browser, baseURL);
    opened.push(person);
    await signInWithForm(person, auditor, hub.clock);
    const { page } = person;
    const findings: AxeFinding[] = [];
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
    await page.waitForURL(/\/reports$/);
    expect(person.csp.get('/reports')).toMatch(/default-src 'self'/);
    const row = page.getByRole('row').filter({ hasText: '2026-01-01 to 2026-04-01' });
    await expect(row.getByText(result, { exact: true }).count()).resolves.toBe(1);
    findings.push(...(await axeSerious(page)));

    const form = page.getByRole('group', { name: `Sign off report ${reportId}` });
    await form.getByLabel('Accepted').check();
    await form.getByLabel('Note').fill('Reviewed every section; retention evidence complete.');
    mkdirSync(SCREENSHOTS, { recursive: true });
    await shot(page, 'report-signoff-form');
    await form.getByRole('button', { name: `Sign off report ${reportId}` }).click();
    await page.waitForURL(/\/reports\?done=signed$/);
    expect(await page.getByText('Your sign-off was recorded.').count()).toBe(1);
    expect(await page.getByText('auditor.demo: accepted').count()).toBe(1);
    expect(await page.getByRole('group', { name: `Sign off report ${reportId}` }).count()).toBe(0);
    findings.push(...(await axeSerious(page)));
    await shot(page, 'report-signoff-done');
    expect(findings).toEqual([]);
    expect(await hub.ctx.audit.list(hub.ctx.db, { kind: 'report.signed_off' })).toHaveLength(1);
  }, 90_000);
});
