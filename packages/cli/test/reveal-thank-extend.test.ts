import { expect, test } from 'vitest';
import { cli, events, openSession, serveForFile, start, type Running } from './helpers.js';

const { env, running: listeners } = serveForFile();
const listen = (code: string, token: string, json = false) => {
  const running = start(['listen', code, ...(json ? ['--json'] : [])], { ...env, WARMSHOWER_TOKEN: token });
  listeners.push(running);
  return running;
};
const shown = (l: Running) => l.lines.filter((line) => line.includes('— Anonymous'));

test('a reveal session holds every warm shower until the host reveals it; then thanks reach their writer', async () => {
  const human = await cli(['create', '--reveal'], { env });
  expect(human.stdout).toMatch(/Reveal mode: the warm showers are held.+until you run "warmshower reveal \d{6}"/);

  const { code, hostToken, people } = await openSession(env, ['--reveal'], ['Ada', 'Bob', 'Cy']);
  const host = { ...env, WARMSHOWER_TOKEN: hostToken };
  const as = (name: string) => ({ ...env, WARMSHOWER_TOKEN: people[name]!.token });
  const ada = listen(code, people.Ada!.token, true);
  const bob = listen(code, people.Bob!.token);
  await ada.until((l) => l.stdout.includes('"event":"ready"'), 'Ada ready');
  await bob.until((l) => l.stdout.includes('Reveal mode: warm showers are held until the host reveals them'), 'Bob ready');

  const pairs = [
    ['Ada', 'Bob'],
    ['Ada', 'Cy'],
    ['Bob', 'Ada'],
    ['Bob', 'Cy'],
    ['Cy', 'Ada'],
    ['Cy', 'Bob'],
  ] as const;
  for (const [from, to] of pairs) {
    expect(await cli(['send', code, '--to', to, '--text', `From one to ${to}.`], { env: as(from) })).toMatchObject({ exitCode: 0 });
  }
  const status = await cli(['status', code], { env: host });
  expect(status.stdout).toContain(`Reveal mode: the warm showers are held until the host runs "warmshower reveal ${code}".`);
  expect(status.stdout).toContain('Progress: 6 of 6 warm showers sent');

  // A fresh stream replays the inbox: held, there is none; the live ones have heard nothing either.
  const late = listen(code, people.Cy!.token, true);
  await late.until((l) => l.stdout.includes('"event":"ready"'), 'a late listener');
  for (const listener of [ada, late]) expect(events(listener.stdout).filter((e) => e.event === 'message')).toEqual([]);
  expect(shown(bob)).toEqual([]);

  const [byMember, revealed] = [await cli(['reveal', code], { env: as('Ada') }), await cli(['reveal', code], { env: host })];
  expect(byMember).toMatchObject({ exitCode: 5, stdout: '' });
  expect(revealed).toMatchObject({ exitCode: 0, stderr: '' });
  expect(revealed.stdout).toBe(`Session ${code} is revealed: everyone now has their warm showers, and new ones arrive at once.\n`);
  const again = await cli(['reveal', code, '--json'], { env: host });
  expect(again).toMatchObject({ exitCode: 4, stdout: '' });
  expect(again.stderr.trim().split('\n')).toHaveLength(1);

  await ada.until((l) => events(l.stdout).filter((e) => e.event === 'message').length === 2, 'Ada’s revealed messages');
  await bob.until((l) => shown(l).length === 2, 'Bob’s revealed messages');
  expect(bob.lines).toContain('The host revealed the warm showers: here are yours.');
  const adaEvents = events(ada.stdout).map((e) => e.event);
  expect(adaEvents.indexOf('revealed')).toBeLessThan(adaEvents.indexOf('message'));

  // Thanks: the writers listen now, so their `ready.sent` names whom they wrote to.
  const writers = [listen(code, people.Bob!.token), listen(code, people.Cy!.token)];
  for (const writer of writers) await writer.until((l) => l.stdout.includes('Listening to session'), 'a writer ready');
  await late.until((l) => events(l.stdout).filter((e) => e.event === 'message').length === 2, 'Cy’s revealed messages');
  const [mine] = events(ada.stdout).filter((e) => e.event === 'message');
  const [cys] = events(late.stdout).filter((e) => e.event === 'message');
  const thanked = await cli(['thank', code, mine!.id!], { env: as('Ada') });
  expect(thanked).toMatchObject({ exitCode: 0, stderr: '' });
  expect(thanked.stdout).toBe('Thank you sent: the writer sees it, and you still do not learn who they are.\n');
  const [twice, notHers] = await Promise.all([
    cli(['thank', code, mine!.id!], { env: as('Ada') }),
    cli(['thank', code, cys!.id!], { env: as('Ada') }),
  ]);
  expect(twice).toMatchObject({ exitCode: 4, stdout: '' });
  expect(notHers).toMatchObject({ exitCode: 3, stdout: '' });

  const thanks = 'Someone thanked you for your warm shower to Ada.';
  await Promise.race(writers.map((w) => w.until((l) => l.stdout.includes(thanks), 'the thanks', 10_000)));
  // Exactly one of the two wrote that message; only they hear of it.
  expect(writers.filter((w) => w.stdout.includes(thanks))).toHaveLength(1);

  // Bob had written to everyone: a newcomer reopens his list, in one line.
  expect(bob.lines).toContain('You have written to everyone (2 warm showers): thank you!');
  await cli(['join', code, '--name', 'Dee'], { env });
  await bob.until((l) => l.lines.includes('Dee joined: you have 1 more to write.'), 'the newcomer line');
  expect(bob.lines).not.toContain('Dee joined.');
  await cli(['end', code], { env: host });
});

