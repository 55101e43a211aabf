// The one fixture of the browser suites: Debian's Chromium (one per file), a real server serving
// the built page, and people, each a fresh browser profile (own storage), as another device.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { WarmshowerClient, type CreateSessionBody, type JoinedParticipant } from '@warmshower/client';
import { startServer, type RunningServer, type ServerOptions } from '@warmshower/server/node';
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
    { met: existsSync(chromiumPath), needs: `Chromium at ${chromiumPath}`, missing: `no Chromium at ${chromiumPath}`, fix: 'apt-get install chromium or set CHROMIUM_PATH' },
    title,
    body,
  );
}

/** A real server (memory store) serving the built page on loopback, without logs or rate limits unless asked. */
export function startPageServer(options: ServerOptions = {}): Promise<RunningServer> {
  return startServer({ port: 0, host: '127.0.0.1', staticRoot: webRoot, logger: false, rateLimits: false, ...options });
}

export interface Person {
  context: BrowserContext;
  page: Page;
  /** Page errors and Content-Security-Policy reports: every test expects none. */
  errors: Error[];
}

export interface Fixture {
  readonly browser: Browser;
  readonly server: RunningServer;
  /** The page's address: the server's URL with a trailing slash. */
  readonly base: string;
  /** The API, from Node, for people who are not in a browser. */
  readonly api: WarmshowerClient;
  /** A new person with their own browser profile; closed (and checked for errors) after the test. */
  person(options?: BrowserContextOptions): Promise<Person>;
  /** A session made through the API: its code and a host client. */
  session(body?: CreateSessionBody): Promise<{ code: string; host: WarmshowerClient }>;
  /** Someone who joins through the API: their id, token and a client with that token. */
  joinApi(code: string, displayName: string, extra?: { publicKey?: string }): Promise<JoinedParticipant & { client: WarmshowerClient }>;
}

/**
 * Registers the hooks of one browser suite: a browser and a server for the file (`server: false`
 * for a file that starts its own), and the people of each test closed after it.
 */
export function useFixture(options: { server?: ServerOptions | false } = {}): Fixture {
  let browser: Browser;
  let server: RunningServer | undefined;
  const people: Person[] = [];
  beforeAll(async () => {
    [browser, server] = await Promise.all([
      chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] }),
      options.server === false ? undefined : startPageServer(options.server),
    ]);
  });
  afterEach(async () => {
    const errors = people.flatMap((p) => p.errors.map((e) => e.message));
    await Promise.all(people.splice(0).map((p) => p.context.close()));
    expect(errors).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  const fixture: Fixture = {
    get browser() {
      return browser;
    },
    get server() {
      if (!server) throw new Error('this suite starts its own servers');
      return server;
    },
    get base() {
      return `${fixture.server.url}/`;
    },
    get api() {
      return new WarmshowerClient({ baseUrl: fixture.server.url });
    },
    async person(contextOptions = {}) {
      const context = await browser.newContext({ viewport: { width: 1024, height: 800 }, reducedMotion: 'reduce', ...contextOptions });
      context.setDefaultTimeout(8_000);
      const page = await context.newPage();
      const someone: Person = { context, page, errors: [] };
      page.on('pageerror', (error) => someone.errors.push(error));
      // The server's Content-Security-Policy must not have to block anything the page does.
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) someone.errors.push(new Error(message.text()));
      });
      people.push(someone);
      return someone;
    },
    async session(body = {}) {
      const created = await fixture.api.createSession(body);
      return { code: created.code, host: fixture.api.withToken(created.hostToken) };
    },
    async joinApi(code, displayName, extra = {}) {
      const joined = await fixture.api.join(code, { displayName, ...extra });
      return { ...joined, client: fixture.api.withToken(joined.token) };
    },
  };
  return fixture;
}

// ---- what a person does on the page ----------------------------------------------------------

/** Creates a session from the home page (with the choices given); returns its code as the page shows it. */
export async function createSession(page: Page, base: string, choices: { reveal?: boolean; e2e?: boolean } = {}): Promise<string> {
  await page.goto(base);
  if (choices.reveal) await page.getByLabel('held until you reveal them').check();
  if (choices.e2e) await page.getByLabel('End-to-end encrypted').check();
  await page.getByRole('button', { name: 'Create a session' }).click();
  const code = (await page.locator('.invite .code-display').textContent())?.replace(/\s/g, '') ?? '';
  if (!/^\d{6}$/.test(code)) throw new Error(`no code on the page: ${code}`);
  return code;
}

/** The host, already on the host view, joins too. */
export async function hostJoinsToo(page: Page, name: string): Promise<void> {
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join as a participant too' }).click();
  await page.getByRole('heading', { name: 'Write to your team' }).waitFor();
}

/** Opens the join link and joins with `name`. */
export async function joinByLink(page: Page, base: string, code: string, name: string): Promise<void> {
  await page.goto(`${base}?code=${code}`);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await page.getByRole('heading', { name: 'Write to your team' }).waitFor();
}

/** Writes and sends one warm shower to `name` through the dialog. */
export async function sendShower(page: Page, name: string, text: string): Promise<void> {
  await page.getByRole('button', { name: `Write a warm shower to ${name}` }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Your message').fill(text);
  await dialog.getByRole('button', { name: 'Send' }).click();
  await dialog.waitFor({ state: 'hidden' });
}

/** This tab's pass, as the page keeps it in sessionStorage. */
export function passOf(page: Page, code: string): Promise<{ participant?: { id: string; token: string; privateKey?: string }; hostToken?: string }> {
  return page.evaluate((c) => JSON.parse(sessionStorage.getItem(`warmshower:${c}`) ?? '{}'), code);
}

export const messagesOn = (page: Page): Locator => page.locator('.inbox .message');
export const textsOn = (page: Page): Promise<string[]> => page.locator('.inbox .message-text').allTextContents();

/** Clicks Download and returns the file's name and text. */
export async function download(page: Page): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
  return { name: file.suggestedFilename(), text: await readFile((await file.path())!, 'utf8') };
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
