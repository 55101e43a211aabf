import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from 'vitest';
import { cli, freePort } from './helpers.js';

const commands = ['serve', 'create', 'join', 'participants', 'send', 'listen', 'status', 'reveal', 'extend', 'thank', 'end'];

test('every command has --help with an example, exit 0', async () => {
  const helps = await Promise.all(commands.map((command) => cli([command, '--help'])));
  helps.forEach((help, i) => {
    expect(help).toMatchObject({ exitCode: 0, stderr: '' });
    expect(help.stdout).toMatch(new RegExp(`^warmshower ${commands[i]}\\b`));
    expect(help.stdout).toMatch(new RegExp(`Examples:\\n +warmshower ${commands[i]} `));
  });
  const top = await cli(['--help']);
  for (const command of commands) expect(top.stdout).toContain(`warmshower ${command}`);
  expect(top.stdout).toMatch(/warmshower listen <code> +Print live events, one per line, until the session ends/);
});

// Against a port nobody listens on: a usage error is found before any request (else exit 1).
test('usage errors exit 2 with one sentence, before any request', async () => {
  const env = { WARMSHOWER_URL: `http://127.0.0.1:${await freePort()}` };
  const results = await Promise.all([
    ...['join', 'participants', 'listen', 'status', 'reveal', 'end'].map((command) => cli([command, '12345'], { env })),
    cli(['send', '1234567', '--to', 'Ada', '--text', 'Hi'], { env }),
    cli(['thank', 'abcdef', 'm1'], { env }),
    cli(['extend', '123456', '--ttl', '5'], { env }),
    cli(['create', '--ttl', '86401'], { env }),
    cli(['thank', '123456'], { env }),
    cli(['status', '123456', '--server', 'ftp://example.org']),
  ]);
  for (const result of results) {
    expect(result).toMatchObject({ exitCode: 2, stdout: '' });
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  }
  expect(results[0]!.stderr).toBe('"12345" is not a session code: a code is six digits, such as 123456. See "warmshower join --help".\n');
  expect(results[8]!.stderr).toBe('--ttl must be a whole number of seconds from 10 to 86400 (24 hours), not "5".\n');
  expect(results[9]!.stderr).toBe('--ttl must be a whole number of seconds from 10 to 86400 (24 hours), not "86401".\n');
  expect(results[10]!.stderr).toBe(
    'Give the id of the warm shower to thank ("listen" shows it after each message): warmshower thank <code> <message-id>. ' +
      'See "warmshower thank --help".\n',
  );
  expect(results[11]!.stderr).toBe(
    'The server URL must start with http:// or https://, not "ftp:". (Set it with --server or WARMSHOWER_URL.)\n',
  );
});

test('a missing, extra or unknown argument is a sentence saying what to give, exit 2', async () => {
  const env = { WARMSHOWER_URL: `http://127.0.0.1:${await freePort()}`, LANG: 'de_DE.UTF-8' };
  const said = async (args: string[]) => {
    const result = await cli(args, { env });
    expect(result).toMatchObject({ exitCode: 2, stdout: '' });
    return result.stderr;
  };
  const see = (command: string) => ` See "warmshower ${command} --help".\n`;
  expect(await said(['join'])).toBe(`Give the session's code: warmshower join <code>.${see('join')}`);
  expect(await said(['status'])).toBe(`Give the session's code: warmshower status <code>.${see('status')}`);
  expect(await said(['thank'])).toBe(
    'Give the session\'s code and the id of the warm shower to thank ("listen" shows it after each message): ' +
      `warmshower thank <code> <message-id>.${see('thank')}`,
  );
  const sendHow = 'warmshower send <code> --to <id or name> --text <text>.';
  expect(await said(['send', '123456'])).toBe(`Give the recipient and the message: ${sendHow}${see('send')}`);
  expect(await said(['send', '123456', '--text', 'Hi', '--to'])).toBe(`--to needs a value: ${sendHow}${see('send')}`);
  expect(await said(['extend', '123456'])).toBe(
    `Give the seconds from now until the session ends: warmshower extend <code> --ttl <seconds>.${see('extend')}`,
  );
  expect(await said(['status', '123456', 'extra'])).toBe(`Too many arguments: "extra" is not part of warmshower status <code>.${see('status')}`);
  expect(await said(['status', '123456', '--bogus'])).toBe(`"warmshower status" has no option --bogus.${see('status')}`);
  expect(await said(['serve', '--bogus-flag'])).toBe(`"warmshower serve" has no option --bogus-flag.${see('serve')}`);
  expect(await said(['serve', '--bogusFlag', '--other-x'])).toBe(`"warmshower serve" has no options --bogusFlag and --other-x.${see('serve')}`);
  expect(await said(['creat'])).toBe('There is no command "creat"; did you mean "warmshower create"? See "warmshower --help".\n');
});

