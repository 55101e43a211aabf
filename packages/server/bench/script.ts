/**
 * `pnpm --filter @warmshower/server bench:script`: what a warm shower costs Redis, without HTTP,
 * streams or a second process: core's rules on a `RedisStore` (REDIS_URL) send all-to-all in
 * BENCH_SCRIPT_SESSIONS (30) sessions of BENCH_SCRIPT_PEOPLE (30), at 1, 16 and 64 in flight
 * (BENCH_SCRIPT_WIDTHS), each width on fresh sessions. From `INFO commandstats` (reset before each
 * width: this resets the statistics of the whole Redis it is given) and `INFO cpu`: the send
 * script's time per call, the part of it its inner commands take, and Redis's whole CPU time per
 * send (reading, parsing and answering the commands too). Nobody listens, so the published facts
 * go nowhere; the sessions are ended at the end.
 */
import { randomBytes } from 'node:crypto';
import { Warmshower } from '@warmshower/core';
import { connectRedis, RedisStore } from '@warmshower/core/redis';
import { pool, redisCpuMicros, thanks } from './load.js';

const sessions = Number(process.env.BENCH_SCRIPT_SESSIONS ?? 30);
const people = Number(process.env.BENCH_SCRIPT_PEOPLE ?? 30);
const widths = (process.env.BENCH_SCRIPT_WIDTHS ?? '1,16,64').split(',').map(Number);

const { client } = await connectRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const store = new RedisStore({ client, prefix: `bench:script:${randomBytes(4).toString('hex')}` });
const warmshower = new Warmshower({ store });

/** `INFO commandstats` as command → total µs and calls. */
async function commandStats(): Promise<Map<string, { calls: number; usec: number }>> {
  const stats = new Map<string, { calls: number; usec: number }>();
  for (const match of (await client.info('commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
    stats.set(match[1]!, { calls: Number(match[2]), usec: Number(match[3]) });
  }
  return stats;
}

const rows: string[] = [];
for (const width of widths) {
  const hosts: { code: string; hostToken: string }[] = [];
  const sends: [code: string, token: string, to: string][] = [];
  for (let s = 0; s < sessions; s++) {
    const { code, hostToken } = await warmshower.createSession({});
    hosts.push({ code, hostToken });
    const joined = [];
    for (let i = 0; i < people; i++) joined.push(await warmshower.join(code, { displayName: `Person ${i + 1}` }));
    for (const from of joined) for (const to of joined) if (from !== to) sends.push([code, from.token, to.id]);
  }
  await client.config('RESETSTAT');
  const cpuBefore = await redisCpuMicros(client);
  const started = performance.now();
  await pool(sends.length, width, async (i) => {
    const [code, token, to] = sends[i]!;
    await warmshower.send(code, token, { to, text: thanks(to) });
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = (await redisCpuMicros(client)) - cpuBefore;
  const stats = await commandStats();
  const script = stats.get('evalsha') ?? { calls: 0, usec: 0 };
  let inner = 0;
  for (const [name, { usec }] of stats) if (!['evalsha', 'eval', 'info', 'config|resetstat', 'script|load'].includes(name)) inner += usec;
  const perSend = (micros: number) => (micros / sends.length).toFixed(1);
  rows.push(
    `| ${width} | ${sends.length} | ${Math.round(sends.length / seconds)} | ${(script.usec / Math.max(1, script.calls)).toFixed(1)} | ${perSend(inner)} | ${perSend(cpu)} |`,
  );
  for (const { code, hostToken } of hosts) await warmshower.end(code, hostToken);
}

console.log(
  [
    `${sessions} sessions of ${people}, all-to-all, core's rules on a RedisStore (${process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'})`,
    '',
    '| in flight | sends | sends/s | send script µs/call | its inner commands µs/send | Redis CPU µs/send |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n'),
);
await store.close();
client.disconnect();
