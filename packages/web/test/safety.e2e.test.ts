import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@warmshower/server/node';
import { expectCount, joinByLink, launchBrowser, person, sendShower, startPageServer, describeInBrowser } from './browser.js';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startPageServer(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function newSession(base: string): Promise<{ code: string; hostToken: string }> {
  const response = await fetch(`${base}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(response.status).toBe(201);
  return (await response.json()) as { code: string; hostToken: string };
}

const alertText = (page: Page) => page.getByRole('alert').filter({ hasText: /\S/ }).first().textContent();

describeInBrowser('what people type is text', () => {
  it('HTML in a name and in a message is shown literally and never runs', async () => {
    const payload = '<img src=x onerror=window.__pwned=1>';
    const { code } = await newSession(server.url);
    const mallory = await person(browser);
    const bea = await person(browser);
    await joinByLink(mallory.page, server.url, code, payload);
    await joinByLink(bea.page, server.url, code, 'Bea');

    await mallory.page.getByRole('heading', { name: `Hello, ${payload}` }).waitFor();
    await expect(bea.page.locator('.people .name').first().textContent()).resolves.toBe(payload);

    await bea.page.getByRole('button', { name: `Write a warm shower to ${payload}` }).click();
    await expect(bea.page.getByRole('dialog').getByRole('heading').textContent()).resolves.toBe(`A warm shower for ${payload}`);
    await bea.page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await sendShower(bea.page, payload, payload);
    await sendShower(mallory.page, 'Bea', `${payload}\n<script>window.__pwned=2</script>`);

    await expectCount(mallory.page.locator('.inbox .message'), 1);
    await expectCount(bea.page.locator('.inbox .message'), 1);
    await expect(mallory.page.locator('.inbox .message-text').textContent()).resolves.toBe(payload);
    await expect(bea.page.locator('.inbox .message-text').textContent()).resolves.toBe(`${payload}\n<script>window.__pwned=2</script>`);
    for (const { page, errors } of [mallory, bea]) {
      await expect(page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).resolves.toBeUndefined();
      await expectCount(page.locator('main img, main script'), 0);
      expect(errors).toEqual([]);
    }
    await mallory.context.close();
    await bea.context.close();
  });
});

describeInBrowser('every API error reads as a sentence', () => {
  it('wrong code, malformed code, name taken and already sent', async () => {
    const { code } = await newSession(server.url);
    const unknown = code === '000000' ? '000001' : '000000';
    const { page, context } = await person(browser);

    await page.goto(`${server.url}/?code=${unknown}`);
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await expect(alertText(page)).resolves.toContain(`There is no live session with the code ${unknown}`);
    await expect(page.getByLabel('Session code').getAttribute('aria-invalid')).resolves.toBe('true');

    await page.getByLabel('Session code').fill('12ab');
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await expect(alertText(page)).resolves.toBe('A session code is six digits, like 042917.');

    const taken = await fetch(`${server.url}/api/sessions/${code}/participants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'Cleo' }),
    });
    const cleo = (await taken.json()) as { id: string; token: string };
    await page.getByLabel('Session code').fill(code);
    await page.getByLabel('Your name').fill('cleo');
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await expect(alertText(page)).resolves.toBe('Someone in this session is already called “cleo”. Choose another name.');

    // Cleo writes to Dev from another device; Dev's page then learns it from the 409.
    await page.getByLabel('Your name').fill('Dev');
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await page.getByRole('heading', { name: 'Hello, Dev' }).waitFor();
    const dev = await page.evaluate((c) => JSON.parse(sessionStorage.getItem(`warmshower:${c}`) ?? '{}').participant, code);
    const sent = await fetch(`${server.url}/api/sessions/${code}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${dev.token}` },
      body: JSON.stringify({ to: cleo.id, text: 'from my phone' }),
    });
    expect(sent.status).toBe(201);
    await sendShower(page, 'Cleo', 'and again from the page');
    await page.getByText('1 of 1 sent').waitFor();
    await page.getByRole('heading', { name: 'Thank you!' }).waitFor();
    await page.getByText('You have already sent a warm shower to Cleo: one each.').waitFor();
    await context.close();
  });

  it('too many attempts, a lost server with reconnection, and a session gone when it returns', async () => {
    const limited = await startPageServer({ rateLimits: { missesPerMinute: 2 } });
    const { page, context } = await person(browser);
    try {
      const { code } = await newSession(limited.url);
      await joinByLink(page, limited.url, code, 'Eli');

      // Guessing codes from the same address soon gets a clear "wait" (the limit is 2 misses here).
      const guesser = await context.newPage();
      const unknown = code === '000000' ? '000001' : '000000';
      await guesser.goto(`${limited.url}/?code=${unknown}`);
      for (let i = 0; i < 3; i++) await guesser.getByRole('button', { name: 'Join', exact: true }).click();
      await expect.poll(() => alertText(guesser)).toMatch(/^Too many attempts from this network\. Wait \d+ seconds? and try again\.$/);

      const port = limited.port;
      await limited.close();
      await page.getByText('Connection lost. Reconnecting…').waitFor();
      // A server on the same address that never heard of the session: the page says it is over.
      const again = await startPageServer({ port });
      try {
        await page.getByRole('heading', { name: 'This session has ended' }).waitFor({ timeout: 15_000 });
      } finally {
        await again.close();
      }
    } finally {
      await limited.close();
      await context.close();
    }
  });

  it('a second join in another tab of the same browser takes the stream, and the first tab says so', async () => {
    const { code } = await newSession(server.url);
    const { page, context } = await person(browser);
    await joinByLink(page, server.url, code, 'Fay');
    const other = await context.newPage();
    await joinByLink(other, server.url, code, 'Gil');
    await page.reload();
    await page.getByText('You joined this session again in another tab of this browser').waitFor();
    await expectCount(page.locator('.people .person'), 0);
    await context.close();
  });

  it('a dropped stream reconnects by itself: "Reconnecting…" meanwhile, then nothing lost and nothing twice', async () => {
    const { code } = await newSession(server.url);
    const { page, context } = await person(browser);
    await joinByLink(page, server.url, code, 'Hal');
    const me = await page.evaluate((c) => JSON.parse(sessionStorage.getItem(`warmshower:${c}`) ?? '{}').participant.id as string, code);
    const writers = await Promise.all(['Ivo', 'Jan'].map(async (displayName) => {
      const response = await fetch(`${server.url}/api/sessions/${code}/participants`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ displayName }),
      });
      return (await response.json()) as { token: string };
    }));
    const send = (token: string, text: string) =>
      fetch(`${server.url}/api/sessions/${code}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ to: me, text }),
      });
    await send(writers[0]!.token, 'Before the drop.');
    await expectCount(page.locator('.inbox .message'), 1);

    await server.app.closeStreams(); // the connection drops; the session lives on
    await page.getByText('Connection lost. Reconnecting…').waitFor();
    await send(writers[1]!.token, 'During the drop.');
    await expectCount(page.locator('.inbox .message'), 2);
    await page.getByText('Connection lost. Reconnecting…').waitFor({ state: 'hidden' });
    await expect(page.locator('.inbox .message-text').allTextContents()).resolves.toEqual(['During the drop.', 'Before the drop.']);
    await context.close();
  });
});
