import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createSession, describeInBrowser, expectCount, hostJoinsToo, joinByLink, passOf, sendShower, seriousViolations, textsOn, useFixture } from './fixture.js';

const f = useFixture();

/** Who the page has focus on, as a screen reader would start reading. */
const focused = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? '');

/** What this browser keeps in localStorage of any session. */
const keptIn = (page: Page) => page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('warmshower:kept:')));

describeInBrowser('coming back after the tab closed', () => {
  it('a participant who closes the tab continues as the same person from the link, their warm shower still there', async () => {
    const { code, host } = await f.session();
    const { context, page } = await f.person({ bypassCSP: true }); // for axe's script; the other tests keep the policy
    await joinByLink(page, f.base, code, 'Dev');
    const eli = await f.joinApi(code, 'Eli');
    await eli.client.send(code, { to: (await passOf(page, code)).participant!.id, text: 'Your notes saved the demo.' });
    await expect.poll(() => textsOn(page)).toEqual(['Your notes saved the demo.']);
    await sendShower(page, 'Eli', 'Thanks for the review.');
    await page.close();

    const again = await context.newPage();
    await again.goto(`${f.base}?code=${code}`);
    await again.getByText('You joined this session in this browser before.').waitFor();
    await again.getByRole('heading', { name: 'Or join as someone new' }).waitFor();
    await expect(seriousViolations(again)).resolves.toEqual([]);
    await again.getByRole('button', { name: 'Continue as Dev' }).click();
    await again.getByRole('heading', { name: 'Hello, Dev' }).waitFor();
    await expect(focused(again)).resolves.toBe('Hello, Dev');
    await expect.poll(() => textsOn(again)).toEqual(['Your notes saved the demo.']);
    // What Dev wrote comes back with its text, and no second Dev joined.
    await again.getByText('Thanks for the review.').waitFor();
    await expect(host.participants(code).then((list) => list.participants.map((p) => p.displayName).sort())).resolves.toEqual(['Dev', 'Eli']);
  });

  it('in an end-to-end session, the person who continues can still read what was encrypted for them', async () => {
    const host = await f.person();
    const code = await createSession(host.page, f.base, { e2e: true });
    const ana = await f.person();
    const bo = await f.person();
    await joinByLink(ana.page, f.base, code, 'Ana');
    await joinByLink(bo.page, f.base, code, 'Bo');
    await sendShower(bo.page, 'Ana', 'Für Ana 🌞: your calm carried us.');
    await expect.poll(() => textsOn(ana.page)).toEqual(['Für Ana 🌞: your calm carried us.']);
    const number = await ana.page.locator('.safety-number').textContent();
    await ana.page.close();

    const again = await ana.context.newPage();
    await again.goto(`${f.base}?code=${code}`);
    await again.getByRole('button', { name: 'Continue as Ana' }).click();
    await again.getByRole('heading', { name: 'Hello, Ana' }).waitFor();
    await expect.poll(() => textsOn(again)).toEqual(['Für Ana 🌞: your calm carried us.']);
    // The same key as before: the safety number did not change.
    await expect.poll(() => again.locator('.safety-number').textContent()).toBe(number);
  });

  it('a host who closes the tab finds the session on the home page, goes back to it and ends it', async () => {
    const { context, page } = await f.person();
    const code = await createSession(page, f.base);
    await page.close();

    const again = await context.newPage();
    await again.goto(f.base);
    await again.getByText(`You are in session ${code.slice(0, 3)} ${code.slice(3)} as its host.`).waitFor();
    await again.getByRole('button', { name: 'Go back to it' }).click();
    await expect(again.locator('.invite .code-display').textContent()).resolves.toBe(`${code.slice(0, 3)} ${code.slice(3)}`);
    await again.getByRole('button', { name: 'End session', exact: true }).first().click();
    await again.getByRole('button', { name: 'End session for everyone' }).click();
    await again.getByRole('heading', { name: 'This session has ended' }).waitFor();
    await expect(f.api.getSession(code)).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
  });

  it('a host who joined too is kept once, and comes back as both', async () => {
    const { context, page } = await f.person();
    const code = await createSession(page, f.base);
    await hostJoinsToo(page, 'Hana');
    await page.close();

    const again = await context.newPage();
    await again.goto(`${f.base}?code=${code}`);
    await again.getByRole('button', { name: 'Continue as Hana (the host)' }).click();
    await again.getByRole('heading', { name: 'Write to your team' }).waitFor();
    await expect(again.locator('.invite .code-display').textContent()).resolves.toBe(`${code.slice(0, 3)} ${code.slice(3)}`);
    await expect(keptIn(again)).resolves.toHaveLength(1);
  });

  it('with a person kept, a second tab of the same browser can still join as someone new', async () => {
    const { code, host } = await f.session();
    const { context, page } = await f.person();
    await joinByLink(page, f.base, code, 'Fay');
    const other = await context.newPage();
    await other.goto(`${f.base}?code=${code}`);
    await other.getByRole('button', { name: 'Continue as Fay' }).waitFor();
    await joinByLink(other, f.base, code, 'Gil');
    await other.getByRole('heading', { name: 'Hello, Gil' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Hello, Fay' }).waitFor();
    await expect(host.participants(code).then((list) => list.participants.length)).resolves.toBe(2);
    // Both are kept now: a third tab may continue as either.
    const third = await context.newPage();
    await third.goto(`${f.base}?code=${code}`);
    await expectCount(third.getByRole('button', { name: /^Continue as / }), 2);
  });

  it('once the host ends the session, the link offers no one to continue as, in a tab or after one closed', async () => {
    const { code, host } = await f.session();
    const { context, page } = await f.person();
    await joinByLink(page, f.base, code, 'Hal');
    const closed = await f.person();
    await joinByLink(closed.page, f.base, code, 'Ivo');
    await closed.page.close();
    await host.endSession(code);
    await page.getByRole('heading', { name: 'This session has ended' }).waitFor();
    // Hal's tab saw the end: nothing of the session stays in this browser.
    await expect(keptIn(page)).resolves.toEqual([]);
    const again = await context.newPage();
    await again.goto(`${f.base}?code=${code}`);
    await again.getByText(/There is no live session with the code/).waitFor();
    await expect(again.getByRole('button', { name: /^Continue as / }).count()).resolves.toBe(0);
    // Ivo's tab was closed by then: the link finds the session gone and forgets Ivo too. While the
    // page still asks, it offers nothing to continue as (no Continue that the answer would refuse).
    const ivo = await closed.context.newPage();
    let answer: () => void = () => undefined;
    const asked = new Promise<void>((resolve) => (answer = resolve));
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    await ivo.route(`**/api/sessions/${code}`, async (route) => {
      answer();
      await released;
      await route.continue();
    });
    await ivo.goto(`${f.base}?code=${code}`);
    await asked;
    await ivo.getByRole('heading', { name: 'Join the warm shower' }).waitFor();
    await expect(ivo.getByRole('button', { name: /^Continue as / }).count()).resolves.toBe(0);
    release();
    await ivo.getByText(/There is no live session with the code/).waitFor();
    await expectCount(ivo.getByRole('button', { name: /^Continue as / }), 0);
    await expect(keptIn(ivo)).resolves.toEqual([]);
  });

  it('a kept pass the server no longer knows is forgotten with a sentence, from the link or the home page, and one past its end is not offered', async () => {
    const { code } = await f.session();
    const { page } = await f.person();
    await page.goto(f.base);
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const earlier = new Date(Date.now() - 1_000).toISOString();
    await page.evaluate(([c, later, earlier]) => {
      localStorage.setItem(`warmshower:kept:${c}:p-gone`, JSON.stringify({ code: c, expiresAt: later, participant: { id: 'p-gone', token: 'not-a-real-token', displayName: 'Jo' } }));
      localStorage.setItem(`warmshower:kept:${c}:p-old`, JSON.stringify({ code: c, expiresAt: earlier, participant: { id: 'p-old', token: 'old', displayName: 'Old Jo' } }));
    }, [code, later, earlier] as const);
    await page.goto(`${f.base}?code=${code}`);
    await expectCount(page.getByRole('button', { name: /^Continue as / }), 1);
    await page.getByRole('button', { name: 'Continue as Jo' }).click();
    await page.getByText('Your earlier visit as Jo can no longer be continued: this session no longer knows that pass. Join as someone new below.').waitFor();
    await expectCount(page.getByRole('button', { name: /^Continue as / }), 0);
    await expect(page.getByRole('heading', { name: 'Or join as someone new' }).isVisible()).resolves.toBe(false);
    await expect(page.evaluate(() => document.activeElement?.getAttribute('name'))).resolves.toBe('displayName');
    // From the home page, a refused pass leads to the join form with the same sentence.
    await page.evaluate(([c, later]) => {
      localStorage.setItem(`warmshower:kept:${c}:host`, JSON.stringify({ code: c, expiresAt: later, hostToken: 'not-the-host-token' }));
    }, [code, later] as const);
    await page.goto(f.base);
    await page.getByRole('button', { name: 'Go back to it' }).click();
    await page.getByText('Your earlier visit as the host can no longer be continued: this session no longer knows that pass. Join as someone new below.').waitFor();
    await expect(page.getByLabel('Session code').inputValue()).resolves.toBe(code);
    await page.getByLabel('Your name').fill('Jo');
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await page.getByRole('heading', { name: 'Hello, Jo' }).waitFor();
  });
});
