import { WarmshowerClient } from '@warmshower/client';
import { expect, test } from 'vitest';
import { cli, events, openSession, serveForFile, start, type Running } from './helpers.js';

const server = serveForFile();
const { env, running: listeners } = server;

test('an end-to-end session: keys made by join, texts sealed by send and opened by listen, one safety number for all', async () => {
  const created = await cli(['create', '--e2e'], { env });
  expect(created).toMatchObject({ exitCode: 0, stderr: '' });
  expect(created.stdout).toContain('the server never sees a word. It still sees who wrote to whom, and when.');

  const { code, hostToken, people } = await openSession(env, ['--e2e'], ['Ada', 'Bob', 'Cy']);
  const joinedByHand = await cli(['join', code, '--name', 'Eve'], { env });
  expect(joinedByHand).toMatchObject({ exitCode: 0, stderr: '' });
  const key = /^Your key: +([\w-]{43})$/m.exec(joinedByHand.stdout)?.[1];
  expect(key).toBeDefined();
  expect(joinedByHand.stdout).toContain(`  export WARMSHOWER_KEY=${key}\n`);
  expect(joinedByHand.stdout).toContain('your private key was made here and never leaves this machine');
  for (const member of Object.values(people)) {
    expect(Object.keys(member).sort()).toEqual(['displayName', 'expiresAt', 'id', 'key', 'token']);
    expect(member.key).toMatch(/^[\w-]{43}$/);
  }
  const as = (name: string, key = true) => ({
    ...env,
    WARMSHOWER_TOKEN: people[name]!.token,
    ...(key ? { WARMSHOWER_KEY: people[name]!.key! } : {}),
  });

  const ada = start(['listen', code, '--json'], as('Ada'));
  const bob = start(['listen', code], as('Bob'));
  const bobWithoutKey = start(['listen', code], as('Bob', false));
  listeners.push(ada, bob, bobWithoutKey);
  await ada.until((l) => l.stdout.includes('"event":"ready"'), 'Ada ready');
  await bob.until((l) => l.stdout.includes('Safety number:'), 'Bob ready');
  await bobWithoutKey.until((l) => l.stdout.includes('pass --key'), 'Bob without a key ready');

  // The key travels as --key (a value that may begin with "-") or as WARMSHOWER_KEY.
  const sent = await Promise.all([
    cli(['send', code, '--to', 'Ada', '--text', 'Sealed for you, Ada.', '--key', people.Bob!.key!], { env: as('Bob', false) }),
    cli(['send', code, '--to', 'ada', '--text', 'Only you can read this.', '--json'], { env: as('Cy') }),
    cli(['send', code, '--to', people.Bob!.id, '--text', 'Line one\nline two.'], { env: as('Ada') }),
  ]);
  for (const result of sent) expect(result).toMatchObject({ exitCode: 0, stderr: '' });
  expect(JSON.parse(sent[1]!.stdout)).toMatchObject({ to: people.Ada!.id, sentCount: 1 });

  // Without a key, with another's key, or with text the rules refuse: usage errors, nothing sent.
  const [noKey, otherKey, blank] = await Promise.all([
    cli(['send', code, '--to', 'Bob', '--text', 'Hi'], { env: as('Cy', false) }),
    cli(['send', code, '--to', 'Bob', '--text', 'Hi', '--key', people.Ada!.key!], { env: as('Cy', false) }),
    cli(['send', code, '--to', 'Bob', '--text', '   '], { env: as('Cy') }),
  ]);
  expect(noKey).toMatchObject({ exitCode: 2, stdout: '' });
  expect(noKey.stderr).toBe(
    `Session ${code} is end-to-end encrypted: sending needs the private key "warmshower join" printed; pass it with --key or set WARMSHOWER_KEY.\n`,
  );
  expect(otherKey).toMatchObject({ exitCode: 2, stdout: '' });
  expect(otherKey.stderr).toContain('That key is not the one you joined session');
  expect(blank).toMatchObject({ exitCode: 2, stdout: '', stderr: 'A warm shower needs some text.\n' });

  // A ciphertext that does not open (the server checks only its size) is shown as such.
  await new WarmshowerClient({ baseUrl: server.url, token: people.Cy!.token }).send(code, {
    to: people.Bob!.id,
    ciphertext: 'A'.repeat(400),
  });

  const messages = () => events(ada.stdout).filter((e) => e.event === 'message');
  await ada.until(() => messages().length === 2, 'Ada’s two messages');
  // The API's event, ciphertext and all, plus the text decrypted here.
  for (const m of messages()) {
    expect(Object.keys(m.data).sort()).toEqual(['ciphertext', 'id', 'receivedAt', 'text']);
    expect(m.data.ciphertext).not.toContain('Ada');
  }
  expect(messages().map((m) => m.data.text).sort()).toEqual(['Only you can read this.', 'Sealed for you, Ada.']);

  const bobMessages = (l: Running) => l.lines.filter((line) => line.includes('— Anonymous'));
  await bob.until((l) => bobMessages(l).length === 2, 'Bob’s two messages');
  expect(bobMessages(bob)).toEqual([
    expect.stringMatching(/^\[\d\d:\d\d\] "Line one ↵ line two\." — Anonymous \(id [\w-]{12}\)$/),
    expect.stringMatching(/^\[\d\d:\d\d\] \[could not be decrypted\] — Anonymous \(id [\w-]{12}\)$/),
  ]);
  await bobWithoutKey.until((l) => bobMessages(l).length === 2, 'Bob’s two messages, unread');
  for (const line of bobMessages(bobWithoutKey)) expect(line).toContain('[encrypted: pass --key to read it]');

  // Everyone, the host included, sees one safety number: in participants and in listen.
  const numbers = await Promise.all(
    [as('Ada'), as('Bob'), as('Cy'), { ...env, WARMSHOWER_TOKEN: hostToken }].map(async (who) => {
      const listed = await cli(['participants', code, '--json'], { env: who });
      expect(listed.exitCode).toBe(0);
      const human = await cli(['participants', code], { env: who });
      const { safetyNumber } = JSON.parse(listed.stdout) as { safetyNumber: string };
      expect(human.stdout).toContain(
        `Safety number: ${safetyNumber}. Read it aloud together: if everyone sees the same number, nobody's key was swapped.`,
      );
      return safetyNumber;
    }),
  );
  expect(numbers[0]).toMatch(/^\d{4} \d{4} \d{4}$/);
  expect(new Set(numbers).size).toBe(1);
  expect(bob.stdout).toContain(`Safety number: ${numbers[0]}.`);

  // A newcomer changes the number, and listen says so.
  await cli(['join', code, '--name', 'Dee', '--json'], { env });
  await bob.until((l) => l.stdout.includes('The safety number is now'), 'the new safety number');
  const after = JSON.parse((await cli(['participants', code, '--json'], { env: as('Bob') })).stdout).safetyNumber;
  expect(after).not.toBe(numbers[0]);
  expect(bob.stdout).toContain(`The safety number is now ${after}: read it aloud again.`);

  expect(await cli(['end', code], { env: { ...env, WARMSHOWER_TOKEN: hostToken } })).toMatchObject({ exitCode: 0 });
  for (const listener of [ada, bob, bobWithoutKey]) expect(await listener.exited).toBe(0);
});

test('listen with a key that is not the one its owner joined with stops at once: exit 2', async () => {
  const { code, people } = await openSession(env, ['--e2e'], ['Ada', 'Bob']);
  const listen = await cli(['listen', code, '--key', people.Bob!.key!], { env: { ...env, WARMSHOWER_TOKEN: people.Ada!.token } });
  expect(listen.exitCode).toBe(2);
  expect(listen.stderr).toBe(
    `That key is not the one you joined session ${code} with: use the key "warmshower join" printed for this session.\n`,
  );
});
