// The shower moment (rules 9–12): held until the reveal, thanks, the expiry warning with Extend,
// and a refused message that keeps its draft.
import { expect, it } from 'vitest';
import {
  createSession, describeInBrowser, expectCount, joinByLink, messagesOn, passOf, sendShower, textsOn, useFixture,
} from './fixture.js';

const f = useFixture({ server: { screen: (text) => (/darn/i.test(text) ? 'it uses a word this team asked to avoid' : null) } });

describeInBrowser('the shower moment', () => {
  it('a reveal session shows nothing before the reveal, then everything at once; thanks reach the writer; the expiry warning comes and Extend works; a refused message keeps its draft; a 10 s session counts down and expires', async () => {
    // A short session beside it for the warning (it comes 4 s before the end of a 20 s session),
    // with its host's pass as a tab that created it would hold.
    const { code: short, host: shortHost } = await f.session({ ttlSeconds: 20 });
    const keeper = await f.person();
    await keeper.page.goto(f.base);
    const shortSummary = await shortHost.getSession(short);
    await keeper.page.evaluate(([code, pass]) => sessionStorage.setItem(`warmshower:${code}`, pass!), [
      short, JSON.stringify({ code: short, expiresAt: shortSummary.expiresAt, hostToken: shortHost.token }),
    ]);
    await keeper.page.goto(`${f.base}?code=${short}`);
    const reader = await f.person();
    await joinByLink(reader.page, f.base, short, 'Rae');
    const writer = await f.joinApi(short, 'Writer');
    await writer.client.send(short, { to: (await passOf(reader.page, short)).participant!.id, text: 'Keep this one.' });
    await expectCount(messagesOn(reader.page), 1);

    // A 10 s session beside them: its countdown runs out while the rest of this test goes on.
    const { code: brief } = await f.session({ ttlSeconds: 10 });
    const ida = await f.person();
    await joinByLink(ida.page, f.base, brief, 'Ida');
    await expect(ida.page.locator('.countdown-value').textContent()).resolves.toMatch(/^0:(0\d|10)$/);

    // The reveal session: a host and three people.
    const host = await f.person();
    const code = await createSession(host.page, f.base, { reveal: true });
    await host.page.getByText('Held until you reveal them: nobody has received anything yet.').waitFor();
    const people = { ana: await f.person(), bo: await f.person(), cy: await f.person() };
    const names = { ana: 'Ana', bo: 'Bo', cy: 'Cy' } as const;
    for (const [who, { page }] of Object.entries(people)) await joinByLink(page, f.base, code, names[who as keyof typeof names]);

    // Screening: the server's sentence in the dialog, and the draft is still there to change.
    const ana = people.ana.page;
    await ana.getByRole('button', { name: 'Write a warm shower to Bo' }).click();
    const dialog = ana.getByRole('dialog');
    // Before the reveal, the dialog says the message is held until then, beside Send.
    const heldNote = 'It waits until the host reveals the warm showers; then it arrives with all the others.';
    await expect(dialog.getByText(heldNote).isVisible()).resolves.toBe(true);
    await expect(dialog.getByRole('button', { name: 'Send' }).evaluate((send) => document.getElementById(send.getAttribute('aria-describedby') ?? '')?.textContent)).resolves.toBe(heldNote);
    await dialog.getByLabel('Your message').fill('Darn good work on the release, Bo.');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await dialog.getByText('This warm shower was not sent: it uses a word this team asked to avoid.').waitFor();
    await expect(dialog.getByLabel('Your message').inputValue()).resolves.toBe('Darn good work on the release, Bo.');
    await dialog.getByLabel('Your message').fill('Dear Bo, ana thinks you are wonderful.');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await dialog.waitFor({ state: 'hidden' });

    for (const [from, { page }] of Object.entries(people)) {
      for (const [to, name] of Object.entries(names)) {
        if (to !== from && !(from === 'ana' && to === 'bo')) await sendShower(page, name, `Dear ${name}, ${from} thinks you are wonderful.`);
      }
      await page.getByText('2 of 2 sent').waitFor();
    }
    // Nothing has reached anyone, not even a count; the host sees what is waiting.
    const reveal = host.page.locator('.host').getByRole('button', { name: 'Reveal the warm showers (6 waiting)' });
    await reveal.waitFor();
    await host.page.locator('.host').getByText('Everyone has written to everyone. Reveal the warm showers').waitFor();
    for (const { page } of Object.values(people)) {
      await page.getByText('Your warm showers will appear when the host reveals them.').waitFor();
      // And what they wrote says that nobody has it yet.
      await page.locator('.sent-panel').getByText('Nobody has received these yet: they wait until the host reveals them').waitFor();
      await expectCount(messagesOn(page), 0, 500);
      await expect(page.locator('.inbox-head .count').textContent()).resolves.toBe('');
      await expect(page.title()).resolves.not.toMatch(/^\(/);
    }
    // The presenter view offers the reveal too.
    await host.page.getByRole('button', { name: 'Presenter view' }).click();
    await host.page.locator('.presenter').getByRole('button', { name: 'Reveal the warm showers (6 waiting)' }).click();
    for (const [who, { page }] of Object.entries(people)) {
      await expectCount(messagesOn(page), 2);
      const others = Object.keys(names).filter((from) => from !== who);
      expect((await textsOn(page)).sort()).toEqual(others.map((from) => `Dear ${names[who as keyof typeof names]}, ${from} thinks you are wonderful.`).sort());
    }
    await host.page.keyboard.press('Escape');
    await expect(host.page.locator('.host').getByRole('button', { name: /Reveal the warm showers/ }).isVisible()).resolves.toBe(false);
    // The host reads plainly that it happened, and the writers' lists no longer say "waiting".
    await host.page.locator('.host').getByText('Revealed: everyone has received theirs.').waitFor();
    await expect(people.ana.page.locator('.sent-panel').getByText('Nobody has received these yet').count()).resolves.toBe(0);

    // Cy thanks Bo's words; Bo's page says so beside what Bo wrote to Cy, and no one else's does.
    await people.cy.page.locator('.inbox .message', { hasText: 'bo thinks' }).getByRole('button', { name: 'Thank the writer of this warm shower' }).click();
    await people.bo.page.locator('.sent-item', { hasText: 'To Cy' }).getByText('Cy thanked you').waitFor();
    await expect(people.ana.page.getByText('thanked you').count()).resolves.toBe(0);

    // The short session's warning: seen and heard by its reader (with Save) and its host (with Extend).
    const readerWarning = reader.page.getByRole('alert').filter({ hasText: 'This session ends soon' });
    await readerWarning.waitFor({ timeout: 20_000 });
    await expect(readerWarning.textContent()).resolves.toContain('Save your warm showers now');
    await expect(reader.page.getByRole('button', { name: 'Save your messages' }).isEnabled()).resolves.toBe(true);
    await keeper.page.getByRole('alert').filter({ hasText: 'This session ends soon' }).waitFor();
    await expect(keeper.page.getByRole('button', { name: 'Save your messages' }).isVisible()).resolves.toBe(false);
    await keeper.page.locator('.warning').getByRole('button', { name: 'Extend' }).click();
    // 15 more minutes: the countdown moves on both pages and the warning goes.
    for (const { page } of [keeper, reader]) {
      await expect.poll(() => page.locator('.countdown-value').textContent()).toMatch(/^1[45]:\d\d$/);
      await page.locator('.warning').waitFor({ state: 'hidden' });
    }
    await expectCount(messagesOn(reader.page), 1);

    // The 10 s session is long over: its page counted down and says it expired, and forgot it.
    await ida.page.getByRole('heading', { name: 'This session has expired' }).waitFor();
    await ida.page.getByText('Its time ran out.').waitFor();
    await expect(ida.page.evaluate(() => sessionStorage.length)).resolves.toBe(0);
  }, 40_000);
});
