import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cli, events, freePort, redisPrefix, redisUrl, serve, start, type Running } from './helpers.js';

const stores = [
  { store: 'memory', redis: undefined },
  { store: 'Redis', redis: { url: redisUrl, prefix: redisPrefix('shower') } },
] as const;

describe.each(stores)('a warm shower from the command line ($store store)', ({ store, redis }) => {
  let server: Awaited<ReturnType<typeof serve>>;
  const listeners: Running[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await serve({ redis });
    env = { WARMSHOWER_URL: server.url };
  });

  afterAll(async () => {
    await Promise.all(listeners.map((l) => l.stop('SIGKILL')));
    // A clean shutdown on either signal: streams closed, Redis quit, exit 0.
    expect(await server.stop(store === 'memory' ? 'SIGINT' : 'SIGTERM')).toBe(0);
    expect(server.stderr).toMatch(/SIG(INT|TERM): closing open streams and connections…\nStopped\.\n$/);
  });

  test('serve says which store it uses and the session lifetime, and that only this machine can open it', () => {
    expect(server.stdout).toContain(`listening on 127.0.0.1:${server.port}`);
    expect(server.stdout).toMatch(/Only this machine can open .+ other devices cannot reach it\..+--host 0\.0\.0\.0.+--public-url/);
    // With Redis, the key prefix too: an operator sharing one Redis needs it.
    expect(server.stdout).toMatch(store === 'memory' ? /Store: in memory/ : `Store: Redis at ${redis!.url}, keys under ${redis!.prefix}:.\n`);
    expect(server.stdout).toContain('Sessions last 60 min (3600 s)');
  });

  test('three people write to each other; each hears two anonymous messages; the host ends it', async () => {
    // The host opens a session.
    const human = await cli(['create', '--ttl', '600'], { env });
    expect(human).toMatchObject({ exitCode: 0, stderr: '' });
    expect(human.stdout).toMatch(/^Session \d{6} is open; it expires in 9 min/);
    const created = await cli(['create', '--json'], { env });
    expect(created).toMatchObject({ exitCode: 0, stderr: '' });
    const session = JSON.parse(created.stdout);
    expect(Object.keys(session).sort()).toEqual(['code', 'delivery', 'encryption', 'expiresAt', 'hostToken', 'ttlSeconds']);
    expect(session.code).toMatch(/^\d{6}$/);
    const { code, hostToken } = session as { code: string; hostToken: string };
    const host = { ...env, WARMSHOWER_TOKEN: hostToken };

    // Three people join; names are unique in any case.
    const people: Record<string, { id: string; token: string; displayName: string }> = {};
    for (const name of ['Ada', 'Bob']) {
      const joined = await cli(['join', code, '--name', name, '--json'], { env });
      expect(joined).toMatchObject({ exitCode: 0, stderr: '' });
      people[name] = JSON.parse(joined.stdout);
      expect(people[name]).toMatchObject({ displayName: name, id: expect.any(String), token: expect.any(String) });
    }
    const cyJoined = await cli(['join', code, '--name', 'Cy'], { env });
    expect(cyJoined.exitCode).toBe(0);
    expect(cyJoined.stdout).toMatch(new RegExp(`^You joined session ${code} as Cy; it expires in \\d+ min\\.`));
    people.Cy = {
      id: /Your id: +(\S+)/.exec(cyJoined.stdout)![1]!,
      token: /Your token: +(\S+)/.exec(cyJoined.stdout)![1]!,
      displayName: 'Cy',
    };
    const taken = await cli(['join', code, '--name', 'ADA'], { env });
    expect(taken).toMatchObject({ exitCode: 4, stdout: '' });
    expect(taken.stderr).toBe('Someone in this session is already called "ADA"; choose another name.\n');

    const as = (name: string) => ({ ...env, WARMSHOWER_TOKEN: people[name]!.token });

    // Everyone listens: Ada and the host as NDJSON, Bob and Cy as text.
    const listen = (name: string, json: boolean) => {
      const running = start(['listen', code, ...(json ? ['--json'] : [])], name === 'host' ? host : as(name));
      listeners.push(running);
      return running;
    };
    const ada = listen('Ada', true);
    const bob = listen('Bob', false);
    const cy = listen('Cy', false);
    const hostStream = listen('host', true);
    await ada.until((l) => l.stdout.includes('"event":"ready"'), 'Ada ready');
    await bob.until((l) => l.stdout.includes('Listening to session'), 'Bob ready');
    await cy.until((l) => l.stdout.includes('Listening to session'), 'Cy ready');
    await hostStream.until((l) => l.stdout.includes('"event":"ready"'), 'host ready');
    expect(bob.lines[0]).toBe(`Listening to session ${code} as Bob: 3 participants, it expires in 59 min. Ctrl-C stops.`);

    // The participant table.
    const table = await cli(['participants', code], { env: as('Ada') });
    expect(table).toMatchObject({ exitCode: 0, stderr: '' });
    expect(table.stdout.split('\n')[0]).toMatch(/^NAME +ID +ONLINE +YOU SENT$/);
    expect(table.stdout).toMatch(new RegExp(`Ada \\(you\\) +${people.Ada!.id} +yes`));
    expect(table.stdout).toMatch(new RegExp(`Bob +${people.Bob!.id} +yes +not yet`));
    expect(table.stdout).toContain('You have sent 0 of 2 warm showers.');

    // Six warm showers: by name in any case, by id, and from stdin.
    const first = await cli(['send', code, '--to', 'bob', '--text', 'Your reviews taught me a lot.'], { env: as('Ada') });
    expect(first).toMatchObject({ exitCode: 0, stderr: '' });
    expect(first.stdout).toBe('Sent your warm shower to Bob (1 of 2 sent, 1 to go).\n');
    const last = await cli(['send', code, '--to', people.Cy!.id, '--text', 'Thanks for the pairing.', '--json'], {
      env: as('Ada'),
    });
    expect(last).toMatchObject({ exitCode: 0, stderr: '' });
    expect(JSON.parse(last.stdout)).toEqual({
      id: expect.any(String),
      to: people.Cy!.id,
      sentCount: 2,
      remaining: 0,
      complete: true,
    });
    const fromStdin = await cli(['send', code, '--to', 'Ada', '--text', '-'], {
      env: as('Bob'),
      input: 'You always\nask the right question.\n',
    });
    expect(fromStdin).toMatchObject({ exitCode: 0, stdout: 'Sent your warm shower to Ada (1 of 2 sent, 1 to go).\n' });
    for (const [from, to, text] of [
      ['Bob', 'Cy', 'Your demo / slides\nwere great.'],
      ['Cy', 'Ada', 'Calm in every storm.'],
    ] as const) {
      expect(await cli(['send', code, '--to', to, '--text', text], { env: as(from) })).toMatchObject({ exitCode: 0 });
    }
    const cyLast = await cli(['send', code, '--to', 'BOB', '--text', '-- dashes are fine too'], { env: as('Cy') });
    expect(cyLast.stdout).toBe('Sent your warm shower to Bob. You have written to everyone (2 warm showers): thank you!\n');

    // Every way of getting it wrong, with its exit code and one sentence on stderr (run side by side).
    const otherCode = code === '000000' ? '000001' : '000000';
    const nowhereUrl = `http://127.0.0.1:${await freePort()}`;
    const [again, wrongCode, badToken, noToken, notHost, usage, blank, self, nobody, nowhere, listenWrong, listenBad] = await Promise.all([
      cli(['send', code, '--to', 'Bob', '--text', 'Once more!'], { env: as('Ada') }),
      cli(['send', otherCode, '--to', 'Bob', '--text', 'Hi'], { env: as('Ada') }),
      cli(['send', code, '--to', 'Bob', '--text', 'Hi', '--token', 'not-a-token'], { env }),
      cli(['participants', code], { env }),
      cli(['end', code], { env: as('Bob') }),
      cli(['send', code, '--to', 'Bob'], { env: as('Ada') }),
      cli(['send', code, '--to', 'Ada', '--text', '   '], { env: as('Cy') }),
      cli(['send', code, '--to', 'Cy', '--text', 'Me!'], { env: as('Cy') }),
      cli(['send', code, '--to', 'Zed', '--text', 'Hi'], { env: as('Cy') }),
      cli(['status', code, '--server', nowhereUrl]),
      cli(['listen', otherCode], { env: as('Ada') }),
      cli(['listen', code, '--json', '--token', 'not-a-token'], { env }),
    ]);
    expect(again).toMatchObject({ exitCode: 4, stdout: '' });
    expect(again.stderr).toBe('You have already sent a warm shower to Bob: one each.\n');
    expect(wrongCode).toMatchObject({ exitCode: 3, stdout: '' });
    expect(wrongCode.stderr).toBe('There is no live session with that code: it may have ended or expired.\n');
    expect(badToken).toMatchObject({ exitCode: 5, stdout: '', stderr: 'That token does not belong to this session.\n' });
    expect(noToken).toMatchObject({ exitCode: 5, stderr: 'This needs a token: pass --token or set WARMSHOWER_TOKEN.\n' });
    expect(notHost).toMatchObject({ exitCode: 5, stdout: '' });
    expect(notHost.stderr).toMatch(/^Only the host can .+\.\n$/);
    expect(usage).toMatchObject({ exitCode: 2, stdout: '' });
    expect(usage.stderr).toBe('Give the message: warmshower send <code> --to <id or name> --text <text>. See "warmshower send --help".\n');
    expect(blank).toMatchObject({ exitCode: 2, stdout: '' });
    expect(blank.stderr.trim().split('\n')).toHaveLength(1);
    expect(self).toMatchObject({ exitCode: 2, stderr: 'You cannot send a warm shower to yourself.\n' });
    expect(nobody).toMatchObject({ exitCode: 3, stdout: '' });
    expect(nobody.stderr).toContain('Nobody in session');
    expect(nowhere).toMatchObject({ exitCode: 1, stdout: '' });
    expect(nowhere.stderr).toMatch(/^Cannot reach the Warm Shower server at http:\/\/127\.0\.0\.1:\d+: the connection was refused\./);
    // A stream that is refused ends listen at once with the same codes.
    expect(listenWrong).toMatchObject({ exitCode: 3, stdout: '' });
    expect(listenWrong.stderr).toBe('There is no live session with that code: it may have ended or expired.\n');
    expect(listenBad).toMatchObject({ exitCode: 5, stdout: '', stderr: 'That token does not belong to this session.\n' });

    // A server URL that already ends in /api says what to give instead.
    const [withApi, listenWithApi] = await Promise.all([
      cli(['create', '--server', `${server.url}/api`]),
      cli(['listen', code, '--server', `${server.url}/api/`], { env: as('Ada') }),
    ]);
    const withoutApi = `give the server's address without /api: --server ${server.url}.\n`;
    expect(withApi).toMatchObject({ exitCode: 3, stdout: '', stderr: `There is no Warm Shower API at ${server.url}/api; ${withoutApi}` });
    expect(listenWithApi).toMatchObject({ exitCode: 3, stdout: '', stderr: `There is no Warm Shower API at ${server.url}/api/; ${withoutApi}` });

    // The host sees the progress.
    const status = await cli(['status', code], { env: host });
    expect(status).toMatchObject({ exitCode: 0, stderr: '' });
    expect(status.stdout).toMatch(new RegExp(`^Session ${code}: 3 participants, expires in 59 min \\(at \\d\\d:\\d\\d\\)\\.\n`));
    expect(status.stdout).toContain('Progress: 6 of 6 warm showers sent: everyone is done!');
    const statusJson = JSON.parse((await cli(['status', code, '--json'], { env: host })).stdout);
    expect(statusJson).toMatchObject({ code, participantCount: 3, progress: { sent: 6, possible: 6 } });

    // Anyone else is told where the progress is; --json simply has no "progress".
    const [statusAnyone, statusAnyoneJson] = await Promise.all([cli(['status', code], { env }), cli(['status', code, '--json'], { env })]);
    expect(statusAnyone).toMatchObject({ exitCode: 0, stderr: '' });
    expect(statusAnyone.stdout).toMatch(/\nProgress is shown to the host: add --token <host token>\.\n$/);
    expect(Object.keys(JSON.parse(statusAnyoneJson.stdout)).sort()).toEqual([
      'code',
      'delivery',
      'encryption',
      'expiresAt',
      'participantCount',
      'revealed',
    ]);

    // Each listener heard exactly two messages, signed "Anonymous", before the host ends it.
    await ada.until((l) => events(l.stdout).filter((e) => e.event === 'message').length === 2, 'Ada’s two messages');
    for (const listener of [bob, cy]) {
      await listener.until((l) => l.lines.filter((line) => line.includes('— Anonymous (id ')).length === 2, 'two messages');
    }
    const ended = await cli(['end', code], { env: host });
    expect(ended).toMatchObject({ exitCode: 0, stderr: '', stdout: `Session ${code} has ended; everything in it is deleted.\n` });
    for (const listener of [ada, bob, cy, hostStream]) expect(await listener.exited).toBe(0);

    const adaEvents = events(ada.stdout);
    const messages = adaEvents.filter((e) => e.event === 'message');
    expect(messages.map((m) => m.data.text).sort()).toEqual(['Calm in every storm.', 'You always\nask the right question.']);
    for (const m of messages) {
      expect(m.id).toBe(m.data.id);
      expect(Object.keys(m.data).sort()).toEqual(['id', 'receivedAt', 'text']);
    }
    expect(adaEvents.filter((e) => e.event === 'complete')).toEqual([{ event: 'complete', data: { sentCount: 2 } }]);
    expect(adaEvents.at(-1)).toEqual({ event: 'session-ended', data: { reason: 'ended' } });

    const bobMessages = bob.lines.filter((line) => line.includes('— Anonymous'));
    expect(bobMessages).toEqual([
      expect.stringMatching(/^\[\d\d:\d\d\] "Your reviews taught me a lot\." — Anonymous \(id [\w-]{12}\)$/),
      expect.stringMatching(/^\[\d\d:\d\d\] "-- dashes are fine too" — Anonymous \(id [\w-]{12}\)$/),
    ]);
    // A line break is shown as ↵, not as the " / " that was written: one event stays one line.
    expect(cy.lines.filter((line) => line.includes('— Anonymous'))).toContainEqual(
      expect.stringMatching(/^\[\d\d:\d\d\] "Your demo \/ slides ↵ were great\." — Anonymous \(id [\w-]{12}\)$/),
    );
    // No line a recipient reads names the sender of a message (the random id aside).
    for (const line of [...bobMessages, ...cy.lines.filter((l) => l.includes('— Anonymous'))]) {
      expect(line.replace(/\(id [\w-]+\)$/, '')).not.toMatch(/Ada|Bob|Cy/);
    }
    expect(bob.lines.at(-1)).toBe('The host ended the session; everything in it is deleted.');

    const progress = events(hostStream.stdout).filter((e) => e.event === 'progress');
    expect(progress.at(-1)).toEqual({ event: 'progress', data: { sent: 6, possible: 6 } });

    // Ended means gone.
    const gone = await cli(['status', code], { env: host });
    expect(gone).toMatchObject({ exitCode: 3, stdout: '' });
  });
});
