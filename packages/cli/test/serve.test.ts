import { networkInterfaces } from 'node:os';
import { afterEach, expect, test } from 'vitest';
import { cli, openSession, printedPort, redisUrl, serve, start, startInTerminal, type Running } from './helpers.js';

const running: Running[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop('SIGTERM')));
});

/** `serve` with `args`, once it has printed its start lines. */
async function started(args: string[], env: Record<string, string> = {}) {
  // Port 0: the system picks a free one at listen time (a port chosen first could be taken meanwhile).
  const server = start(['serve', '--port', '0', ...args], env);
  running.push(server);
  await server.until((s) => s.stdout.includes('Ctrl-C stops.') || s.child.exitCode !== null, 'serve to start');
  const port = printedPort(server.stdout);
  // Only the start lines: request logs (JSON lines) may follow.
  const urls = server.lines.filter((line) => line.startsWith('  http')).map((line) => line.trim());
  return { server, port, urls, info: () => fetch(`http://127.0.0.1:${port}/api/info`).then((r) => r.json() as Promise<{ joinUrl: string }>) };
}

// Read, never connected to: the tests talk to loopback only.
const lan = Object.values(networkInterfaces())
  .flat()
  .filter((address) => address !== undefined && address.family === 'IPv4' && !address.internal)
  .map((address) => address!.address);

test(
  lan.length > 0
    ? 'serve on 0.0.0.0 prints localhost and a URL per LAN address; /api/info on 127.0.0.1 answers the first LAN URL as joinUrl'
    : 'serve on 0.0.0.0 prints localhost (this machine has no non-loopback IPv4 address: no LAN URL to check)',
  async () => {
    const { server, port, urls, info } = await started(['--host', '0.0.0.0']);
    expect(server.stdout).toContain(`Warm Shower is listening on 0.0.0.0:${port}. Open it at:\n  http://localhost:${port}\n`);
    expect(urls[0]).toBe(`http://localhost:${port}`);
    for (const address of lan) expect(urls).toContain(`http://${address}:${port}`);
    if (lan.length === 0) return;
    // A fresh clone prints a LAN URL, and the page's join link (from /api/info) is that URL.
    expect(server.stdout).not.toContain('Only this machine');
    const firstLan = urls.find((url) => lan.some((address) => url === `http://${address}:${port}`));
    expect((await info()).joinUrl).toBe(`${firstLan}/`);
  },
);

test('serve --public-url prints exactly that URL, /api/info and create use it for join links', async () => {
  const { server, urls, info, port } = await started(['--host', '127.0.0.1', '--public-url', 'http://shower.test:4455']);
  expect(urls).toEqual(['http://shower.test:4455']);
  expect(server.stdout).not.toContain('Only this machine');
  expect((await info()).joinUrl).toBe('http://shower.test:4455/');
  const created = await cli(['create'], { env: { WARMSHOWER_URL: `http://127.0.0.1:${port}` } });
  expect(created.stdout).toMatch(/or in a browser: +http:\/\/shower\.test:4455\/\?code=\d{6}\n/);
});

test('serve settings the server refuses exit 2 with a sentence that names the value', async () => {
  // Refused before listening: port 0 never gets bound.
  const port = '0';
  const [proxy, proxyEnv, publicUrl] = await Promise.all([
    cli(['serve', '--port', port, '--trust-proxy', 'nonsense']),
    cli(['serve', '--port', port], { env: { WARMSHOWER_TRUST_PROXY: 'nonsense' } }),
    cli(['serve', '--port', port], { env: { WARMSHOWER_PUBLIC_URL: 'ftp://shower.test' } }),
  ]);
  for (const result of [proxy, proxyEnv]) {
    expect(result).toMatchObject({ exitCode: 2, stdout: '' });
    expect(result.stderr).toContain('nonsense');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  }
  expect(publicUrl).toMatchObject({ exitCode: 2, stdout: '' });
  expect(publicUrl.stderr).toContain('ftp://shower.test');
});

test('a Redis URL of another scheme, or an empty --redis-prefix, exits 2 with a sentence naming the flag', async () => {
  const [http, inCluster, secret, emptyPrefix] = await Promise.all([
    cli(['serve', '--port', '0', '--redis-url', 'http://127.0.0.1:6379']),
    cli(['serve', '--port', '0'], { env: { REDIS_URL: 'redis://127.0.0.1:7000,127.0.0.1:7001,ftp://127.0.0.1:7002' } }),
    cli(['serve', '--port', '0', '--redis-url', 'https://ops:hunter2@127.0.0.1:6379']),
    cli(['serve', '--port', '0', '--redis-prefix', '']),
  ]);
  const must = (url: string) => `--redis-url (or REDIS_URL) must be a redis:// or rediss:// URL (or host:port), not "${url}".\n`;
  expect(http).toEqual({ exitCode: 2, stdout: '', stderr: must('http://127.0.0.1:6379') });
  expect(inCluster).toEqual({ exitCode: 2, stdout: '', stderr: must('ftp://127.0.0.1:7002') });
  // The password stays hidden, as in the start line.
  expect(secret).toEqual({ exitCode: 2, stdout: '', stderr: must('https://ops:***@127.0.0.1:6379') });
  expect(emptyPrefix).toEqual({
    exitCode: 2,
    stdout: '',
    stderr: '--redis-prefix must not be empty; leave it out for the default prefix "ws", or give one such as "shower".\n',
  });
});

