import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { WarmshowerClient } from '../src/client.js';
import { listenToSession } from '../src/listen.js';

const open: ServerResponse[] = [];
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  for (const response of open.splice(0)) response.destroy();
  await close?.();
});

// A connection that goes silent (a sleeping laptop, a NAT that forgot it) sends no close: only
// the missing pings tell. Here a stand-in server answers once and then says nothing at all.
test('a silent stream is dropped and reopened with Last-Event-ID and the token', async () => {
  const requests: Array<{ lastEventId?: string; authorization?: string }> = [];
  const server = createServer((request, response) => {
    requests.push({
      lastEventId: request.headers['last-event-id'] as string | undefined,
      authorization: request.headers.authorization,
    });
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    open.push(response);
    if (requests.length === 1) {
      const message = { id: 'm1', text: 'Before the silence.', receivedAt: '2026-11-23T21:00:00.000Z' };
      response.write(`event: message\nid: m1\ndata: ${JSON.stringify(message)}\n\n`);
    } else {
      response.end('event: session-ended\ndata: {"reason":"ended"}\n\n');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () => new Promise((resolve) => server.close(() => resolve()));
  const client = new WarmshowerClient({
    server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token: 'secret',
  });

  const events: string[] = [];
  const listening = listenToSession(client, '123456', {
    onEvent: (event) => events.push(event.event),
    idleTimeoutMs: 300,
    initialDelayMs: 10,
  });
  await expect(listening.ended).resolves.toEqual({ reason: 'ended' });
  expect(requests).toEqual([
    { lastEventId: undefined, authorization: 'Bearer secret' },
    { lastEventId: 'm1', authorization: 'Bearer secret' },
  ]);
  expect(events).toEqual(['message', 'session-ended']);
});
