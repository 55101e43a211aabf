import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@warmshower/server/node';
import { createSession, expectCount, joinByLink, launchBrowser, person, seriousViolations, startPageServer, describeInBrowser } from './browser.js';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startPageServer(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const theme = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

describeInBrowser('accessibility', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`the join, session, host and ended views have no serious or critical axe violation (${colorScheme})`, async () => {
      // axe-core is injected as an inline script, which the page's Content-Security-Policy forbids.
      const host = await person(browser, { colorScheme, bypassCSP: true });
      const guest = await person(browser, { colorScheme, bypassCSP: true, viewport: { width: 360, height: 740 } });
      const code = await createSession(host.page, server.url);
      await host.page.getByRole('button', { name: 'Join as a participant too' }).click();
      await host.page.getByRole('heading', { name: 'Write to your team' }).waitFor();

      await guest.page.goto(`${server.url}/?code=${code}`);
      await guest.page.getByLabel('Your name').waitFor();
      expect(await seriousViolations(guest.page), 'join view').toEqual([]);

      await joinByLink(guest.page, server.url, code, 'Gus');
      const hostName = (await host.page.getByRole('heading', { level: 1 }).textContent())?.replace('Hello, ', '') ?? '';
      // Keyboard only: reach the write button with Tab, write, and send with Enter.
      const target = `Write a warm shower to ${hostName}`;
      for (let i = 0; i < 25; i++) {
        await guest.page.keyboard.press('Tab');
        const focused = await guest.page.evaluate(() => document.activeElement?.textContent ?? '');
        if (focused === target) break;
      }
      // Focus is visible where the keyboard is.
      await expect(guest.page.evaluate(() => document.activeElement?.textContent)).resolves.toBe(target);
      await expect(guest.page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).resolves.toBe('solid');
      await guest.page.keyboard.press('Enter');
      await expect(guest.page.evaluate(() => document.activeElement?.tagName)).resolves.toBe('TEXTAREA');
      await guest.page.keyboard.type('You listen like nobody else.');
      await expect(guest.page.getByText('28 / 1000').isVisible()).resolves.toBe(true);
      expect(await seriousViolations(guest.page), 'write dialog').toEqual([]);
      await guest.page.keyboard.press('Tab'); // Cancel
      await guest.page.keyboard.press('Tab'); // Send
      await guest.page.keyboard.press('Enter');
      await guest.page.getByRole('heading', { name: 'Thank you!' }).waitFor();
      await expect(guest.page.evaluate(() => document.activeElement?.closest('.thanks') !== null)).resolves.toBe(true);

      await host.page.getByRole('button', { name: 'Write a warm shower to Gus' }).click();
      await host.page.getByLabel('Your message').fill('Thank you for the calm in every storm.');
      await host.page.getByRole('button', { name: 'Send' }).click();
      await expectCount(guest.page.locator('.inbox .message'), 1);
      await expectCount(host.page.locator('.inbox .message'), 1);
      expect(await seriousViolations(guest.page), 'session view').toEqual([]);
      // Nothing sideways at 360 px.
      await expect(guest.page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(360);
      expect(await seriousViolations(host.page), 'host view').toEqual([]);

      await host.page.getByRole('button', { name: 'End session', exact: true }).click();
      await host.page.getByRole('button', { name: 'End session for everyone' }).click();
      await guest.page.getByRole('heading', { name: 'This session has ended' }).waitFor();
      expect(await seriousViolations(guest.page), 'ended view').toEqual([]);
      await host.context.close();
      await guest.context.close();
    });
  }

  it('follows the system theme until the toggle is used, then remembers the choice', async () => {
    const { page, context } = await person(browser, { colorScheme: 'dark' });
    await page.goto(server.url);
    const toggle = page.getByRole('button', { name: 'Dark theme' });
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('true');
    const dark = await theme(page);
    await toggle.click();
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('false');
    const light = await theme(page);
    expect(light).not.toBe(dark);
    await page.reload();
    await expect(page.getByRole('button', { name: 'Dark theme' }).getAttribute('aria-pressed')).resolves.toBe('false');
    await expect(theme(page)).resolves.toBe(light);
    await context.close();
  });
});