test('a number typed as text is quoted as typed, in every command that takes one, exit 2', async () => {
  const env = { WARMSHOWER_URL: `http://127.0.0.1:${await freePort()}` };
  const ttl = (flag: string, typed: string) => `${flag} must be a whole number of seconds from 10 to 86400 (24 hours), not "${typed}".\n`;
  const cases: Array<[string[], string]> = [
    [['serve', '--port', 'abc'], '--port (or PORT) must be a whole number from 0 to 65535, not "abc".\n'],
    [['serve', '--port', ''], '--port (or PORT) must be a whole number from 0 to 65535, not "".\n'],
    [['serve', '--ttl', '1h'], ttl('--ttl (or WARMSHOWER_TTL)', '1h')],
    [['serve', '--max-participants', 'ten'], '--max-participants (or WARMSHOWER_MAX_PARTICIPANTS) must be a whole number from 2 to 1000, not "ten".\n'],
    [['create', '--ttl', '1h'], ttl('--ttl', '1h')],
    [['extend', '123456', '--ttl', '30m'], ttl('--ttl', '30m')],
  ];
  const results = await Promise.all(cases.map(([args]) => cli(args, { env })));
  results.forEach((result, i) => expect(result).toEqual({ exitCode: 2, stdout: '', stderr: cases[i]![1] }));
});

test('an option given twice is refused before any request, without echoing the values (one may be a token), exit 2', async () => {
  const env = { WARMSHOWER_URL: `http://127.0.0.1:${await freePort()}` };
  const cases: Array<[string[], string]> = [
    [['create', '--ttl', '60', '--ttl', '70'], '--ttl was given twice; give it once. See "warmshower create --help".\n'],
    [['send', '123456', '--to', 'Ada', '--to', 'Bo', '--to', 'Cy', '--text', 'Hi'], '--to was given 3 times; give it once. See "warmshower send --help".\n'],
    [['status', '123456', '--token', 'secret-one', '--token=secret-two'], '--token was given twice; give it once. See "warmshower status --help".\n'],
  ];
  const results = await Promise.all(cases.map(([args]) => cli(args, { env })));
  results.forEach((result, i) => expect(result).toEqual({ exitCode: 2, stdout: '', stderr: cases[i]![1] }));
});

test('a value that is not one of the choices is one sentence naming the choices, exit 2', async () => {
  const [level, filter, both] = await Promise.all([
    cli(['serve', '--log-level', 'verbose']),
    cli(['serve', '--filter', 'swear']),
    cli(['serve', '--filter', 'swear', '--log-level', 'verbose']),
  ]);
  const see = ' See "warmshower serve --help".\n';
  expect(level).toMatchObject({ exitCode: 2, stdout: '', stderr: `--log-level must be one of error, warn, info, debug, not "verbose".${see}` });
  expect(filter).toMatchObject({ exitCode: 2, stdout: '', stderr: `--filter must be one of profanity, not "swear".${see}` });
  expect(both).toMatchObject({
    exitCode: 2,
    stderr: `--filter must be one of profanity, not "swear"; --log-level must be one of error, warn, info, debug, not "verbose".${see}`,
  });
});

test('the command list and thank --help agree that thank needs a message id', async () => {
  const [top, thank] = await Promise.all([cli(['--help']), cli(['thank', '--help'])]);
  expect(top.stdout).toMatch(/warmshower thank <code> <message-id> +Thank the writer/);
  expect(thank.stdout).toMatch(/^warmshower thank <code> <message-id>\n/);
  expect(thank.stdout).not.toContain('[message-id]');
});

test('--token is described for what each command does with it, and create and join do not offer it', async () => {
  const help = async (command: string) => (await cli([command, '--help'])).stdout;
  for (const command of ['create', 'join']) expect(await help(command)).not.toContain('--token');
  expect(await help('send')).toMatch(/--token +your participant token \(join prints it\)/);
  for (const command of ['reveal', 'extend', 'end']) expect(await help(command)).toMatch(/--token +the host token \(create prints it\) /);
  expect(await help('status')).toMatch(/--token +the host token \(create prints it\), to see the progress too/);
  // Not offered, but still accepted: a script may pass it to every command.
  const env = { WARMSHOWER_URL: `http://127.0.0.1:${await freePort()}` };
  expect(await cli(['create', '--token', 't', '--ttl', '5'], { env })).toMatchObject({
    exitCode: 2,
    stderr: '--ttl must be a whole number of seconds from 10 to 86400 (24 hours), not "5".\n',
  });
});

