import { expect, test } from 'vitest';
import { cli, events, redisPrefix, redisUrl, serve, start } from './helpers.js';

test('listen survives a restart of serve on Redis: a message sent meanwhile arrives exactly once', async () => {
  const redis = { url: redisUrl, prefix: redisPrefix('reconnect') };
  let first = await serve({ redis });
  // A second process on the same Redis takes requests while the first one is down.
  const second = await serve({ redis });
  const via = (server: { url: string }, token?: string) => ({ WARMSHOWER_URL: server.url, WARMSHOWER_TOKEN: token });
  try {
    const { code, hostToken } = JSON.parse((await cli(['create', '--json'], { env: via(first) })).stdout);
    const tokens: Record<string, string> = {};
    for (const name of ['Ada', 'Bob', 'Cy']) {
      tokens[name] = JSON.parse((await cli(['join', code, '--name', name, '--json'], { env: via(first) })).stdout).token;
    }
    const ada = start(['listen', code, '--json'], via(first, tokens.Ada));
    const messages = () => events(ada.stdout).filter((e) => e.event === 'message');
    await ada.until((l) => l.stdout.includes('"event":"ready"'), 'the stream to open');

    expect(await cli(['send', code, '--to', 'Ada', '--text', 'Before the restart.'], { env: via(first, tokens.Bob) }))
      .toMatchObject({ exitCode: 0 });
    await ada.until(() => messages().length === 1, 'the first message');

    // serve stops cleanly; the stream drops and listen keeps trying.
    expect(await first.stop('SIGTERM')).toBe(0);
    await ada.until((l) => l.stderr.includes('reconnecting'), 'listen to notice the drop');
    expect(await cli(['send', code, '--to', 'Ada', '--text', 'While you were away.'], { env: via(second, tokens.Cy) }))
      .toMatchObject({ exitCode: 0 });

    first = await serve({ redis, port: first.port });
    await ada.until(() => messages().length === 2, 'the message sent during the restart', 15_000);
    expect(ada.stderr).toContain('Reconnected.');

    expect(await cli(['end', code], { env: via(second, hostToken) })).toMatchObject({ exitCode: 0 });
    expect(await ada.exited).toBe(0);
    // Exactly once each, in order, though the stream was opened twice.
    expect(messages().map((m) => m.data.text)).toEqual(['Before the restart.', 'While you were away.']);
    expect(events(ada.stdout).filter((e) => e.event === 'ready')).toHaveLength(2);
    expect(events(ada.stdout).at(-1)).toEqual({ event: 'session-ended', data: { reason: 'ended' } });
  } finally {
    await Promise.all([first.stop('SIGKILL'), second.stop('SIGKILL')]);
  }
});
