import { WarmshowerClient, type EventStream } from '@warmshower/client';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeInBrowser, expectCount, joinByLink, messagesOn, passOf, sendShower, startPageServer, textsOn, useFixture } from './fixture.js';

const f = useFixture();

const alertText = (page: Page) => page.getByRole('alert').filter({ hasText: /\S/ }).first().textContent();

describeInBrowser('what people type is text', () => {
  it('HTML in a name and in a message is shown literally and never runs', async () => {
    const payload = '<img src=x onerror=window.__pwned=1>';
    const { code } = await f.session();
    const mallory = await f.person();
    const bea = await f.person();
    await joinByLink(mallory.page, f.base, code, payload);
    await joinByLink(bea.page, f.base, code, 'Bea');

    await mallory.page.getByRole('heading', { name: `Hello, ${payload}` }).waitFor();
    await expect(bea.page.locator('.people .name').first().textContent()).resolves.toBe(payload);
    await bea.page.getByRole('button', { name: `Write a warm shower to ${payload}` }).click();
    await expect(bea.page.getByRole('dialog').getByRole('heading').textContent()).resolves.toBe(`A warm shower for ${payload}`);
    await bea.page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await sendShower(bea.page, payload, payload);
    await sendShower(mallory.page, 'Bea', `${payload}\n<script>window.__pwned=2</script>`);

    await expectCount(messagesOn(mallory.page), 1);
    await expectCount(messagesOn(bea.page), 1);
    await expect(textsOn(mallory.page)).resolves.toEqual([payload]);
    await expect(textsOn(bea.page)).resolves.toEqual([`${payload}\n<script>window.__pwned=2</script>`]);
    await expect(bea.page.locator('.sent-item .message-text').textContent()).resolves.toBe(payload);
    for (const { page } of [mallory, bea]) {
      await expect(page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).resolves.toBeUndefined();
      await expectCount(page.locator('main img, main script'), 0);
    }
  });
});

