import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithRedis, redisUrl, testPrefix } from '../../../test-support/redis.js';
import { startTcpProxy, type TcpProxy } from '../../../test-support/tcp-proxy.js';
import { startServer, type RunningServer } from '../src/node/index.js';
import { client, eventually } from './helpers.js';

interface Line {
  level: number;
  msg: string;
  cause?: string;
  stack?: string;
  [field: string]: unknown;
}

describeWithRedis('a store outage is logged once when it starts and once when it ends', () => {
  let proxy: TcpProxy;
  let server: RunningServer;
  const lines: Line[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Line) });
  const api = () => client(server.url);

  beforeAll(async () => {
    // The shared Redis stays up: the outage is this server's connections cut at a proxy of our own.
    const target = new URL(redisUrl);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    server = await startServer({ port: 0, host: '127.0.0.1', redisUrl: proxy.url, redisPrefix: testPrefix('store-outage-logs'), logger });
  }, 30_000);

  afterAll(async () => {
    await server?.close();
    await proxy?.close();
  });

  it('however many requests fail, one warning with a readable cause, no stack, and one line when it answers again', async () => {
    const session = await api().session(600);
    lines.length = 0;

    proxy.cut();
    const answers: number[] = [];
    for (let i = 0; i < 5; i++) {
      answers.push((await api().call('POST', '/api/sessions')).status);
      answers.push((await api().call('POST', `/api/sessions/${session.code}/participants`)).status);
      answers.push((await api().call('GET', `/api/sessions/${session.code}`)).status);
      answers.push((await fetch(`${server.url}/readyz`)).status);
    }
    expect(answers.every((status) => status === 503)).toBe(true);
    const warnings = lines.filter((line) => line.level >= 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40, msg: 'store unavailable', cause: expect.stringMatching(/\w/) });
    expect(warnings[0]!.cause).not.toMatch(/\[object Object\]/);
    expect(warnings[0]!.stack).toBeUndefined();
    expect(JSON.stringify(lines)).not.toContain(session.hostToken);

    proxy.restore();
    await eventually(() => lines.some((line) => line.msg === 'store available again'), 10_000, 'the recovery line');
    const recovered = lines.filter((line) => line.msg === 'store available again');
    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toMatchObject({ level: 30, failedRequests: expect.any(Number) });
    expect((await api().call('GET', `/api/sessions/${session.code}`)).status).toBe(200);
    expect(lines.filter((line) => line.level >= 40)).toHaveLength(1);
  }, 30_000);

  it('a second outage is logged again, with the stack at debug level', async () => {
    logger.level = 'debug';
    lines.length = 0;
    proxy.cut();
    for (let i = 0; i < 3; i++) expect((await api().call('POST', '/api/sessions')).status).toBe(503);
    const warnings = lines.filter((line) => line.level >= 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ msg: 'store unavailable', stack: expect.stringContaining('\n    at ') });
    proxy.restore();
    await eventually(() => lines.some((line) => line.msg === 'store available again'), 10_000, 'the recovery line');
    logger.level = 'info';
  }, 30_000);
});
