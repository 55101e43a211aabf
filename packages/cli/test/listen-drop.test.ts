import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { events, start } from './helpers.js';

// A stand-in server whose replies each test scripts, so that drops and endings happen exactly when wanted.
type Reply = (response: ServerResponse) => void;
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function standIn(replies: Reply[]) {
  const requests: Array<{ lastEventId?: string; authorization?: string }> = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    requests.push({
      lastEventId: request.headers['last-event-id'] as string | undefined,
      authorization: request.headers.authorization,
    });
    (replies[requests.length - 1] ?? replies.at(-1)!)(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

const frame = (event: string, data: unknown, id?: string) =>
  `event: ${event}\n${id ? `id: ${id}\n` : ''}data: ${JSON.stringify(data)}\n\n`;
const ready = (expiresAt: string) => ({
  you: { id: 'me' },
  participants: [{ id: 'me', displayName: 'Ada', online: true }],
  sentTo: [],
  complete: false,
  expiresAt,
  delivery: 'live',
  revealed: false,
  encryption: 'none',
  sent: [],
});
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();
const message = { id: 'm1', text: 'Before the drop.', receivedAt: '2026-11-23T21:00:00.000Z' };
const stream = (...frames: string[]): Reply => (response) => {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  response.end(frames.join(''));
};
const gone: Reply = (response) => {
  response.writeHead(404, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ error: { code: 'SESSION_NOT_FOUND', message: 'There is no live session with that code.' } }));
};

test('a dropped stream is reopened with Last-Event-ID and the token; listen says so on stderr and exits 0 at the end', async () => {
  const server = await standIn([
    stream(frame('ready', ready(inAnHour())), frame('message', message, 'm1')), // then the connection just ends
    stream(frame('ready', ready(inAnHour())), frame('session-ended', { reason: 'ended' })),
  ]);
  const listen = start(['listen', '123456', '--json', '--token', '-secret'], { WARMSHOWER_URL: server.url });
  expect(await listen.exited).toBe(0);
  expect(server.requests).toEqual([
    { lastEventId: undefined, authorization: 'Bearer -secret' },
    { lastEventId: 'm1', authorization: 'Bearer -secret' },
  ]);
  expect(events(listen.stdout).map((e) => e.event)).toEqual(['ready', 'message', 'ready', 'session-ended']);
  expect(listen.stderr).toMatch(/^The server at http:\/\/127\.0\.0\.1:\d+ closed the stream; reconnecting in 1 s…\nReconnected\.\n$/);
});

test('a session the server no longer has when listen reconnects ends it with exit 0 and a sentence saying so', async () => {
  const server = await standIn([stream(frame('ready', ready(inAnHour())), frame('message', message, 'm1')), gone]);
  const listen = start(['listen', '123456', '--token', 'secret'], { WARMSHOWER_URL: server.url });
  expect(await listen.exited).toBe(0);
  expect(listen.lines.at(-1)).toBe(
    'The server no longer has this session (it was ended while this listener was away, or the server restarted without keeping its data); nothing more will arrive.',
  );
  expect(listen.lines).toContainEqual(expect.stringMatching(/^\[\d\d:\d\d\] "Before the drop\." — Anonymous \(id m1\)$/));
});

test('a session that expired while listen was away ends with the expiry sentence, exit 0', async () => {
  const server = await standIn([stream(frame('ready', ready(new Date(Date.now() - 1_000).toISOString()))), gone]);
  const listen = start(['listen', '123456', '--token', 'secret'], { WARMSHOWER_URL: server.url });
  expect(await listen.exited).toBe(0);
  expect(listen.lines.at(-1)).toBe('The session has expired; everything in it is deleted.');
});
