// `pnpm screenshots`: runs a small session against a real server and saves the session view
// (desktop 1280 px and phone 390 px, light and dark) and the host view into docs/screenshots/.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { startServer } from './server.js';

const out = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
mkdirSync(out, { recursive: true });

const server = await startServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const streams: AbortController[] = [];

async function api<T>(path: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(`${server.url}/api/sessions${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function write(page: Page, name: string, text: string): Promise<void> {
  await page.getByRole('button', { name: `Write a warm shower to ${name}` }).click();
  await page.getByLabel('Your message').fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByRole('dialog').waitFor({ state: 'hidden' });
}

try {
  const hostContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
  const host = await hostContext.newPage();
  await host.goto(server.url);
  await host.getByRole('button', { name: 'Create a session' }).click();
  const code = ((await host.locator('.code-display').textContent()) ?? '').replace(/\s/g, '');
  await host.getByLabel('Your name').fill('Maya');
  await host.getByRole('button', { name: 'Join as a participant too' }).click();
  await host.getByRole('heading', { name: 'Write to your team' }).waitFor();

  const priyaContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
  const priya = await priyaContext.newPage();
  await priya.goto(`${server.url}/?code=${code}`);
  await priya.getByLabel('Your name').fill('Priya');
  await priya.getByRole('button', { name: 'Join', exact: true }).click();
  await priya.getByRole('heading', { name: 'Write to your team' }).waitFor();

  type Joined = { id: string; token: string };
  const [jonas, sam] = await Promise.all(['Jonas', 'Sam'].map((displayName) => api<Joined>(`/${code}/participants`, { displayName })));
  await api<Joined>(`/${code}/participants`, { displayName: 'Lea' });
  // Jonas and Sam keep a stream open, so they show as online; Lea does not.
  for (const person of [jonas!, sam!]) {
    const controller = new AbortController();
    streams.push(controller);
    await fetch(`${server.url}/api/sessions/${code}/events`, { headers: { authorization: `Bearer ${person.token}` }, signal: controller.signal });
  }
  const priyaId = await priya.evaluate((c) => JSON.parse(sessionStorage.getItem(`warmshower:${c}`) ?? '{}').participant.id as string, code);
  await api(`/${code}/messages`, { to: priyaId, text: 'Your questions in planning save us weeks. Thank you for asking the awkward ones, kindly.' }, jonas!.token);
  await write(host, 'Priya', 'You made the new folks feel at home from day one. I noticed, and so did they.');
  await api(`/${code}/messages`, { to: priyaId, text: 'The way you calmly walked us through the outage on Tuesday was a masterclass.\nI learned a lot.' }, sam!.token);
  await priya.locator('.inbox .message').nth(2).waitFor();
  await write(priya, 'Jonas', 'Your demos are the highlight of my week.');
  await write(priya, 'Maya', 'Thank you for always making space for quieter voices.');
  await priya.getByText('2 of 4 sent').waitFor();
  await host.getByText('warm showers sent').waitFor();

  for (const colorScheme of ['light', 'dark'] as const) {
    for (const [device, width, height] of [['desktop', 1280, 900], ['phone', 390, 844]] as const) {
      await priya.emulateMedia({ colorScheme });
      await priya.setViewportSize({ width, height });
      await priya.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await priya.screenshot({ path: `${out}session-${device}-${colorScheme}.png`, fullPage: true, animations: 'disabled', caret: 'hide' });
    }
    await host.emulateMedia({ colorScheme });
    await host.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await host.screenshot({ path: `${out}host-desktop-${colorScheme}.png`, fullPage: true, animations: 'disabled', caret: 'hide' });
  }
  console.log(`screenshots saved in ${out}`);
} finally {
  for (const controller of streams) controller.abort();
  await browser.close();
  await server.close();
}