test('extend: the host moves the end (listen says so, warns, then the session expires); others may not', async () => {
  const { code, hostToken, people } = await openSession(env, [], ['Ada', 'Bob']);
  const host = { ...env, WARMSHOWER_TOKEN: hostToken };
  const ada = listen(code, people.Ada!.token);
  await ada.until((l) => l.stdout.includes('Listening to session'), 'Ada ready');

  const [byMember, tooShort] = await Promise.all([
    cli(['extend', code, '--ttl', '600'], { env: { ...env, WARMSHOWER_TOKEN: people.Bob!.token } }),
    cli(['extend', code, '--ttl', '5'], { env: host }),
  ]);
  expect(byMember).toMatchObject({ exitCode: 5, stdout: '' });
  expect(tooShort).toMatchObject({ exitCode: 2, stdout: '', stderr: '--ttl must be a whole number of seconds from 10 to 86400 (24 hours), not "5".\n' });

  const json = await cli(['extend', code, '--ttl', '7200', '--json'], { env: host });
  expect(json).toMatchObject({ exitCode: 0, stderr: '' });
  expect(JSON.parse(json.stdout)).toEqual({ code, expiresAt: expect.any(String), ttlSeconds: 7200 });
  const soon = await cli(['extend', code, '--ttl', '10'], { env: host });
  expect(soon).toMatchObject({ exitCode: 0, stderr: '' });
  expect(soon.stdout).toMatch(new RegExp(`^Session ${code} now expires in \\d+ s \\(at \\d\\d:\\d\\d\\); everyone listening is told\\.\\n$`));

  // Ten seconds: the warning comes at min(300 s, 10 / 5) before the end, then the end itself.
  expect(await ada.exited).toBe(0);
  expect(ada.lines.filter((line) => line.startsWith('The host moved the end'))).toEqual([
    expect.stringMatching(/^The host moved the end: the session now expires in 119 min \(at \d\d:\d\d\)\.$/),
    expect.stringMatching(/^The host moved the end: the session now expires in \d+ s \(at \d\d:\d\d\)\.$/),
  ]);
  expect(ada.lines).toContainEqual(expect.stringMatching(/^The session ends at \d\d:\d\d; save your warm showers now\.$/));
  expect(ada.lines.at(-1)).toBe('The session has expired; everything in it is deleted.');
}, 30_000);

test('reveal in a live session is a conflict, exit 4', async () => {
  const { code, hostToken } = await openSession(env, [], []);
  expect(await cli(['reveal', code], { env: { ...env, WARMSHOWER_TOKEN: hostToken } })).toMatchObject({ exitCode: 4, stdout: '' });
});
