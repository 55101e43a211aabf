// `pnpm screenshots`: runs a small session against a real server and saves into docs/screenshots/
// the session view (desktop 1280 px and phone 390 px, light and dark), the host view, the
// presenter view (1920×1080, light and dark) and the ended view with kept messages.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WarmshowerClient } from '@warmshower/client';
import { chromium, type Page } from 'playwright-core';
import { startServer } from './server.js';

const out = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
mkdirSync(out, { recursive: true });

const server = await startServer({ publicUrl: 'http://192.168.1.20:3000' });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const api = new WarmshowerClient({ baseUrl: server.url });
const streams: Array<{ close(): void }> = [];
const shot = { fullPage: true, animations: 'disabled', caret: 'hide' } as const;

async function write(page: Page, name: string, text: string): Promise<void> {
  await page.getByRole('button', { name: `Write a warm shower to ${name}` }).click();
  await page.getByLabel('Your message').fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByRole('dialog').waitFor({ state: 'hidden' });
}

const blur = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

try {
  const hostContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
  const host = await hostContext.newPage();
  await host.goto(`${server.url}/`);
  await host.getByRole('button', { name: 'Create a session' }).click();
  const code = ((await host.locator('.invite .code-display').textContent()) ?? '').replace(/\s/g, '');
  await host.getByLabel('Your name').fill('Maya');
  await host.getByRole('button', { name: 'Join as a participant too' }).click();
  await host.getByRole('heading', { name: 'Write to your team' }).waitFor();

  const priyaContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
  const priya = await priyaContext.newPage();
  await priya.goto(`${server.url}/?code=${code}`);
  await priya.getByLabel('Your name').fill('Priya');
  await priya.getByRole('button', { name: 'Join', exact: true }).click();
  await priya.getByRole('heading', { name: 'Write to your team' }).waitFor();

  const [jonas, sam] = await Promise.all(['Jonas', 'Sam'].map((displayName) => api.join(code, { displayName })));
  await api.join(code, { displayName: 'Lea' });
  // Jonas and Sam keep a stream open, so they show as online; Lea does not.
  for (const person of [jonas!, sam!]) streams.push(api.withToken(person.token).stream(code, { onEvent: () => undefined }));
  const priyaId = await priya.evaluate((c) => JSON.parse(sessionStorage.getItem(`warmshower:${c}`) ?? '{}').participant.id as string, code);
  await api.withToken(jonas!.token).send(code, { to: priyaId, text: 'Your questions in planning save us weeks. Thank you for asking the awkward ones, kindly.' });
  await write(host, 'Priya', 'You made the new folks feel at home from day one. I noticed, and so did they.');
  await api.withToken(sam!.token).send(code, { to: priyaId, text: 'The way you calmly walked us through the outage on Tuesday was a masterclass.\nI learned a lot.' });
  await priya.locator('.inbox .message').nth(2).waitFor();
  await write(priya, 'Jonas', 'Your demos are the highlight of my week.');
  await write(priya, 'Maya', 'Thank you for always making space for quieter voices.');
  await priya.locator('.inbox .message', { hasText: 'new folks' }).getByRole('button', { name: /Thank/ }).click();
  await host.getByText('Priya thanked you').waitFor();
  await priya.getByText('2 of 4 sent').waitFor();
  await host.getByText('warm showers sent').first().waitFor();

  for (const colorScheme of ['light', 'dark'] as const) {
    for (const [device, width, height] of [['desktop', 1280, 900], ['phone', 390, 844]] as const) {
      await priya.emulateMedia({ colorScheme });
      await priya.setViewportSize({ width, height });
      await blur(priya);
      await priya.screenshot({ path: `${out}session-${device}-${colorScheme}.png`, ...shot });
    }
    await host.emulateMedia({ colorScheme });
    await blur(host);
    await host.screenshot({ path: `${out}host-desktop-${colorScheme}.png`, ...shot });
  }

  // The presenter view, as a projector shows it.
  await host.setViewportSize({ width: 1920, height: 1080 });
  await host.getByRole('button', { name: 'Presenter view' }).click();
  for (const colorScheme of ['light', 'dark'] as const) {
    await host.emulateMedia({ colorScheme });
    await host.locator('.presenter').getByText('people joined').waitFor();
    await host.screenshot({ path: `${out}presenter-${colorScheme}.png`, animations: 'disabled', caret: 'hide' });
  }
  await host.keyboard.press('Escape');

  // The host ends it: Priya's warm showers stay on her screen, with Download and Print.
  await api.withToken(await host.evaluate((c) => JSON.parse(sessionStorage.getItem(`warmshower:${c}`) ?? '{}').hostToken as string, code)).endSession(code);
  await priya.getByRole('heading', { name: 'This session has ended' }).waitFor();
  for (const colorScheme of ['light', 'dark'] as const) {
    await priya.emulateMedia({ colorScheme });
    await priya.setViewportSize({ width: 1280, height: 900 });
    await blur(priya);
    await priya.screenshot({ path: `${out}ended-desktop-${colorScheme}.png`, ...shot });
  }
  console.log(`screenshots saved in ${out}`);
} finally {
  for (const stream of streams) stream.close();
  await browser.close();
  await server.close();
}
