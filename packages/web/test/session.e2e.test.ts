import { expect, it } from 'vitest';
import {
  createSession, describeInBrowser, download, expectCount, hostJoinsToo, joinByLink, messagesOn, passOf, sendShower, textsOn, useFixture,
} from './fixture.js';

const f = useFixture();

describeInBrowser('the session page', () => {
  it('three people shower each other live and thank, a reload keeps the inbox, a latecomer reopens the list, and the host ends it', async () => {
    const host = await f.person();
    const ana = await f.person({ viewport: { width: 360, height: 740 } });
    const bo = await f.person();

    // The host creates, sees the code, the link from /api/info and its QR code.
    const code = await createSession(host.page, f.base);
    await expect.poll(() => host.page.getByLabel('Join link', { exact: true }).inputValue()).toBe(`${f.base}?code=${code}`);
    await expect(host.page.getByRole('img', { name: /QR code of the join link/ }).isVisible()).resolves.toBe(true);
    // Served on loopback without a public URL: the page says others cannot use that link.
    await host.page.getByText('Other devices cannot open this link:').waitFor();
    // Its way out names the port the page is served on, and no flag breaks after its "--".
    await host.page.getByText(`--public-url http://<this computer’s address>:${f.server.port}`).waitFor();
    await expect(host.page.locator('.invite .loopback .flag').evaluateAll((flags) => flags.map((flag) => flag.getClientRects().length))).resolves.toEqual([1, 1]);
    // A reload keeps the host in the session.
    await host.page.reload();
    await expect(host.page.locator('.invite .code-display').textContent()).resolves.toBe(`${code.slice(0, 3)} ${code.slice(3)}`);
    await host.page.getByText('Warm showers can start once two people have joined.').waitFor(); // from the host stream
    await host.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: f.server.url });
    await host.page.getByRole('button', { name: 'Copy link' }).click();
    await host.page.getByText('Link copied').waitFor();
    await expect(host.page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(`${f.base}?code=${code}`);
    // Extend adds to what is left: an hour-long session given another 15 minutes ends in 1:14–1:15, not in 15.
    await host.page.getByRole('button', { name: 'Extend' }).click();
    await expect.poll(() => host.page.locator('.countdown-value').textContent()).toMatch(/^1:1[45]:\d\d$/);
    await hostJoinsToo(host.page, 'Host Hana');

    // Two others join through the link (the code is prefilled from ?code=).
    await ana.page.goto(`${f.base}?code=${code}`);
    await expect(ana.page.getByLabel('Session code').inputValue()).resolves.toBe(code);
    await joinByLink(ana.page, f.base, code, 'Ana');
    await joinByLink(bo.page, f.base, code, 'Bo');
    // Nothing to keep yet: Download and Print wait for something to arrive.
    await expect(bo.page.getByRole('button', { name: 'Download' }).isDisabled()).resolves.toBe(true);
    await expect(bo.page.getByRole('button', { name: 'Print' }).isDisabled()).resolves.toBe(true);
    // … and a visible line, which describes both buttons, says why.
    const why = 'Nothing to download or print yet: these buttons work once a warm shower has arrived.';
    await expect(bo.page.getByText(why).isVisible()).resolves.toBe(true);
    const described = (name: string) =>
      bo.page.getByRole('button', { name }).evaluate((button) => document.getElementById(button.getAttribute('aria-describedby') ?? '')?.textContent ?? '');
    await expect(described('Download')).resolves.toBe(why);
    await expect(described('Print')).resolves.toBe(why);

    for (const { page } of [host, ana, bo]) {
      await page.getByText('0 of 2 sent').waitFor();
      await expectCount(page.locator('.people .dot.online'), 2);
    }
    await host.page.getByText('3 joined · 3 online now').waitFor();

    const names = { host: 'Host Hana', ana: 'Ana', bo: 'Bo' } as const;
    const pages = { host: host.page, ana: ana.page, bo: bo.page } as const;
    for (const [from, page] of Object.entries(pages)) {
      for (const [to, name] of Object.entries(names)) {
        if (to !== from) await sendShower(page, name, `Dear ${name}, ${from} thinks you are wonderful.`);
      }
      await page.getByText('2 of 2 sent').waitFor();
    }

    // Each received two, live, signed "Anonymous", and sees the thank-you; the host sees it is all written.
    for (const [who, page] of Object.entries(pages)) {
      await expectCount(messagesOn(page), 2);
      await expect(page.locator('.inbox .signature').allTextContents()).resolves.toEqual([
        expect.stringContaining('— Anonymous'),
        expect.stringContaining('— Anonymous'),
      ]);
      expect((await textsOn(page)).sort()).toEqual(
        Object.keys(names).filter((from) => from !== who).map((from) => `Dear ${names[who as keyof typeof names]}, ${from} thinks you are wonderful.`).sort(),
      );
      await page.getByRole('heading', { name: 'Thank you!' }).waitFor();
    }
    await host.page.getByText('6 of 6 warm showers sent').waitFor();
    await host.page.getByText('Everyone has written to everyone.').waitFor();
    // The list speaks again a second after the replay (inbox.ts): wait for it, as below for Ana.
    await bo.page.locator('ol.inbox[aria-live="polite"]').waitFor({ state: 'attached' });

    // Bo thanks the host's message; the host sees it beside what they wrote to Bo.
    const fromHost = bo.page.locator('.inbox .message', { hasText: 'host thinks' });
    await fromHost.getByRole('button', { name: 'Thank the writer of this warm shower' }).click();
    await expect.poll(() => fromHost.getByRole('button').textContent()).toBe('Thanked');
    await expect(fromHost.getByRole('button').isDisabled()).resolves.toBe(true);
    await host.page.locator('.sent-item[data-to]', { hasText: 'To Bo' }).getByText('Bo thanked you').waitFor();
    await expect(host.page.locator('.sent-item', { hasText: 'To Ana' }).getByText('thanked you').count()).resolves.toBe(0);

    // Bo keeps his warm showers: a Markdown file made in the browser.
    const saved = await download(bo.page);
    expect(saved.name).toBe(`warm-showers-${code}.md`);
    expect(saved.text).toContain('> Dear Bo, host thinks you are wonderful.');
    expect(saved.text).toContain('> Dear Bo, ana thinks you are wonderful.');
    expect(saved.text.match(/— Anonymous/g)).toHaveLength(2);
    // Printing shows only the warm showers.
    await bo.page.emulateMedia({ media: 'print' });
    await expect(bo.page.getByRole('heading', { name: 'Write to your team' }).isVisible()).resolves.toBe(false);
    await expect(messagesOn(bo.page).first().isVisible()).resolves.toBe(true);
    await bo.page.emulateMedia({ media: 'screen' });
    await expect(bo.page.getByText(why).isVisible()).resolves.toBe(false); // something to keep now

    // Ana reloads: still in the session, her inbox back, once; a screen reader hears the count once.
    // The host reloads too: the thanks and the texts it wrote are still beside each other.
    await ana.page.reload();
    await ana.page.getByRole('heading', { name: 'Hello, Ana' }).waitFor();
    await expectCount(messagesOn(ana.page), 2);
    await ana.page.getByRole('status').filter({ hasText: 'You have 2 warm showers.' }).waitFor({ state: 'attached' });
    await ana.page.locator('ol.inbox[aria-live="polite"]').waitFor({ state: 'attached' });
    await ana.page.getByRole('heading', { name: 'Thank you!' }).waitFor();
    // Home and back into the session ("Go back to it"): the inbox comes back as quietly, its count said once.
    await ana.page.getByRole('link', { name: 'Warm Shower' }).click();
    await ana.page.getByRole('button', { name: 'Go back to it' }).click();
    await expectCount(messagesOn(ana.page), 2);
    await ana.page.getByRole('status').filter({ hasText: 'You have 2 warm showers.' }).waitFor({ state: 'attached' });
    await host.page.reload();
    await host.page.locator('.sent-item', { hasText: 'Dear Bo, host thinks you are wonderful.' }).getByText('Bo thanked you').waitFor();
    await bo.page.reload();
    await expect.poll(() => bo.page.locator('.inbox .message', { hasText: 'host thinks' }).getByRole('button').textContent()).toBe('Thanked');

    // Someone new joins: the list reopens for everyone who had finished (core's `incomplete`).
    await f.joinApi(code, 'Latecomer Lu');
    for (const { page } of [host, ana, bo]) {
      await page.getByRole('button', { name: 'Write a warm shower to Latecomer Lu' }).waitFor();
      await page.getByText('2 of 3 sent').waitFor();
      await expect(page.getByRole('heading', { name: 'Thank you!' }).isVisible()).resolves.toBe(false);
    }
    await expectCount(messagesOn(ana.page), 2);

    // The host ends the session (after confirming); every page says so and forgets it, but the
    // readers keep what they received on screen.
    await host.page.getByRole('button', { name: 'End session', exact: true }).first().click();
    const confirm = host.page.getByRole('dialog', { name: 'End this session for everyone?' });
    await confirm.getByRole('button', { name: 'Keep it open' }).click();
    await expect(confirm.isVisible()).resolves.toBe(false);
    await host.page.getByRole('button', { name: 'End session', exact: true }).first().click();
    await confirm.getByRole('button', { name: 'End session for everyone' }).click();
    for (const { page } of [host, ana, bo]) {
      await page.getByRole('heading', { name: 'This session has ended' }).waitFor();
      // The host who ended it reads that they did; the others, that the host did.
      await page.getByText(page === host.page ? 'You ended it.' : 'The host ended it.').waitFor();
      await expectCount(messagesOn(page), 2);
      await expect(page.evaluate(() => sessionStorage.length)).resolves.toBe(0);
      expect(page.url()).toBe(f.base);
    }
    await expect(messagesOn(bo.page).getByRole('button').count()).resolves.toBe(0); // nothing left to thank
  });

  it('a long list can be filtered by name', async () => {
    const { code } = await f.session();
    for (const name of ['Ada', 'Babbage', 'Curie', 'Darwin', 'Euler', 'Faraday', 'Gauss']) await f.joinApi(code, name);
    const { page } = await f.person();
    await joinByLink(page, f.base, code, 'Hopper');
    await page.getByLabel('Find a person').fill('da');
    await expect.poll(() => page.locator('.people .name:visible').allTextContents()).toEqual(['Ada', 'Darwin', 'Faraday']);
    await page.getByLabel('Find a person').fill('zz');
    await page.getByText('No one here matches “zz”.').waitFor();
  });

  it('the tab title counts warm showers that arrive while the tab is hidden; one that arrives off-screen on a phone shows a cue', async () => {
    const { code } = await f.session();
    const writer = await f.joinApi(code, 'Writer');
    const other = await f.joinApi(code, 'Other');
    const { page } = await f.person({ viewport: { width: 360, height: 640 } });
    await joinByLink(page, f.base, code, 'Reader');
    const title = await page.title();
    const me = (await passOf(page, code)).participant!.id;
    const visibility = (state: 'hidden' | 'visible') =>
      page.evaluate((value) => {
        Object.defineProperty(document, 'visibilityState', { value, configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
      }, state);
    await visibility('hidden');
    await writer.client.send(code, { to: me, text: 'You are a joy to work with.' });
    await expect.poll(() => page.title()).toBe(`(1) ${title}`);
    await visibility('visible');
    await expect.poll(() => page.title()).toBe(title);

    // At the top of a phone's screen the inbox is out of sight: a cue says one arrived and goes there.
    await page.evaluate(() => window.scrollTo(0, 0));
    await other.client.send(code, { to: me, text: 'Your reviews teach me something every time.' });
    const cue = page.getByRole('button', { name: 'New warm shower' });
    await cue.click();
    await expect.poll(() => page.locator('.inbox .message').first().evaluate((li) => {
      const box = li.getBoundingClientRect();
      return box.top >= 0 && box.bottom <= window.innerHeight;
    })).toBe(true);
    await expect(cue.isVisible()).resolves.toBe(false);
  });
});