describeInBrowser('every API error reads as a sentence', () => {
  it('wrong code, malformed code, a name the rules refuse, name taken, an empty message and already sent', async () => {
    const { code } = await f.session();
    const unknown = code === '000000' ? '000001' : '000000';
    const { page } = await f.person();

    await page.goto(`${f.base}?code=${unknown}`);
    // The stale link says so before anyone types; the form stays there to try another code.
    await page.getByText(`There is no live session with the code ${unknown.slice(0, 3)} ${unknown.slice(3)}: it has ended or the code is wrong.`).waitFor();
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await expect.poll(() => alertText(page)).toContain(`There is no live session with the code ${unknown}`);
    await expect(page.getByLabel('Session code').getAttribute('aria-invalid')).resolves.toBe('true');

    await page.getByLabel('Session code').fill('12ab');
    await expect(page.locator('.stale-link').isVisible()).resolves.toBe(false); // another code: the sentence goes
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await expect.poll(() => alertText(page)).toBe('A session code is six digits, like 042917.');

    // Core's own sentence, checked before anything is sent.
    await page.getByLabel('Session code').fill(code);
    await page.getByLabel('Your name').fill('Zoe\u200b');
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await expect.poll(() => alertText(page)).toBe(
      'A display name cannot contain invisible formatting characters (zero-width spaces, direction marks and the like).',
    );
    await expect(page.getByLabel('Your name').getAttribute('aria-invalid')).resolves.toBe('true');

    // The limit is said before anyone types, and counted (in characters, as core counts) while they do.
    await page.getByText('Up to 40 characters.').waitFor();
    await page.getByLabel('Your name').fill('😀'.repeat(40));
    await expect(page.getByLabel('Your name').inputValue()).resolves.toBe('😀'.repeat(40)); // 40 characters, 80 UTF-16 units: all kept
    await expect(page.locator('.counter').textContent()).resolves.toBe('40 / 40');
    await page.getByLabel('Your name').fill('a'.repeat(41));
    await expect(page.locator('.counter.over').textContent()).resolves.toBe('41 / 40');
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await expect.poll(() => alertText(page)).toBe('A display name can be at most 40 characters.');

    const cleo = await f.joinApi(code, 'Cleo');
    await page.getByLabel('Your name').fill('cleo');
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await expect.poll(() => alertText(page)).toBe('Someone in this session is already called “cleo”. Choose another name.');

    // Dev writes to Cleo from another device; Dev's page then learns it from the 409.
    await page.getByLabel('Your name').fill('Dev');
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await page.getByRole('heading', { name: 'Hello, Dev' }).waitFor();
    const dev = (await passOf(page, code)).participant!;
    await f.api.withToken(dev.token).send(code, { to: cleo.id, text: 'from my phone' });
    // Core tells this page it is complete; the list is still there to look at.
    await page.getByRole('heading', { name: 'Thank you!' }).waitFor();
    await page.getByRole('button', { name: 'See who you wrote to' }).click();
    // An empty message gets core's sentence in the dialog, before any request.
    await page.getByRole('button', { name: 'Write a warm shower to Cleo' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Send' }).click();
    await page.getByRole('dialog').getByText('A warm shower needs some text.').waitFor();
    await page.getByRole('dialog').getByLabel('Your message').fill('and again from the page');
    await page.getByRole('dialog').getByRole('button', { name: 'Send' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await page.getByText('1 of 1 sent').waitFor();
    await page.getByRole('heading', { name: 'Thank you!' }).waitFor();
    await page.getByText('You have already sent a warm shower to Cleo: one each.').waitFor();
  });

  it('a join link is checked after the form shows: a live session says nothing, and a failed check does not stop joining', async () => {
    const { code } = await f.session();
    const { page } = await f.person();
    // The check held back: the form is already there to use, and nothing claims the session is gone.
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let checks = 0;
    await page.route(`**/api/sessions/${code}`, async (route) => {
      if (route.request().method() !== 'GET' || checks++ > 0) return route.fallback();
      await held;
      await route.abort('internetdisconnected');
    });
    await page.goto(`${f.base}?code=${code}`);
    await page.getByRole('button', { name: 'Join', exact: true }).waitFor();
    release();
    await expect.poll(() => checks).toBeGreaterThan(0);
    await expect(page.getByText('There is no live session').isVisible()).resolves.toBe(false);
    await page.getByLabel('Your name').fill('Nia');
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await page.getByRole('heading', { name: 'Hello, Nia' }).waitFor();
  });

  it('too many attempts from one address get a clear wait', async () => {
    const limited = await startPageServer({ rateLimits: { missesPerMinute: 2 } });
    try {
      const { page } = await f.person();
      await page.goto(`${limited.url}/?code=000000`);
      for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Join', exact: true }).click();
      await expect.poll(() => alertText(page)).toMatch(/^Too many attempts from this network\. Wait \d+ seconds? and try again\.$/);
    } finally {
      await limited.close();
    }
  });

  it('two joins in one browser are two people: each tab keeps its own token (no cookie is shared)', async () => {
    const { code } = await f.session();
    const { page, context } = await f.person();
    await joinByLink(page, f.base, code, 'Fay');
    const other = await context.newPage();
    await joinByLink(other, f.base, code, 'Gil');
    await sendShower(page, 'Gil', 'From Fay’s tab.');
    await sendShower(other, 'Fay', 'From Gil’s tab.');
    await page.reload();
    await expect.poll(() => textsOn(page)).toEqual(['From Gil’s tab.']);
    await expect.poll(() => textsOn(other)).toEqual(['From Fay’s tab.']);
    await page.getByRole('heading', { name: 'Hello, Fay' }).waitFor();
  });

  it('a dropped stream reconnects by itself: "Reconnecting…" meanwhile, then nothing lost and nothing twice', async () => {
    const { code } = await f.session();
    const { page } = await f.person();
    await joinByLink(page, f.base, code, 'Hal');
    const me = (await passOf(page, code)).participant!.id;
    const [ivo, jan] = await Promise.all(['Ivo', 'Jan'].map((name) => f.joinApi(code, name)));
    await ivo!.client.send(code, { to: me, text: 'Before the drop.' });
    await expectCount(messagesOn(page), 1);

    await f.server.app.closeStreams(); // the connection drops; the session lives on
    await page.getByText('Connection lost. Reconnecting…').waitFor();
    await jan!.client.send(code, { to: me, text: 'During the drop.' });
    await expectCount(messagesOn(page), 2);
    await page.getByText('Connection lost. Reconnecting…').waitFor({ state: 'hidden' });
    await expect(textsOn(page)).resolves.toEqual(['During the drop.', 'Before the drop.']);
  });

  it('a tab over the streams one person may hold says why, and goes live once another closes', async () => {
    const { code } = await f.session();
    const { page, context } = await f.person();
    await joinByLink(page, f.base, code, 'Kim');
    const { participant } = await passOf(page, code);
    // Four more of Kim's streams elsewhere: with this tab's, the five one person may hold.
    const mine = new WarmshowerClient({ baseUrl: f.base, token: participant!.token });
    const elsewhere: EventStream[] = [];
    for (let i = 0; i < 4; i++) {
      const opened = new Promise<void>((resolve) => {
        elsewhere.push(mine.stream(code, { onEvent: (event) => void (event.event === 'ready' && resolve()) }));
      });
      await opened;
    }
    // The same tab duplicated (its sessionStorage copied): a sixth stream, refused.
    const stored = await page.evaluate((c) => sessionStorage.getItem(`warmshower:${c}`), code);
    const copy = await context.newPage();
    await copy.addInitScript(([c, pass]) => sessionStorage.setItem(`warmshower:${c}`, pass!), [code, stored] as const);
    await copy.goto(page.url());
    const banner = copy.getByText('Live updates are refused: This session is open in too many tabs or devices of yours.', { exact: false });
    await banner.waitFor();
    elsewhere.pop()!.close();
    await banner.waitFor({ state: 'hidden', timeout: 15_000 });
    const ivo = await f.joinApi(code, 'Ivo');
    await ivo.client.send(code, { to: participant!.id, text: 'Now live here too.' });
    await expect.poll(() => textsOn(copy)).toEqual(['Now live here too.']);
    for (const stream of elsewhere) stream.close();
  });
});
