// The last moments of a send and of a session, as a room produces them: a send that is slow to
// answer cannot be cancelled halfway, a warm shower that the end overtook is shown to its writer
// (not silently dropped), and an ended page that holds words asks before a reload loses them.
import type { Page, Route } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeInBrowser, joinByLink, messagesOn, passOf, sendShower, useFixture } from './fixture.js';

const f = useFixture();

/** Holds every send of `page` until the returned function lets them go on to the server. */
async function holdSends(page: Page, code: string): Promise<{ held: Promise<void>; release(): Promise<void> }> {
  const routes: Route[] = [];
  let arrived: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (arrived = resolve));
  await page.route(`**/api/sessions/${code}/messages`, (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    routes.push(route);
    arrived();
  });
  return { held, release: async () => void (await Promise.all(routes.splice(0).map((route) => route.continue()))) };
}

describeInBrowser('the last moments of a send and of a session', () => {
  it('while a send is under way, Cancel and Esc wait for it and the text cannot change; then it is sent', async () => {
    const { code } = await f.session();
    await f.joinApi(code, 'Lou');
    const sam = await f.person();
    await joinByLink(sam.page, f.base, code, 'Sam');
    const sends = await holdSends(sam.page, code);

    await sam.page.getByRole('button', { name: 'Write a warm shower to Lou' }).click();
    const dialog = sam.page.getByRole('dialog');
    await dialog.getByLabel('Your message').fill('You make Mondays lighter.');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await sends.held;
    await dialog.getByRole('button', { name: 'Sending…' }).waitFor();
    await expect(dialog.getByRole('button', { name: 'Cancel' }).isDisabled()).resolves.toBe(true);
    await expect(dialog.getByLabel('Your message').getAttribute('readonly')).resolves.not.toBeNull();
    await sam.page.keyboard.press('Escape');
    await expect(dialog.isVisible()).resolves.toBe(true);

    await sends.release();
    await dialog.waitFor({ state: 'hidden' });
    await sam.page.locator('.sent-panel').getByText('You make Mondays lighter.').waitFor();
  });

  it('the host ends the session while a send is on its way and another is a draft: the writer reads that neither was delivered, with both texts', async () => {
    const { code, host } = await f.session();
    const lou = await f.joinApi(code, 'Lou');
    await f.joinApi(code, 'Kim');
    const sam = await f.person();
    await joinByLink(sam.page, f.base, code, 'Sam');
    await lou.client.send(code, { to: (await passOf(sam.page, code)).participant!.id, text: 'Thank you for the map.' });
    await messagesOn(sam.page).first().waitFor();

    // A draft for Kim, kept when the dialog is cancelled.
    await sam.page.getByRole('button', { name: 'Write a warm shower to Kim' }).click();
    const dialog = sam.page.getByRole('dialog');
    await dialog.getByLabel('Your message').fill('Your questions\nmake us better.');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    // The send to Lou reaches the server only after the end.
    const sends = await holdSends(sam.page, code);
    await sam.page.getByRole('button', { name: 'Write a warm shower to Lou' }).click();
    await dialog.getByLabel('Your message').fill('You make Mondays lighter.');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await sends.held;
    await host.endSession(code);
    await sends.release();

    await sam.page.getByRole('heading', { name: 'This session has ended' }).waitFor();
    const unsent = sam.page.getByRole('region', { name: 'Not delivered: what you wrote' });
    await unsent.getByText('The session ended before these reached their readers.').waitFor();
    await expect(unsent.locator('.message-text').allTextContents()).resolves.toEqual(
      expect.arrayContaining(['You make Mondays lighter.', 'Your questions\nmake us better.']),
    );
    await expect(unsent.locator('.signature').allTextContents()).resolves.toEqual(expect.arrayContaining(['To Lou', 'To Kim']));
    // What Sam received is still there, apart from what Sam wrote.
    await expect(messagesOn(sam.page).count()).resolves.toBe(1);

    // A reload (a pull to refresh) would lose it all: the page asks first.
    const asked: string[] = [];
    sam.page.on('dialog', (prompt) => {
      asked.push(prompt.type());
      void prompt.dismiss();
    });
    await sam.page.close({ runBeforeUnload: true });
    await expect.poll(() => asked).toEqual(['beforeunload']);
    await expect(sam.page.getByRole('heading', { name: 'This session has ended' }).isVisible()).resolves.toBe(true);
    // Starting again is leaving on purpose: no question then.
    await sam.page.getByRole('button', { name: 'Start a new session' }).click();
    await sam.page.getByRole('button', { name: 'Create a session' }).waitFor();
    await sam.page.reload();
    expect(asked).toEqual(['beforeunload']);
  });

  it('a send that the end overtook by itself (the reply is the 404) is shown too, alone', async () => {
    const { code, host } = await f.session();
    await f.joinApi(code, 'Lou');
    const sam = await f.person();
    await joinByLink(sam.page, f.base, code, 'Sam');
    const sends = await holdSends(sam.page, code);
    await sendShowerHeld(sam.page, 'Lou', 'Thank you for Tuesday.');
    await sends.held;
    // The end reaches the server first; the page hears of it from the send's reply or its stream.
    await host.endSession(code);
    await sends.release();
    await sam.page.getByRole('heading', { name: 'This session has ended' }).waitFor();
    const unsent = sam.page.getByRole('region', { name: 'Not delivered: your warm shower to Lou' });
    await expect(unsent.locator('.message-text').textContent()).resolves.toBe('Thank you for Tuesday.');
  });

  it('a warm shower sent before the end is not listed as undelivered', async () => {
    const { code, host } = await f.session();
    await f.joinApi(code, 'Lou');
    const sam = await f.person();
    await joinByLink(sam.page, f.base, code, 'Sam');
    await sendShower(sam.page, 'Lou', 'You make Mondays lighter.');
    await host.endSession(code);
    await sam.page.getByRole('heading', { name: 'This session has ended' }).waitFor();
    await expect(sam.page.locator('.unsent').count()).resolves.toBe(0);
  });
});

/** Types and presses Send, without waiting for the dialog to close (the send is held). */
async function sendShowerHeld(page: Page, name: string, text: string): Promise<void> {
  await page.getByRole('button', { name: `Write a warm shower to ${name}` }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Your message').fill(text);
  await dialog.getByRole('button', { name: 'Send' }).click();
}
