import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { createSession, describeInBrowser, expectCount, hostJoinsToo, joinByLink, messagesOn, seriousViolations, useFixture } from './fixture.js';

const f = useFixture();

const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const noSideways = (page: Page, width: number) => expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(width);

describeInBrowser('accessibility', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`home, join, session, dialog, host and ended views have no serious or critical axe violation at 360 and 1024 px, and writing works by keyboard (${colorScheme})`, async () => {
      // axe-core is injected as a script, which the page's Content-Security-Policy forbids.
      const host = await f.person({ colorScheme, bypassCSP: true });
      const guest = await f.person({ colorScheme, bypassCSP: true, viewport: { width: 360, height: 740 } });
      await host.page.goto(f.base);
      expect(await seriousViolations(host.page), 'home view, 1024').toEqual([]);
      const code = await createSession(host.page, f.base);
      await hostJoinsToo(host.page, 'Hosting Hui');

      await guest.page.goto(`${f.base}?code=${code}`);
      await guest.page.getByLabel('Your name').waitFor();
      expect(await seriousViolations(guest.page), 'join view, 360').toEqual([]);
      await joinByLink(guest.page, f.base, code, 'Gus');

      // Keyboard only: reach the write button with Tab, write, and send with Enter.
      const target = 'Write a warm shower to Hosting Hui';
      for (let i = 0; i < 30; i++) {
        await guest.page.keyboard.press('Tab');
        if ((await guest.page.evaluate(() => document.activeElement?.textContent ?? '')) === target) break;
      }
      await expect(guest.page.evaluate(() => document.activeElement?.textContent)).resolves.toBe(target);
      // Focus is visible where the keyboard is.
      await expect(guest.page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).resolves.toBe('solid');
      await guest.page.keyboard.press('Enter');
      await expect.poll(() => guest.page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
      await guest.page.keyboard.type('You listen like nobody else.');
      await expect(guest.page.getByText('28 / 1000').isVisible()).resolves.toBe(true);
      expect(await seriousViolations(guest.page), 'write dialog, 360').toEqual([]);
      await guest.page.keyboard.press('Tab'); // Cancel
      await guest.page.keyboard.press('Tab'); // Send
      await guest.page.keyboard.press('Enter');
      await guest.page.getByRole('heading', { name: 'Thank you!' }).waitFor();
      // Focus moves to the thank-you once it shows (a moment after the heading appears).
      await expect.poll(() => guest.page.evaluate(() => document.activeElement?.closest('.thanks') !== null)).toBe(true);

      await host.page.getByRole('button', { name: 'Write a warm shower to Gus' }).click();
      await host.page.getByLabel('Your message').fill('Thank you for the calm in every storm.');
      await host.page.getByRole('button', { name: 'Send' }).click();
      await expectCount(messagesOn(guest.page), 1);
      await expectCount(messagesOn(host.page), 1);
      expect(await seriousViolations(guest.page), 'session view, 360').toEqual([]);
      await noSideways(guest.page, 360);
      expect(await seriousViolations(host.page), 'host view, 1024').toEqual([]);
      await host.page.setViewportSize({ width: 360, height: 740 });
      expect(await seriousViolations(host.page), 'host view, 360').toEqual([]);
      await noSideways(host.page, 360);

      await host.page.getByRole('button', { name: 'End session', exact: true }).first().click();
      await host.page.getByRole('button', { name: 'End session for everyone' }).click();
      await guest.page.getByRole('heading', { name: 'This session has ended' }).waitFor();
      expect(await seriousViolations(guest.page), 'ended view with kept messages, 360').toEqual([]);
      await guest.page.setViewportSize({ width: 1024, height: 800 });
      expect(await seriousViolations(guest.page), 'ended view with kept messages, 1024').toEqual([]);
    });
  }

  it('follows the system theme until the toggle is used, names the theme in words, and remembers the choice', async () => {
    const { page } = await f.person({ colorScheme: 'dark' });
    await page.goto(f.base);
    const toggle = page.getByRole('button', { name: /^Theme: / });
    await expect(toggle.textContent()).resolves.toBe('Theme: dark');
    const dark = await background(page);
    await toggle.click();
    await expect(toggle.textContent()).resolves.toBe('Theme: light');
    const light = await background(page);
    expect(light).not.toBe(dark);
    await page.reload();
    await expect(page.getByRole('button', { name: /^Theme: / }).textContent()).resolves.toBe('Theme: light');
    await expect(background(page)).resolves.toBe(light);
  });
});
