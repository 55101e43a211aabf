/**
 * `pnpm --filter @warmshower/server bench:split`: where a send's server CPU goes, layer by layer,
 * each layer a server process of its own measured with the same sends (S × N all-to-all, 64 in
 * flight, bench/wire.ts), their rounds alternating cycle by cycle (BENCH_REPEAT, 3; medians):
 *
 * - `node`: the do-nothing baseline (bench/baseline-process.ts) with no stream open: Node's HTTP
 *   stack, a JSON body parsed, a frame built, a reply; `node, streams`: the same with every
 *   participant streaming, the frame written to the recipient (the baseline of `pnpm bench`);
 * - `http`: our server whose `send` answers at once (bench/stub-process.ts): @hono/node-server,
 *   Hono, our middleware and the route over `node`;
 * - `memory` and `redis`, no streams: the rules and the store over `http` (on Redis, the script's
 *   round trip); nobody listens, so nothing is delivered;
 * - `memory, streams` and `redis, streams`, as in `pnpm bench`: the delivery (on Redis, the
 *   published facts read back) and the frame on the recipient's stream over the same without.
 *
 * Each layer's own cost is its difference to the one it is over. Env:
 * BENCH_SESSIONS (100), BENCH_PARTICIPANTS (10), BENCH_REPEAT (3), REDIS_URL, BENCH_AGAINST=<another
 * checkout, built> (its server on memory and on Redis, streams open, as two more layers in the same
 * cycles: a paired A/B of two builds, each its own cost over this build's).
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startServerProcess, type ServerProcess } from '../test/fixtures/processes.js';
import { againstBuild, requireBuilt } from './builds.js';
import { closeClients, openStreams, plan, pool, send, sessions, thanks } from './load.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const shape = { sessions: env('BENCH_SESSIONS', 100), participants: env('BENCH_PARTICIPANTS', 10) };
const repeat = env('BENCH_REPEAT', 3);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
requireBuilt('bench:split');

interface Layer {
  name: string;
  what: string;
  server: 'node' | 'http' | 'memory' | 'redis' | 'against memory' | 'against redis';
  streams: boolean;
  /** The layer this one adds to: its own cost is the difference. */
  over?: string;
}
const layers: Layer[] = [
  { name: 'node', what: "Node's HTTP: a JSON body parsed, a frame built, a reply (the baseline, no stream open)", server: 'node', streams: false },
  { name: 'node, streams', what: 'the frame written to the recipient’s stream (the baseline as `pnpm bench` runs it)', server: 'node', streams: true, over: 'node' },
  { name: 'http', what: '@hono/node-server, Hono, our middleware and route (`send` stubbed)', server: 'http', streams: false, over: 'node' },
  { name: 'memory', what: 'the rules and the memory store (nobody listening)', server: 'memory', streams: false, over: 'http' },
  { name: 'memory, streams', what: 'the delivery, and its frame written to the recipient’s stream', server: 'memory', streams: true, over: 'memory' },
  { name: 'redis', what: 'the rules and the Redis script’s round trip (nobody listening)', server: 'redis', streams: false, over: 'http' },
  { name: 'redis, streams', what: 'the published facts read back, the delivery, its frame', server: 'redis', streams: true, over: 'redis' },
];
// BENCH_AGAINST=<another checkout, built>: its server's full layers in the same cycles, a paired A/B of two builds.
const against = againstBuild('bench:split');
if (against) {
  layers.push(
    { name: 'against: memory, streams', what: 'memory, streams with the BENCH_AGAINST build', server: 'against memory', streams: true, over: 'memory, streams' },
    { name: 'against: redis, streams', what: 'redis, streams with the BENCH_AGAINST build', server: 'against redis', streams: true, over: 'redis, streams' },
  );
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const servers = new Map<Layer['server'], ServerProcess>();
const start = (kind: Layer['server']) => {
  if (kind === 'node') return startServerProcess({}, { script: here('./baseline-process.ts') });
  if (kind === 'http') return startServerProcess({}, { script: here('./stub-process.ts') });
  const redis = kind === 'redis' || kind === 'against redis';
  const options = redis ? { redisUrl, redisPrefix: `bench:${randomBytes(4).toString('hex')}`, rateLimits: false as const } : { rateLimits: false as const };
  return startServerProcess(options, { built: true, env: kind.startsWith('against') && against ? { WARMSHOWER_SERVER_ENTRY: against.href } : {} });
};

/** One round: the server CPU per send (µs, and its kernel part) and sends per second. */
async function round(layer: Layer): Promise<{ micros: number; system: number; perSecond: number }> {
  const server = servers.get(layer.server)!;
  const base = new URL(server.url);
  // Without streams the baseline and the stub answer any send; the others get real sessions, all-to-all as in `pnpm bench`.
  const stubbed = layer.server === 'http' || (layer.server === 'node' && !layer.streams);
  const real = stubbed ? undefined : await sessions(base, shape.sessions, shape.participants);
  const open = real && layer.streams ? await openStreams(base, real.teams.flat(), 64, () => undefined) : [];
  const count = shape.sessions * shape.participants * (shape.participants - 1);
  const pairs = real ? plan(real.teams) : [];
  const post = (i: number) =>
    real
      ? send(base, `/api/sessions/${pairs[i]![0].code}/messages`, pairs[i]![0].token, { to: pairs[i]![1].id, text: thanks(pairs[i]![1].id) })
      : send(base, '/api/sessions/123456/messages', 'A'.repeat(43), { to: 'AAAAAAAAAAAA', text: thanks('AAAAAAAAAAAA') });
  await new Promise((r) => setTimeout(r, 200));
  const before = (await server.stats({ gc: false })).cpu;
  const started = performance.now();
  let failed = 0;
  await pool(count, 64, async (i) => {
    if ((await post(i)).status !== 201) failed++;
  });
  const seconds = (performance.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 200)); // the last deliveries
  const after = (await server.stats({ gc: false })).cpu;
  if (failed > 0) throw new Error(`bench:split: ${layer.name} refused ${failed} of ${count} sends`);
  await real?.end();
  for (const s of open) s.close();
  return {
    micros: (after.user + after.system - before.user - before.system) / count,
    system: (after.system - before.system) / count,
    perSecond: count / seconds,
  };
}

