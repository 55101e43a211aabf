// The built CLI and the page in one end-to-end session: each opens what the other sealed.
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { describeInBrowser, expectCount, joinByLink, messagesOn, sendShower, textsOn, useFixture } from './fixture.js';

const f = useFixture();
const bin = fileURLToPath(new URL('../../cli/dist/bin.js', import.meta.url));
// The CLI's end-to-end commands (`join --json` with a key, `send --key`, `listen --key`) are newer
// than some builds: a build without them is named in the title instead of failing obscurely.
const ready = existsSync(bin) && cliSources().includes('WARMSHOWER_KEY');

/** The built CLI's code: its entry and the chunks beside it. */
function cliSources(): string {
  const dist = fileURLToPath(new URL('../../cli/dist/', import.meta.url));
  return readdirSync(dist).filter((name) => name.endsWith('.js')).map((name) => readFileSync(dist + name, 'utf8')).join('\n');
}
const run = promisify(execFile);
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('WARMSHOWER_')));

const cli = async (...args: string[]) => (await run(process.execPath, [bin, ...args, '--server', f.server.url], { env })).stdout;

describeInBrowser('the CLI and the page', () => {
  const title = 'exchange end-to-end warm showers in one session, each decrypting what the other encrypted';
  (ready ? it : it.skip)(ready ? title : `${title} (skipped: packages/cli/dist/bin.js has no end-to-end commands yet)`, async () => {
    const { code } = await f.session({ encryption: 'e2e' });
    const { page } = await f.person();
    await joinByLink(page, f.base, code, 'Pia');
    const me = JSON.parse(await cli('join', code, '--name', 'Cli', '--json')) as { id: string; token: string; key: string };
    expect(me.key).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const listen = spawn(process.execPath, [bin, 'listen', code, '--token', me.token, '--key', me.key, '--json', '--server', f.server.url], { env });
    try {
      const events: Array<{ event: string; data: { text?: string; ciphertext?: string } }> = [];
      createInterface({ input: listen.stdout }).on('line', (line) => events.push(JSON.parse(line)));
      await expect.poll(() => events.some((e) => e.event === 'ready')).toBe(true);

      // The page seals for the CLI; `listen --key` opens it.
      await sendShower(page, 'Cli', 'From the page, sealed for the terminal 🌞');
      await expect.poll(() => events.find((e) => e.event === 'message')?.data.text, { timeout: 10_000 }).toBe('From the page, sealed for the terminal 🌞');
      expect(events.find((e) => e.event === 'message')?.data.ciphertext).toMatch(/^[A-Za-z0-9_-]+$/);

      // The CLI seals for the page; the page opens it.
      await cli('send', code, '--to', 'Pia', '--text', 'From the terminal, sealed for the page.', '--token', me.token, '--key', me.key);
      await expectCount(messagesOn(page), 1);
      await expect(textsOn(page)).resolves.toEqual(['From the terminal, sealed for the page.']);
    } finally {
      listen.kill('SIGTERM');
    }
  });
});
