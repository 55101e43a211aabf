import { MemoryStore } from '@warmshower/core';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createApp, type AppOptions } from '../src/index.js';

const json = { 'content-type': 'application/json' };

/** An app served without Node's socket (as on Workers, or `app.request()`), over a memory store. */
function bareApp(options: AppOptions = {}) {
  return createApp({ store: new MemoryStore(), logger: false, rateLimits: { missesPerMinute: 20 }, ...options });
}

/** 22 joins to a code nobody holds, then a join to a real one, each with these headers. */
async function scanThenJoin(app: ReturnType<typeof createApp>, scanner: Record<string, string>, colleague: Record<string, string>) {
  const created = await app.request('/api/sessions', { method: 'POST', body: '{}', headers: { ...json, ...colleague } });
  const { code } = (await created.json()) as { code: string };
  const statuses: number[] = [];
  for (let i = 0; i < 22; i++) {
    const res = await app.request('/api/sessions/000001/participants', { method: 'POST', body: '{}', headers: { ...json, ...scanner } });
    statuses.push(res.status);
  }
  const scannerJoin = await app.request(`/api/sessions/${code}/participants`, { method: 'POST', body: '{}', headers: { ...json, ...scanner } });
  const colleagueJoin = await app.request(`/api/sessions/${code}/participants`, { method: 'POST', body: '{}', headers: { ...json, ...colleague } });
  return { statuses, scanner: scannerJoin.status, colleague: colleagueJoin.status };
}

describe('off Node, each client has its own rate limits', () => {
  it('a clientAddress option keeps one scanner from locking out a colleague', async () => {
    const app = bareApp({ clientAddress: (c) => c.req.header('x-peer') });
    const result = await scanThenJoin(app, { 'x-peer': '203.0.113.7' }, { 'x-peer': '198.51.100.2' });
    expect(result.statuses.slice(0, 20).every((status) => status === 404)).toBe(true);
    expect(result.statuses.slice(20)).toEqual([429, 429]);
    expect(result.scanner).toBe(429);
    expect(result.colleague).toBe(201);
  });

  it.each([[1], [true], ['2']] as const)('with trustProxy %s and no socket, X-Forwarded-For tells clients apart', async (trustProxy) => {
    const app = bareApp({ trustProxy });
    const via = (client: string) => ({ 'x-forwarded-for': trustProxy === '2' ? `${client}, 10.0.0.1` : client });
    const result = await scanThenJoin(app, via('203.0.113.7'), via('198.51.100.2'));
    expect(result.statuses.slice(20)).toEqual([429, 429]);
    expect(result.scanner).toBe(429);
    expect(result.colleague).toBe(201);
  });

  it("Bun's and Deno's peer addresses are read from what they pass to fetch", async () => {
    const app = bareApp({ rateLimits: { createPerMinute: 1 } });
    const create = (env: unknown) => app.request('/api/sessions', { method: 'POST', body: '{}', headers: json }, env);
    const bun = (address: string) => ({ requestIP: () => ({ address, family: 'IPv4', port: 1 }) });
    const deno = (hostname: string) => ({ remoteAddr: { hostname, port: 1, transport: 'tcp' } });
    expect((await create(bun('203.0.113.7'))).status).toBe(201);
    expect((await create(bun('203.0.113.7'))).status).toBe(429);
    expect((await create({ server: bun('198.51.100.2') })).status).toBe(201);
    expect((await create(deno('192.0.2.9'))).status).toBe(201);
    expect((await create(deno('192.0.2.9'))).status).toBe(429);
  });

  it('when no address can be known, nobody is pooled: requests pass and one warning says why', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    const app = bareApp({ logger });
    const result = await scanThenJoin(app, { 'x-forwarded-for': '203.0.113.7' }, { 'x-forwarded-for': '198.51.100.2' });
    expect(result.statuses.every((status) => status === 404)).toBe(true);
    expect(result.colleague).toBe(201);
    const warnings = lines.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((line) => line.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toMatch(/client address unknown.*clientAddress/);
  });

  it('a trusted list of proxies is not taken on trust when the peer cannot be seen', async () => {
    const app = bareApp({ trustProxy: 'loopback', rateLimits: { createPerMinute: 1 } });
    const create = () => app.request('/api/sessions', { method: 'POST', body: '{}', headers: { ...json, 'x-forwarded-for': '203.0.113.7' } });
    expect((await create()).status).toBe(201);
    expect((await create()).status).toBe(201);
  });
});
