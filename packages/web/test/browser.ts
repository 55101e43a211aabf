import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { existsSync } from 'node:fs';
import { expect } from 'vitest';
import { startServer, type RunningServer } from '@warmshower/server/node';
import { webRoot } from '../index.js';
import { describeIf } from '../../../test-support/suites.js';

/** Debian's Chromium (`.ci/run` installs it); never a downloaded browser. */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * A suite that needs the browser. Without Chromium it is skipped with the reason in its name,
 * except under CI=true, where a missing browser fails the run instead of hiding it.
 */
export function describeInBrowser(title: string, body: () => void): void {
  describeIf(
    {
      met: existsSync(chromiumPath),
      needs: `Chromium at ${chromiumPath}`,
      missing: `no Chromium at ${chromiumPath}`,
      fix: 'apt-get install chromium or set CHROMIUM_PATH',
    },
    title,
    body,
  );
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A real server (memory store) serving the built page, on a free port. */
export function startPageServer(
  options: { port?: number; rateLimits?: { createPerMinute?: number; missesPerMinute?: number } | false } = {},
): Promise<RunningServer> {
  return startServer({ port: options.port ?? 0, host: '127.0.0.1', staticRoot: webRoot, logger: false, rateLimits: options.rateLimits ?? false });
}

/** A fresh browser profile (own cookies and storage), as another person's device. */
export async function person(browser: Browser, options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page; errors: Error[] }> {
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 }, reducedMotion: 'reduce', ...options });
  context.setDefaultTimeout(8_000);
  const page = await context.newPage();
  const errors: Error[] = [];
  page.on('pageerror', (error) => errors.push(error));
  // The server's Content-Security-Policy must not have to block anything the page does.
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) errors.push(new Error(message.text()));
  });
  return { context, page, errors };
}

/** Creates a session from the home page; returns its code as the page shows it. */
export async function createSession(page: Page, base: string): Promise<string> {
  await page.goto(base);
  await page.getByRole('button', { name: 'Create a session' }).click();
  const code = (await page.locator('.code-display').textContent())?.replace(/\s/g, '') ?? '';
  if (!/^\d{6}$/.test(code)) throw new Error(`no code on the page: ${code}`);
  return code;
}

/** Opens the join link and joins with `name`. */
export async function joinByLink(page: Page, base: string, code: string, name: string): Promise<void> {
  await page.goto(`${base}/?code=${code}`);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await page.getByRole('heading', { name: 'Write to your team' }).waitFor();
}

/** Writes and sends one warm shower to `name` through the dialog. */
export async function sendShower(page: Page, name: string | RegExp, text: string): Promise<void> {
  await page.getByRole('button', { name: typeof name === 'string' ? `Write a warm shower to ${name}` : name }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Your message').fill(text);
  await dialog.getByRole('button', { name: 'Send' }).click();
  await dialog.waitFor({ state: 'hidden' });
}

const require = createRequire(import.meta.url);

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: require.resolve('axe-core') });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document): Promise<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const result = await axe.run(document);
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.targets.join(', ')}`);
}

/** Waits (as a person would look again) until `locator` matches exactly `count` elements. */
export async function expectCount(locator: Locator, count: number, timeout = 10_000): Promise<void> {
  await expect.poll(() => locator.count(), { timeout }).toBe(count);
}
