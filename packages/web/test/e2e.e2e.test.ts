// End-to-end encrypted sessions (SPEC §10): keys made in the page, texts sealed for their reader,
// the safety number, and what the page says where WebCrypto is missing.
import type { StreamEvent } from '@warmshower/core/protocol';
import { expect, it } from 'vitest';
import {
  createSession, describeInBrowser, download, expectCount, hostJoinsToo, joinByLink, messagesOn, passOf, sendShower, textsOn, useFixture,
} from './fixture.js';

const f = useFixture();

/** The inbox as the server hands it out: only ciphertext. */
async function inboxOnServer(code: string, token: string, count: number): Promise<Array<Extract<StreamEvent, { event: 'message' }>['data']>> {
  const messages: Array<Extract<StreamEvent, { event: 'message' }>['data']> = [];
  await new Promise<void>((resolve) => {
    const stream = f.api.withToken(token).stream(code, {
      onEvent(event) {
        if (event.event === 'message') messages.push(event.data);
        if (messages.length === count) {
          stream.close();
          resolve();
        }
      },
    });
  });
  return messages;
}

describeInBrowser('an end-to-end encrypted session', () => {
  it('three people write and read each other’s words, the server holds only ciphertext, a reload still decrypts, the file holds the plaintext, and everyone sees one safety number', async () => {
    const host = await f.person();
    const code = await createSession(host.page, f.base, { e2e: true });
    await host.page.getByText('Nobody has joined yet.').waitFor();
    await hostJoinsToo(host.page, 'Hana');
    const ana = await f.person();
    const bo = await f.person({ viewport: { width: 360, height: 740 } });
    await joinByLink(ana.page, f.base, code, 'Ana');
    await joinByLink(bo.page, f.base, code, 'Bo');

    // Everyone sees the same safety number, and it changes when someone joins.
    const numbers = () => Promise.all([host, ana, bo].map(({ page }) => page.locator('.safety-number').textContent()));
    await expect.poll(async () => new Set(await numbers()).size).toBe(1);
    const before = (await numbers())[0]!;
    expect(before).toMatch(/^\d{4} \d{4} \d{4}$/);
    // Beside it, when to compare, and what to do when a screen differs.
    await ana.page.locator('.safety').getByText('Once everyone has joined, one person reads it aloud').waitFor();
    await ana.page.locator('.safety').getByText('A different number on any screen: write nothing yet, and tell the host').waitFor();
    const pass = await passOf(ana.page, code);
    expect(pass.participant!.privateKey).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const pages = { hana: host.page, ana: ana.page, bo: bo.page } as const;
    const names = { hana: 'Hana', ana: 'Ana', bo: 'Bo' } as const;
    for (const [from, page] of Object.entries(pages)) {
      for (const [to, name] of Object.entries(names)) {
        if (to !== from) await sendShower(page, name, `Für ${name} 🌞 *from* ${from}: <b>thank you</b>`);
      }
    }
    for (const [who, page] of Object.entries(pages)) {
      await expectCount(messagesOn(page), 2);
      const expected = Object.keys(names).filter((from) => from !== who).map((from) => `Für ${names[who as keyof typeof names]} 🌞 *from* ${from}: <b>thank you</b>`);
      expect((await textsOn(page)).sort()).toEqual(expected.sort());
    }
    // The server only ever had ciphertext.
    for (const message of await inboxOnServer(code, pass.participant!.token, 2)) {
      expect(message.text).toBeUndefined();
      expect(message.ciphertext).toMatch(/^[A-Za-z0-9_-]+$/);
    }

    // A reload keeps the key with the token: the inbox replays and opens again.
    await ana.page.reload();
    await expectCount(messagesOn(ana.page), 2);
    expect((await textsOn(ana.page)).every((text) => text.startsWith('Für Ana'))).toBe(true);
    const saved = await download(ana.page);
    expect(saved.text).toContain('> Für Ana 🌞 \\*from\\* hana: \\<b\\>thank you\\</b\\>');
    expect(saved.text).toContain('> Für Ana 🌞 \\*from\\* bo: \\<b\\>thank you\\</b\\>');

    // Something that does not open shows as such; it does not break the page.
    const mallory = await f.joinApi(code, 'Mallory', { publicKey: 'A'.repeat(43) });
    await mallory.client.send(code, { to: pass.participant!.id, ciphertext: 'A'.repeat(400) });
    await ana.page.getByText('This warm shower could not be decrypted.').waitFor();
    await expect.poll(async () => new Set(await numbers()).size).toBe(1);
    expect((await numbers())[0]).not.toBe(before);
  });

  it('without WebCrypto (plain http from another address) the page says why it cannot encrypt, when creating and when joining', async () => {
    const { code } = await f.session({ encryption: 'e2e' });
    const { page, context } = await f.person();
    // As on http://192.168.x.y: no crypto.subtle outside a secure context.
    await context.addInitScript(() => Object.defineProperty(globalThis.crypto, 'subtle', { value: undefined }));
    await page.goto(f.base);
    await expect(page.getByLabel('End-to-end encrypted').isDisabled()).resolves.toBe(true);
    await page.getByText('Open the page over https, or on localhost, to take part in an end-to-end encrypted session.').first().waitFor();
    await page.goto(`${f.base}?code=${code}`);
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: /\S/ }).first().textContent()).toMatch(/cannot encrypt.*over https, or on localhost/);
  });
});