test('an empty WARMSHOWER_REDIS_PREFIX counts as unset: the start line shows the default prefix', async () => {
  // Only started and stopped: no session, so nothing is written under the default prefix.
  const server = await serve({ args: ['--redis-url', redisUrl], env: { WARMSHOWER_REDIS_PREFIX: '' } });
  running.push(server);
  expect(server.stdout).toContain(`Store: Redis at ${redisUrl}, keys under ws:.\n`);
});

test('create against a server whose join link is loopback says so, and how to fix it for serve or a mounted app', async () => {
  const server = await serve();
  running.push(server);
  const created = await cli(['create'], { env: { WARMSHOWER_URL: server.url } });
  expect(created.exitCode).toBe(0);
  expect(created.stdout).toMatch(/or in a browser: +http:\/\/127\.0\.0\.1:\d+\/\?code=\d{6}\n/);
  expect(created.stdout).toContain(
    'That link points at this machine only: other devices cannot open it. Give the address people use with ' +
      '"warmshower serve --public-url https://…" (or listen on every interface: --host 0.0.0.0), ' +
      "or, for the app mounted in your own server, with createApp's publicUrl option.\n",
  );
  expect(created.stdout).not.toContain('see "warmshower serve --help"');
});

test('serve --max-participants 2: the third join is refused, exit 4', async () => {
  const server = await serve({ args: ['--max-participants', '2'] });
  running.push(server);
  const env = { WARMSHOWER_URL: server.url };
  const { code } = await openSession(env, [], ['Ada', 'Bob']);
  const third = await cli(['join', code, '--name', 'Cy'], { env });
  expect(third).toMatchObject({ exitCode: 4, stdout: '' });
  expect(third.stderr.trim().split('\n')).toHaveLength(1);
});

test('serve on a port in use exits 1 with a sentence', async () => {
  const first = await serve();
  running.push(first);
  const second = await cli(['serve', '--port', String(first.port), '--host', '127.0.0.1']);
  expect(second).toMatchObject({ exitCode: 1, stdout: '' });
  expect(second.stderr).toBe(`Port ${first.port} on 127.0.0.1 is already in use; choose another with --port.\n`);
});

test('serve --filter profanity refuses a warm shower with profanity: exit 2 with the reason', async () => {
  const server = await serve({ args: ['--filter', 'profanity'] });
  running.push(server);
  expect(server.stdout).toContain('Warm showers with profanity are refused');
  const env = { WARMSHOWER_URL: server.url };
  const { code, people } = await openSession(env, [], ['Ada', 'Bob']);
  const refused = await cli(['send', code, '--to', 'Bob', '--text', 'You are a fucking legend.'], {
    env: { ...env, WARMSHOWER_TOKEN: people.Ada!.token },
  });
  expect(refused).toMatchObject({ exitCode: 2, stdout: '' });
  expect(refused.stderr.trim().split('\n')).toHaveLength(1);
});

test('serve in a terminal logs no request lines and says how to have them; --log-level info, or a pipe, logs each request', async () => {
  const args = ['serve', '--port', '0', '--host', '127.0.0.1'];
  const quiet = startInTerminal(args);
  const loud = startInTerminal([...args, '--log-level', 'info']);
  const piped = start(args);
  running.push(quiet, loud, piped);
  for (const server of [quiet, loud, piped]) {
    await server.until((s) => s.stdout.includes('Ctrl-C stops.') || s.child.exitCode !== null, 'serve to start');
  }
  expect(quiet.stdout).toContain('Requests are not logged in a terminal, only warnings and errors: --log-level info logs every request.');
  for (const server of [loud, piped]) expect(server.stdout).not.toContain('Requests are not logged');
  // The quiet one is asked first: by the time the others have logged, it would have too.
  for (const server of [quiet, loud, piped]) {
    expect((await fetch(`http://127.0.0.1:${printedPort(server.stdout)}/api/info`)).status).toBe(200);
  }
  const requestLines = (server: Running) => server.stdout.split(/\r?\n/).filter((line) => line.startsWith('{') && line.includes('/api/info'));
  for (const server of [loud, piped]) await server.until((s) => requestLines(s).length > 0, 'a request line');
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(requestLines(quiet)).toEqual([]);
  expect(quiet.stdout.split(/\r?\n/).filter((line) => line.startsWith('{'))).toEqual([]);
});