test('extend --help says that --ttl counts from now and replaces the time left', async () => {
  const help = (await cli(['extend', '--help'])).stdout;
  expect(help).toContain('seconds from now until the session ends (10 to 86400): it replaces the time left, it is not added to it');
  expect(help).toMatch(/^Make the session end --ttl seconds from now, sooner or later than planned \(host only\)$/m);
});

test('serve refuses settings out of range with a sentence naming the flag and its variable, exit 2', async () => {
  const port = '0'; // refused before listening
  const [ttl, fewPeople, manyPeople, level, levelEnv, badPort] = await Promise.all([
    cli(['serve', '--port', port, '--ttl', '5']),
    cli(['serve', '--port', port, '--max-participants', '0']),
    cli(['serve', '--port', port], { env: { WARMSHOWER_MAX_PARTICIPANTS: '1001' } }),
    cli(['serve', '--port', port, '--log-level', 'loud']),
    cli(['serve', '--port', port], { env: { LOG_LEVEL: 'loud' } }),
    cli(['serve'], { env: { PORT: 'eighty' } }),
  ]);
  expect(ttl).toMatchObject({
    exitCode: 2,
    stderr: '--ttl (or WARMSHOWER_TTL) must be a whole number of seconds from 10 to 86400 (24 hours), not "5".\n',
  });
  expect(fewPeople).toMatchObject({
    exitCode: 2,
    stderr: '--max-participants (or WARMSHOWER_MAX_PARTICIPANTS) must be a whole number from 2 to 1000, not "0".\n',
  });
  expect(manyPeople).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('from 2 to 1000, not "1001".') });
  expect(level).toMatchObject({
    exitCode: 2,
    stderr: '--log-level must be one of error, warn, info, debug, not "loud". See "warmshower serve --help".\n',
  });
  expect(levelEnv).toMatchObject({
    exitCode: 2,
    stderr: '--log-level (or LOG_LEVEL) must be one of error, warn, info, debug, not "loud".\n',
  });
  expect(badPort).toMatchObject({ exitCode: 2, stderr: '--port (or PORT) must be a whole number from 0 to 65535, not "eighty".\n' });
});

test('thank takes a message id that begins with "-" and the token, as given', async () => {
  const requests: Array<{ method?: string; url?: string; authorization?: string }> = [];
  const server = createServer((request, response) => {
    requests.push({ method: request.method, url: request.url, authorization: request.headers.authorization });
    response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: '-abcdefghijk' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const env = { WARMSHOWER_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    const thanked = await cli(['thank', '123456', '-abcdefghijk', '--token', '-token', '--json'], { env });
    expect(thanked).toMatchObject({ exitCode: 0, stderr: '', stdout: '{"id":"-abcdefghijk"}\n' });
    // The token first: its value is not taken for the id.
    const tokenFirst = await cli(['thank', '123456', '--token', '-token', '-abcdefghijk', '--json'], { env });
    expect(tokenFirst).toMatchObject({ exitCode: 0, stderr: '', stdout: '{"id":"-abcdefghijk"}\n' });
    // After "--", as is usual for a value that looks like an option.
    const afterDashes = await cli(['thank', '123456', '--token', '-token', '--json', '--', '-abcdefghijk'], { env });
    expect(afterDashes).toMatchObject({ exitCode: 0, stderr: '', stdout: '{"id":"-abcdefghijk"}\n' });
    const thanks = { method: 'POST', url: '/api/sessions/123456/messages/-abcdefghijk/thanks', authorization: 'Bearer -token' };
    expect(requests).toEqual([thanks, thanks, thanks]);
  } finally {
    server.close();
  }
});

test('a rate limit says when to retry, and what is not the API says which setting to check: exit 1', async () => {
  const server = createServer((request, response) => {
    if (request.url === '/api/sessions') {
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' });
      response.end(JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'Too many sessions from your address.' } }));
    } else response.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad Gateway</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const [limited, proxy] = await Promise.all([cli(['create'], { env: { WARMSHOWER_URL: url } }), cli(['status', '123456', '--server', url])]);
    expect(limited).toMatchObject({ exitCode: 1, stdout: '', stderr: 'Too many sessions from your address (retry after 7 s).\n' });
    expect(proxy).toMatchObject({
      exitCode: 1,
      stdout: '',
      stderr: `The server at ${url} answered 502 Bad Gateway, which is not a Warm Shower API reply; is the server URL right? (Set it with --server or WARMSHOWER_URL.)\n`,
    });
  } finally {
    server.close();
  }
});
