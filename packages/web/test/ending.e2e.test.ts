// A kind ending: when the session ends or is lost, the reader keeps what they received on screen,
// with Save and Print, and the page says which of the two happened.
import { WarmshowerClient } from '@warmshower/client';
import type { RunningServer } from '@warmshower/server/node';
import { expect, it } from 'vitest';
import { describeInBrowser, download, expectCount, joinByLink, messagesOn, passOf, startPageServer, textsOn, useFixture, type Person } from './fixture.js';

const f = useFixture({ server: false });

const texts = ['Your questions make our plans better.', 'Thank you for the *calm* on Tuesday.', 'You make new people feel at home.'];

/** A reader on the page with three warm showers from three people of the API. */
async function readerWithThree(server: RunningServer): Promise<{ reader: Person; code: string; host: WarmshowerClient }> {
  const api = new WarmshowerClient({ baseUrl: server.url });
  const created = await api.createSession();
  const reader = await f.person();
  await joinByLink(reader.page, `${server.url}/`, created.code, 'Rui');
  const to = (await passOf(reader.page, created.code)).participant!.id;
  for (const [i, text] of texts.entries()) {
    const writer = await api.join(created.code, { displayName: `Writer ${i}` });
    await api.withToken(writer.token).send(created.code, { to, text });
  }
  await expectCount(messagesOn(reader.page), 3);
  return { reader, code: created.code, host: api.withToken(created.hostToken) };
}

/** The page after the end: the three texts, a Download that holds them, Print, and nothing stored. */
async function keepsThree(reader: Person, code: string): Promise<void> {
  expect((await textsOn(reader.page)).sort()).toEqual([...texts].sort());
  const saved = await download(reader.page);
  expect(saved.name).toBe(`warm-showers-${code}.md`);
  for (const text of texts) expect(saved.text).toContain(`> ${text.replace(/\*/g, '\\*')}`);
  await expect(reader.page.getByRole('button', { name: 'Print' }).isEnabled()).resolves.toBe(true);
  await reader.page.emulateMedia({ media: 'print' });
  await expect(messagesOn(reader.page).first().isVisible()).resolves.toBe(true);
  await expect(reader.page.getByRole('button', { name: 'Start a new session' }).isVisible()).resolves.toBe(false);
  await reader.page.emulateMedia({ media: 'screen' });
  await expect(reader.page.evaluate(() => sessionStorage.length)).resolves.toBe(0);
}

describeInBrowser('when a session is over', () => {
  it('the host ends it while a reader has three: the reader keeps them on screen, with Download and Print, and reads that it ended', async () => {
    const server = await startPageServer();
    try {
      const { reader, code, host } = await readerWithThree(server);
      await host.endSession(code);
      await reader.page.getByRole('heading', { name: 'This session has ended' }).waitFor();
      await reader.page.getByText('The host ended it.').waitFor();
      await keepsThree(reader, code);
      // Starting again leaves them behind, as the page said it would.
      await reader.page.getByRole('button', { name: 'Start a new session' }).click();
      await reader.page.getByRole('button', { name: 'Create a session' }).waitFor();
      await expectCount(messagesOn(reader.page), 0);
    } finally {
      await server.close();
    }
  });

  it('a memory-store server restarts: "Reconnecting…" meanwhile, then the reader keeps the three and reads that the session is no longer on the server', async () => {
    const first = await startPageServer();
    const { reader, code } = await readerWithThree(first);
    const port = first.port;
    await first.close();
    await reader.page.getByText('Connection lost. Reconnecting…').waitFor();
    // A server on the same address that never heard of the session.
    const again = await startPageServer({ port });
    try {
      await reader.page.getByRole('heading', { name: 'This session is no longer on the server' }).waitFor({ timeout: 15_000 });
      await keepsThree(reader, code);
    } finally {
      await again.close();
    }
  });
});
