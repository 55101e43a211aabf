// Where things stand on the screen, where a person in a meeting noticed it: on a phone what
// arrived comes before one's own texts; a host whose team is done sees one End button, not two.
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { createSession, describeInBrowser, joinByLink, messagesOn, passOf, sendShower, useFixture } from './fixture.js';

const f = useFixture();

/** The top and left of a heading on the page. */
async function placeOf(page: Page, name: string | RegExp): Promise<{ x: number; y: number }> {
  const box = await page.getByRole('heading', { name }).boundingBox();
  if (!box) throw new Error(`no heading "${name}" on the screen`);
  return { x: box.x, y: box.y };
}

describeInBrowser('the layout of a session', () => {
  it('on a phone, "Your warm showers" comes before "What you wrote"; on a laptop, side by side', async () => {
    const { code } = await f.session();
    const lou = await f.joinApi(code, 'Lou');
    const phone = await f.person({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const laptop = await f.person({ viewport: { width: 1280, height: 800 } });
    await joinByLink(phone.page, f.base, code, 'Sam');
    await joinByLink(laptop.page, f.base, code, 'Kim');
    for (const page of [phone.page, laptop.page]) {
      await lou.client.send(code, { to: (await passOf(page, code)).participant!.id, text: 'Thank you for the map.' });
      await messagesOn(page).first().waitFor();
      await sendShower(page, 'Lou', 'You make Mondays lighter.');
      await page.getByRole('heading', { name: 'What you wrote' }).waitFor();
    }

    const write = await placeOf(phone.page, 'Write to your team');
    const inbox = await placeOf(phone.page, /^Your warm showers/);
    const wrote = await placeOf(phone.page, 'What you wrote');
    expect(write.y).toBeLessThan(inbox.y);
    expect(inbox.y).toBeLessThan(wrote.y);
    const [onLaptopInbox, onLaptopWrote] = await Promise.all([placeOf(laptop.page, /^Your warm showers/), placeOf(laptop.page, 'What you wrote')]);
    expect(onLaptopWrote.x).toBeLessThan(onLaptopInbox.x);
  });

  it('on a phone, a 40-character name takes its row and the button goes under it; a short name keeps the button beside it', async () => {
    const { code } = await f.session();
    const long = 'Maximiliana-Alexandrina-Vanderberghe-Xyz';
    await f.joinApi(code, long);
    await f.joinApi(code, 'Zoë');
    const sam = await f.person({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await joinByLink(sam.page, f.base, code, 'Sam');
    const row = (name: string) => sam.page.locator('.person', { has: sam.page.getByText(name, { exact: true }) });
    const lines = async (name: string) =>
      row(name).locator('.name').evaluate((element) => Math.round(element.getBoundingClientRect().height / parseFloat(getComputedStyle(element).lineHeight)));
    const besideName = async (name: string) => {
      const [who, button] = await Promise.all([row(name).locator('.who').boundingBox(), row(name).getByRole('button').boundingBox()]);
      return button!.y < who!.y + who!.height;
    };
    await row(long).waitFor();
    await expect(lines(long)).resolves.toBeLessThanOrEqual(2);
    await expect(besideName(long)).resolves.toBe(false);
    await expect(lines('Zoë')).resolves.toBe(1);
    await expect(besideName('Zoë')).resolves.toBe(true);
  });

  it('on a phone on its side, the write dialog shows Cancel and Send without scrolling', async () => {
    const { code } = await f.session();
    await f.joinApi(code, 'Lou');
    const sam = await f.person({ viewport: { width: 844, height: 390 }, isMobile: true, hasTouch: true });
    await joinByLink(sam.page, f.base, code, 'Sam');
    await sam.page.getByRole('button', { name: 'Write a warm shower to Lou' }).click();
    const dialog = sam.page.getByRole('dialog');
    for (const name of ['Cancel', 'Send']) {
      const box = await dialog.getByRole('button', { name }).boundingBox();
      expect(box!.y + box!.height).toBeLessThanOrEqual(390);
    }
    await expect(dialog.getByLabel('Your message').evaluate((box) => box.getBoundingClientRect().height)).resolves.toBeGreaterThanOrEqual(60);
  });

  it('once everyone has written to everyone, the host has one End button, in the sentence that says so', async () => {
    const host = await f.person();
    const code = await createSession(host.page, f.base);
    const [ana, bo] = await Promise.all([f.joinApi(code, 'Ana'), f.joinApi(code, 'Bo')]);
    await ana.client.send(code, { to: bo.id, text: 'Thank you for Tuesday.' });
    await bo.client.send(code, { to: ana.id, text: 'Your questions help.' });
    await host.page.getByText('Everyone has written to everyone.', { exact: false }).waitFor();
    await expect(host.page.getByRole('button', { name: 'End session', exact: true }).count()).resolves.toBe(1);
    await host.page.getByRole('button', { name: 'End session', exact: true }).click();
    await host.page.getByRole('dialog', { name: 'End this session for everyone?' }).waitFor();
  });
});
