// Browser helpers for the pages test: Debian's chromium through playwright-core (no browser download), a
// context per person, sign-in through the real form (password + the TOTP code their app would show), an
// axe-core check of every page (no serious or critical violation), and screenshots to docs/screenshots.
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../shared/runtime/paths.js';
import { nextTotp, type TestUser } from './hub-users.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = path.join(PROJECT_ROOT, 'docs', 'screenshots');
const AXE = path.join(PROJECT_ROOT, 'node_modules', 'axe-core', 'axe.min.js');

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });

export interface AxeFinding {
  page: string;
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

export interface PersonPage {
  context: BrowserContext;
  page: Page;
  /** every document response's Content-Security-Policy, by URL path */
  csp: Map<string, string | undefined>;
}

/**
 * A browser context for one person. bypassCSP only lets the test inject axe-core's script tag; the
 * pages' own CSP header is recorded for every document and asserted by the test.
 */
export async function openPerson(
  browser: Browser,
  baseURL: string,
  viewport = { width: 1280, height: 800 },
): Promise<PersonPage> {
  const context = await browser.newContext({ baseURL, bypassCSP: true, viewport, acceptDownloads: true });
  const page = await context.newPage();
  const csp = new Map<string, string | undefined>();
  page.on('response', (res) => {
    if (res.request().resourceType() === 'document')
      csp.set(new URL(res.url()).pathname, res.headers()['content-security-policy']);
  });
  return { context, page, csp };
}

/** Run axe-core on the current page; returns the serious and critical violations. */
export async function axeSerious(page: Page): Promise<AxeFinding[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(): Promise<{
            violations: Array<{
              id: string;
              impact: string | null;
              help: string;
              nodes: Array<{ target: string[] }>;
            }>;
          }>;
        };
      }
    ).axe;
    const result = await axe.run();
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  });
  const where = new URL(page.url()).pathname;
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ page: where, ...v }));
}

/** Screenshot the whole page to docs/screenshots/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Sign in through the form and accept the notice; `clock` is the hub's clock (the TOTP code's time). */
export async function signInWithForm(
  person: PersonPage,
  user: TestUser,
  clock: () => number,
  options: { screenshots?: { login: string; notice: string } } = {},
): Promise<void> {
  const { page } = person;
  await page.goto('/login');
  await page.getByLabel('Username', { exact: true }).fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  const totp = nextTotp(user, clock());
  await page.getByLabel(/Authenticator code/).fill(totp.code);
  if (options.screenshots) await shot(page, options.screenshots.login);
  await page.getByRole('button', { name: 'Sign in' }).click();
  user.lastStep = totp.step;
  await page.waitForURL(/\/acknowledge/);
  if (options.screenshots) await shot(page, options.screenshots.notice);
  await page.getByLabel('I have read this notice and accept it').check();
  await page.getByRole('button', { name: 'Accept and continue' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/acknowledge'));
}
