import { Writable } from 'node:stream';
import pino from 'pino';
import { MemoryStore, Warmshower } from '@warmshower/core';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/index.js';
import { startServer } from '../src/node/index.js';
import { client, openStream } from './helpers.js';

describe('request logs', () => {
  it('a full session logs one line per request with method, route pattern, status and time, and never a token, a text or a pair', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    const server = await startServer({ port: 0, host: '127.0.0.1', logger: pino({ level: 'trace' }, sink) });
    const api = client(server.url);
    const secrets: string[] = [];
    const texts: string[] = [];
    try {
      const created = await fetch(`${server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"ttlSeconds": 600}' });
      const session = (await created.json()) as { code: string; hostToken: string };
      const hostCookie = created.headers.get('set-cookie')!.split(';')[0]!;
      const people = [await api.join(session.code, 'Ada'), await api.join(session.code, 'Bo'), await api.join(session.code, 'Cy')];
      secrets.push(session.hostToken, ...people.map((p) => p.token));
      const events = `${server.url}/api/sessions/${session.code}/events`;
      const streams = await Promise.all([
        ...people.map((p) => openStream(events, { authorization: `Bearer ${p.token}` })),
        openStream(`${events}?as=host`, { cookie: hostCookie }),
      ]);
      for (const from of people) {
        for (const to of people) {
          if (from === to) continue;
          const text = `Shower ${from.displayName}→${to.displayName} ${Math.random().toString(36).slice(2)}`;
          texts.push(text);
          expect((await api.send(session.code, from.token, to.id, text)).status).toBe(201);
        }
      }
      // Refusals get logged too, with nothing of what was sent.
      await api.send(session.code, people[0]!.token, people[1]!.id, 'a second one, refused');
      await api.call('GET', `/api/sessions/${session.code}/participants`, { token: 'a-wrong-token-value' });
      await api.call('POST', `/api/sessions/${session.code}/messages`, { token: people[0]!.token, body: '{"to": ' });
      await api.call('GET', `/api/sessions/${session.code}/participants`, { token: people[2]!.token });
      await api.call('GET', `/api/sessions/${session.code}`, { token: session.hostToken });
      await Promise.all(streams.slice(0, 3).map((s) => s.next('message', 2)));
      await api.end(session.code, session.hostToken);
      await Promise.all(streams.map((s) => s.waitEnd()));
      texts.push('a second one, refused');
      secrets.push('a-wrong-token-value');

      const log = lines.join('\n');
      for (const secret of secrets) expect(log).not.toContain(secret);
      for (const text of texts) expect(log).not.toContain(text.slice(0, 20));
      expect(log).not.toMatch(/authorization|cookie|bearer/i);
      expect(log).not.toContain(session.code);
      // No line names two participants: no sender-recipient pair.
      for (const line of lines) {
        expect(people.filter((p) => line.includes(p.id)).length, line).toBeLessThan(2);
      }
      const requests = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');
      expect(requests.length).toBeGreaterThanOrEqual(1 + 3 + 4 + 6 + 5 + 1);
      for (const line of requests) {
        expect(line).toEqual(
          expect.objectContaining({ method: expect.any(String), route: expect.any(String), status: expect.any(Number), ms: expect.any(Number) }),
        );
      }
      expect(requests.map((l) => l.route)).toContain('/api/sessions/:code/messages');
      expect(requests.map((l) => `${l.method} ${l.route} ${l.status}`)).toContain('POST /api/sessions/:code/messages 409');
    } finally {
      await server.close();
    }
  });

  it('a bug of ours is a 500 in the JSON shape, logged with its stack and nothing from the request', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    const warmshower = new Warmshower({ store: new MemoryStore() });
    warmshower.createSession = async () => {
      throw new TypeError('a bug in the server');
    };
    const app = createApp({ warmshower, logger: pino(sink), rateLimits: false });
    const res = await app.request('/api/sessions', {
      method: 'POST',
      headers: { authorization: 'Bearer secret-token-123', 'content-type': 'application/json' },
      body: '{"ttlSeconds": 60, "secret": "do-not-log-me"}',
    });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: 'INTERNAL_ERROR', message: expect.any(String) } });
    const log = lines.join('\n');
    expect(log).toContain('a bug in the server');
    expect(log).not.toContain('do-not-log-me');
    expect(log).not.toContain('secret-token-123');
  });

  it('a screen that fails is a 422 with a sentence for the writer and an error line for the operator, without the text', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    const warmshower = new Warmshower({ store: new MemoryStore(), screen: () => Promise.reject(new Error('the word list did not load')) });
    const app = createApp({ warmshower, logger: pino(sink), rateLimits: false });
    const { code } = await warmshower.createSession({});
    const a = await warmshower.join(code, { displayName: 'A' });
    const b = await warmshower.join(code, { displayName: 'B' });
    const res = await app.request(`/api/sessions/${code}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ to: b.id, text: 'do-not-log-me' }),
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ error: { code: 'MESSAGE_REFUSED', message: expect.stringMatching(/could not be checked/) } });
    const log = lines.join('\n');
    expect(log).toContain('screen failed');
    expect(log).toContain('the word list did not load');
    expect(log).not.toContain('do-not-log-me');
  });
});
