import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@warmshower/server/node';
import { createSession, expectCount, joinByLink, launchBrowser, person, sendShower, startPageServer, describeInBrowser } from './browser.js';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startPageServer(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const messagesOn = (page: Page) => page.locator('.inbox .message');

describeInBrowser('the session page', () => {
  it('three people shower each other live, a reload keeps the inbox, and the host ending it reaches every page', async () => {
    const host = await person(browser);
    const ana = await person(browser, { viewport: { width: 360, height: 740 } });
    const bo = await person(browser);

    // The host creates, sees the code, link and QR, and joins too.
    const code = await createSession(host.page, server.url);
    await expect(host.page.getByLabel('Join link', { exact: true }).inputValue()).resolves.toBe(`${server.url}/?code=${code}`);
    await expect(host.page.getByRole('img', { name: /QR code of the join link/ }).isVisible()).resolves.toBe(true);
    // A reload keeps the host in the session.
    await host.page.reload();
    await expect(host.page.locator('.code-display').textContent()).resolves.toBe(`${code.slice(0, 3)} ${code.slice(3)}`);
    await host.page.getByText('Warm showers can start once two people have joined.').waitFor(); // from the host stream
    await host.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await host.page.getByRole('button', { name: 'Copy link' }).click();
    await host.page.getByText('Link copied').waitFor();
    await expect(host.page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(`${server.url}/?code=${code}`);
    await host.page.getByLabel('Your name').fill('Host Hana');
    await host.page.getByRole('button', { name: 'Join as a participant too' }).click();
    await host.page.getByRole('heading', { name: 'Write to your team' }).waitFor();

    // Two others join through the link (the code is prefilled from ?code=).
    await ana.page.goto(`${server.url}/?code=${code}`);
    await expect(ana.page.getByLabel('Session code').inputValue()).resolves.toBe(code);
    await joinByLink(ana.page, server.url, code, 'Ana');
    await joinByLink(bo.page, server.url, code, 'Bo');

    // Everyone sees the two others, online.
    for (const { page } of [host, ana, bo]) {
      await page.getByText('0 of 2 sent').waitFor();
      await expectCount(page.locator('.people .dot.online'), 2);
    }
    await host.page.getByText('3 joined · 3 online now').waitFor();

    // Each writes to the two others.
    const names = { host: 'Host Hana', ana: 'Ana', bo: 'Bo' } as const;
    const pages = { host: host.page, ana: ana.page, bo: bo.page } as const;
    for (const [from, page] of Object.entries(pages)) {
      for (const [to, name] of Object.entries(names)) {
        if (to === from) continue;
        await sendShower(page, name, `Dear ${name}, ${from} thinks you are wonderful.`);
      }
      await page.getByText('2 of 2 sent').waitFor();
    }

    // Each received two, live, signed "Anonymous", and sees the thank-you.
    for (const [who, page] of Object.entries(pages)) {
      await expectCount(messagesOn(page), 2);
      await expect(page.locator('.inbox .signature').allTextContents()).resolves.toEqual([
        expect.stringContaining('— Anonymous'),
        expect.stringContaining('— Anonymous'),
      ]);
      const texts = await page.locator('.inbox .message-text').allTextContents();
      expect(texts.sort()).toEqual(
        Object.keys(names).filter((from) => from !== who).map((from) => `Dear ${names[who as keyof typeof names]}, ${from} thinks you are wonderful.`).sort(),
      );
      await page.getByRole('heading', { name: 'Thank you!' }).waitFor();
      await expect(page.getByText(/ thinks you are wonderful/).first().isVisible()).resolves.toBe(true);
    }
    await host.page.getByText('6 of 6 warm showers sent').waitFor();
    await expect(bo.page.locator('.inbox').getAttribute('aria-live')).resolves.toBe('polite');

    // Bo keeps his warm showers: a Markdown file made in the browser.
    const [download] = await Promise.all([bo.page.waitForEvent('download'), bo.page.getByRole('button', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toBe(`warm-showers-${code}.md`);
    const saved = await readFile((await download.path())!, 'utf8');
    expect(saved).toContain('> Dear Bo, host thinks you are wonderful.');
    expect(saved).toContain('> Dear Bo, ana thinks you are wonderful.');
    expect(saved.match(/— Anonymous/g)).toHaveLength(2);
    // Printing shows only the warm showers.
    await bo.page.emulateMedia({ media: 'print' });
    await expect(bo.page.getByRole('heading', { name: 'Write to your team' }).isVisible()).resolves.toBe(false);
    await expect(bo.page.locator('.inbox .message').first().isVisible()).resolves.toBe(true);
    await bo.page.emulateMedia({ media: 'screen' });

    // Ana reloads: still in the session, her inbox is back, once.
    await ana.page.reload();
    await ana.page.getByRole('heading', { name: 'Hello, Ana' }).waitFor();
    await expectCount(messagesOn(ana.page), 2);
    // A screen reader hears how many there are, once, instead of every old message again; then
    // new ones are announced as they arrive.
    await ana.page.getByRole('status').filter({ hasText: 'You have 2 warm showers.' }).waitFor({ state: 'attached' });
    await ana.page.locator('ol.inbox[aria-live="polite"]').waitFor({ state: 'attached' });
    await ana.page.getByRole('heading', { name: 'Thank you!' }).waitFor();

    // Someone new joins: the list reopens for everyone who had finished. The join event comes
    // after Ana's replayed inbox on her stream, so her count below is final.
    const late = await fetch(`${server.url}/api/sessions/${code}/participants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'Latecomer Lu' }),
    });
    expect(late.status).toBe(201);
    for (const { page } of [host, ana, bo]) {
      await page.getByRole('button', { name: 'Write a warm shower to Latecomer Lu' }).waitFor();
      await page.getByText('2 of 3 sent').waitFor();
      await expect(page.getByRole('heading', { name: 'Thank you!' }).isVisible()).resolves.toBe(false);
    }
    await expectCount(messagesOn(ana.page), 2);

    // The host ends the session (after confirming); every page says so and forgets it.
    await host.page.getByRole('button', { name: 'End session', exact: true }).click();
    const confirm = host.page.getByRole('dialog', { name: 'End this session for everyone?' });
    await confirm.getByRole('button', { name: 'Keep it open' }).click();
    await expect(confirm.isVisible()).resolves.toBe(false);
    await host.page.getByRole('button', { name: 'End session', exact: true }).click();
    await confirm.getByRole('button', { name: 'End session for everyone' }).click();
    for (const { page } of [host, ana, bo]) {
      await page.getByRole('heading', { name: 'This session has ended' }).waitFor();
      await expectCount(messagesOn(page), 0);
      await expect(page.evaluate(() => sessionStorage.length)).resolves.toBe(0);
      expect(page.url()).toBe(`${server.url}/`);
    }
    for (const { errors, context } of [host, ana, bo]) {
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  it('a long list can be filtered by name', async () => {
    const { code } = await api<{ code: string }>('', {});
    for (const displayName of ['Ada', 'Babbage', 'Curie', 'Darwin', 'Euler', 'Faraday', 'Gauss']) {
      await api(`/${code}/participants`, { displayName });
    }
    const { page, context } = await person(browser);
    await joinByLink(page, server.url, code, 'Hopper');
    await page.getByLabel('Find a person').fill('da');
    await expect.poll(() => page.locator('.people .name:visible').allTextContents()).toEqual(['Ada', 'Darwin', 'Faraday']);
    await page.getByLabel('Find a person').fill('zz');
    await page.getByText('No one here matches “zz”.').waitFor();
    await context.close();
  });

  it('the tab title counts warm showers that arrive while the tab is hidden', async () => {
    const { code } = await api<{ code: string }>('', {});
    const writer = await api<{ token: string }>(`/${code}/participants`, { displayName: 'Writer' });
    const { page, context } = await person(browser);
    await joinByLink(page, server.url, code, 'Reader');
    const title = await page.title();
    const me = await page.evaluate((c) => JSON.parse(sessionStorage.getItem(`warmshower:${c}`) ?? '{}').participant.id as string, code);
    const visibility = (state: 'hidden' | 'visible') =>
      page.evaluate((value) => {
        Object.defineProperty(document, 'visibilityState', { value, configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
      }, state);
    await visibility('hidden');
    await api(`/${code}/messages`, { to: me, text: 'You are a joy to work with.' }, writer.token);
    await expect.poll(() => page.title()).toBe(`(1) ${title}`);
    await visibility('visible');
    await expect.poll(() => page.title()).toBe(title);
    await context.close();
  });

  it('when the time runs out, the page counts down to it and then says the session expired', async () => {
    const { code } = await api<{ code: string }>('', { ttlSeconds: 10 });
    const { page, context } = await person(browser);
    await joinByLink(page, server.url, code, 'Ida');
    await expect(page.locator('.countdown-value').textContent()).resolves.toMatch(/^0:(0\d|10)$/);
    await page.getByRole('heading', { name: 'This session has expired' }).waitFor({ timeout: 15_000 });
    await expect(page.evaluate(() => sessionStorage.length)).resolves.toBe(0);
    await context.close();
  }, 20_000);
});

async function api<T = unknown>(path: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(`${server.url}/api/sessions${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as T;
}