try {
  for (const kind of new Set(layers.map((l) => l.server))) {
    servers.set(kind, await start(kind));
  }
  // Warm up every layer the same way.
  for (const layer of layers) await round({ ...layer, streams: false });
  const runs = new Map(layers.map((l) => [l.name, [] as Awaited<ReturnType<typeof round>>[]]));
  for (let i = 0; i < repeat; i++) {
    for (const layer of i % 2 === 0 ? layers : [...layers].reverse()) {
      process.stderr.write(`bench:split: cycle ${i + 1}, ${layer.name}…\n`);
      runs.get(layer.name)!.push(await round(layer));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
  const rows = layers.map((layer) => {
    const r = runs.get(layer.name)!;
    return { layer, micros: median(r.map((x) => x.micros)), system: median(r.map((x) => x.system)), perSecond: median(r.map((x) => x.perSecond)), all: r.map((x) => Math.round(x.micros)) };
  });
  console.log(`\n${shape.sessions} sessions × ${shape.participants}, ${shape.sessions * shape.participants * (shape.participants - 1)} sends a round, 64 in flight, median of ${repeat} cycles\n`);
  console.log('| layer | what it adds to the one it is over | server CPU µs/send (kernel) | by cycle | its own cost µs/send | sends/s |');
  console.log('|---|---|---|---|---|---|');
  rows.forEach((row) => {
    const prev = rows.find((r) => r.layer.name === row.layer.over);
    const own = prev ? `${Math.round(row.micros - prev.micros)} (over ${prev.layer.name})` : '–';
    console.log(`| ${row.layer.name} | ${row.layer.what} | ${Math.round(row.micros)} (${Math.round(row.system)}) | ${row.all.join(', ')} | ${own} | ${Math.round(row.perSecond)} |`);
  });
} finally {
  for (const server of servers.values()) await server.close();
  closeClients();
}
