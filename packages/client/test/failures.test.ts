import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WarmshowerClient, WarmshowerClientError } from '@warmshower/client';
import { createApp } from '@warmshower/server';
import { closedPort, serveApp } from './helpers.js';

async function failure(call: Promise<unknown> | (() => unknown)): Promise<WarmshowerClientError> {
  let error: unknown;
  try {
    await (typeof call === 'function' ? call() : call);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(WarmshowerClientError);
  return error as WarmshowerClientError;
}

const sockets = new Set<Socket>();
const silentServers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  await Promise.all(silentServers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

describe('a server that cannot be reached, or is not Warm Shower', () => {
  it('a closed port is NETWORK, status 0, with a sentence naming the server and the refusal', async () => {
    const port = await closedPort();
    const client = new WarmshowerClient({ baseUrl: `http://127.0.0.1:${port}` });
    const error = await failure(client.createSession());
    expect(error).toMatchObject({ code: 'NETWORK', status: 0 });
    expect(error.message).toBe(`Cannot reach the Warm Shower server at http://127.0.0.1:${port}: the connection was refused.`);
  });

  it('an unknown host name is NETWORK with "that host name is unknown"', async () => {
    // What Node's fetch throws for a name that does not resolve (no DNS query leaves the machine).
    const fetch = async () => {
      const cause = Object.assign(new Error('getaddrinfo ENOTFOUND warmshower.example'), { code: 'ENOTFOUND' });
      throw new TypeError('fetch failed', { cause });
    };
    const client = new WarmshowerClient({ baseUrl: 'https://warmshower.example/team', fetch });
    const error = await failure(client.info());
    expect(error.code).toBe('NETWORK');
    expect(error.message).toBe('Cannot reach the Warm Shower server at https://warmshower.example/team: that host name is unknown.');
  });

  it('a server that accepts and never answers is NETWORK after timeoutMs', async () => {
    const silent = createServer((socket) => sockets.add(socket));
    silentServers.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const client = new WarmshowerClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 200 });
    const error = await failure(client.getSession('123456'));
    expect(error.code).toBe('NETWORK');
    expect(error.message).toBe(`Cannot reach the Warm Shower server at http://127.0.0.1:${port}: it did not answer within 0.2 s.`);
  });

  it('a connection reset mid-request is NETWORK with "the connection was reset"', async () => {
    const rude = createServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
    silentServers.push(rude);
    await new Promise<void>((resolve) => rude.listen(0, '127.0.0.1', resolve));
    const { port } = rude.address() as AddressInfo;
    const error = await failure(new WarmshowerClient({ baseUrl: `http://127.0.0.1:${port}` }).info());
    expect(error.code).toBe('NETWORK');
    expect(error.message).toMatch(/: the connection (was reset|failed)/);
  });

  it('an HTML page where the API should be is UNEXPECTED_REPLY, asking whether the URL is right', async () => {
    const site = new Hono();
    site.get('/oops/*', (c) => c.html('<h1>Bad gateway</h1>', 502));
    site.all('*', (c) => c.html('<!doctype html><title>Some other site</title>'));
    const server = await serveApp(site);
    const client = new WarmshowerClient({ baseUrl: server.url });
    const ok = await failure(client.createSession());
    expect(ok).toMatchObject({ code: 'UNEXPECTED_REPLY', status: 200 });
    expect(ok.message).toBe(`The server at ${server.url} answered 200 OK, with a reply that is not JSON; is the server URL right?`);
    const bad = await failure(new WarmshowerClient({ baseUrl: `${server.url}/oops` }).info());
    expect(bad).toMatchObject({ code: 'UNEXPECTED_REPLY', status: 502 });
    expect(bad.message).toBe(
      `The server at ${server.url}/oops answered 502 Bad Gateway, which is not a Warm Shower API reply; is the server URL right?`,
    );
  });
});

describe('usage errors, before any request', () => {
  it('a base URL that is not http(s), or not a URL, is INVALID_INPUT with a sentence', async () => {
    expect((await failure(() => new WarmshowerClient({ baseUrl: 'ftp://example.org' }))).message).toBe(
      'The server URL must start with http:// or https://, not "ftp:".',
    );
    expect(await failure(() => new WarmshowerClient({ baseUrl: 'localhost 3000' }))).toMatchObject({
      code: 'INVALID_INPUT',
      status: 0,
      message: '"localhost 3000" is not a URL; give the server\'s address, such as http://localhost:3000.',
    });
    expect((await failure(() => new WarmshowerClient({ baseUrl: 'http://me:secret@example.org' }))).message).toMatch(
      /user name or password/,
    );
  });

  it('a malformed session code is INVALID_INPUT and costs no request', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>();
    const client = new WarmshowerClient({ baseUrl: 'http://127.0.0.1:1', fetch });
    const error = await failure(client.join('12345'));
    expect(error).toMatchObject({ code: 'INVALID_INPUT', message: '"12345" is not a session code: a code is six digits, such as 123456.' });
    await failure(client.participants('12345a'));
    await failure(() => client.eventsUrl('abc'));
    await failure(() => client.stream('abc', { onEvent: () => undefined }));
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('a base URL that ends in /api', () => {
  it('is told to leave /api out, naming the address to give instead', async () => {
    const server = await serveApp(createApp({ logger: false }));
    try {
      for (const suffix of ['/api', '/api/']) {
        const error = await failure(new WarmshowerClient({ baseUrl: `${server.url}${suffix}` }).info());
        expect(error).toMatchObject({ code: 'NOT_FOUND', status: 404 });
        expect(error.message).toBe(`There is no Warm Shower API at ${server.url}/api; give the server's address without /api: ${server.url}.`);
      }
      const mounted = await failure(new WarmshowerClient({ baseUrl: `${server.url}/team/api` }).info());
      expect(mounted.message).toBe(`There is no Warm Shower API at ${server.url}/team/api; give the server's address without /api: ${server.url}/team.`);
      // Without /api in the base, a 404 keeps the server's own sentence.
      const elsewhere = await failure(new WarmshowerClient({ baseUrl: `${server.url}/nowhere` }).info());
      expect(elsewhere.message).not.toMatch(/without \/api/);
    } finally {
      await server.close();
    }
  });
});
