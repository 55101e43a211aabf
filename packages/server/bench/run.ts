/**
 * `pnpm bench`: load on a real server process, on the memory store and on Redis, each beside a
 * do-nothing baseline server run with the same load in the same invocation (bench/baseline-process.ts),
 * so that figures can be compared on a noisy machine as ratios.
 *
 * For each target: S sessions × N participants, every participant streaming and sending to every
 * other; first as fast as the server takes them (closed loop, C requests in flight), then paced at
 * half that rate for latency; then idle streams to weigh the server's memory per stream. Latency
 * is from issuing the send to the message arriving on the recipient's stream. Rounds are repeated
 * (BENCH_REPEAT, 3) and the median reported. Prints a table and writes bench/results.json.
 * Env: BENCH_SESSIONS, BENCH_PARTICIPANTS, BENCH_CONCURRENCY, BENCH_IDLE_STREAMS, BENCH_REPEAT,
 * BENCH_STORES (memory,redis), BENCH_PROFILE=<dir> (CPU profiles of our server), BENCH_TRACE_GC=1
 * (its GC pauses on stderr), BENCH_NODE_FLAGS (more flags for it, e.g. --max-semi-space-size=64), REDIS_URL,
 * and the soak run's (bench/soak.ts): BENCH_SOAK_MINUTES (10; 0 skips it).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { startServerProcess, type ServerProcess } from '../test/fixtures/processes.js';
import { Redis } from 'ioredis';
import { closeAgent, idleMemory, redisCpuMicros, sendRound, type RoundResult } from './load.js';
import { soak } from './soak.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const config = {
  sessions: env('BENCH_SESSIONS', 100),
  participants: env('BENCH_PARTICIPANTS', 10),
  concurrency: env('BENCH_CONCURRENCY', 64),
  idleStreams: env('BENCH_IDLE_STREAMS', 10_000),
  repeat: env('BENCH_REPEAT', 3),
  stores: (process.env.BENCH_STORES ?? 'memory,redis').split(',') as ('memory' | 'redis')[],
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
};
const shape = { sessions: config.sessions, participants: config.participants };

if (!existsSync(fileURLToPath(new URL('../dist/node.js', import.meta.url)))) {
  console.error('bench: the server is not built; run `pnpm build` first (the bench runs what `warmshower serve` runs).');
  process.exit(1);
}

type Target = 'baseline' | 'memory' | 'redis';

async function start(target: Target): Promise<ServerProcess> {
  const execArgv = ['--expose-gc'];
  if (target === 'baseline') {
    return startServerProcess({}, { execArgv, script: fileURLToPath(new URL('./baseline-process.ts', import.meta.url)) });
  }
  if (process.env.BENCH_PROFILE) execArgv.push('--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`);
  if (process.env.BENCH_TRACE_GC) execArgv.push('--trace-gc');
  if (process.env.BENCH_NODE_FLAGS) execArgv.push(...process.env.BENCH_NODE_FLAGS.split(' '));
  const options =
    target === 'redis'
      ? { redisUrl: config.redisUrl, redisPrefix: `bench:${randomBytes(4).toString('hex')}`, rateLimits: false as const }
      : { rateLimits: false as const };
  return startServerProcess(options, { built: true, execArgv });
}

const median = <T>(runs: T[], key: (run: T) => number): T => [...runs].sort((a, b) => key(a) - key(b))[Math.floor((runs.length - 1) / 2)]!;

async function bench(target: Target) {
  const server = await start(target);
  const redis = target === 'redis' ? new Redis(config.redisUrl) : undefined;
  const redisCpu = redis ? () => redisCpuMicros(redis) : undefined;
  try {
    const base = new URL(server.url);
    // Warm up the JIT and the connections the same way for every target.
    await sendRound(server, base, { sessions: Math.ceil(config.sessions / 5), participants: config.participants }, { concurrency: 16 });
    const fulls: RoundResult[] = [];
    const halves: (RoundResult & { rate: number })[] = [];
    for (let i = 0; i < config.repeat; i++) {
      const full = await sendRound(server, base, shape, { concurrency: config.concurrency }, redisCpu);
      const rate = Math.max(100, Math.round(full.sendsPerSecond / 2));
      fulls.push(full);
      halves.push({ rate, ...(await sendRound(server, base, shape, { rate }, redisCpu)) });
    }
    const memory = await idleMemory(base, server, config.idleStreams);
    return {
      target,
      full: median(fulls, (r) => r.sendsPerSecond),
      half: median(halves, (r) => r.latencyMs.p99),
      memory,
      runs: { full: fulls, half: halves },
    };
  } finally {
    redis?.disconnect();
    await server.close();
  }
}

const results = [];
for (const target of ['baseline', ...config.stores] as Target[]) {
  process.stderr.write(`bench: ${target}…\n`);
  results.push(await bench(target));
}
const soakMinutes = env('BENCH_SOAK_MINUTES', 10);
const soaked =
  soakMinutes > 0
    ? await soak({ minutes: soakMinutes, sessions: env('BENCH_SOAK_SESSIONS', 500), people: env('BENCH_SOAK_PEOPLE', 20), redisUrl: config.redisUrl })
    : null;
closeAgent();

const baseline = results[0]!;
const ratio = (ours: number, theirs: number) => (theirs > 0 ? (ours / theirs).toFixed(2) : '–');
const faults = (r: RoundResult) => `${r.lost} / ${r.duplicated} / ${r.failedSends}`;
const row = (target: string, load: string, r: RoundResult, base: RoundResult) => [
  target,
  load,
  `${r.sendsPerSecond} (${ratio(r.sendsPerSecond, base.sendsPerSecond)})`,
  r.latencyMs.p50,
  r.latencyMs.p95,
  r.latencyMs.p99,
  r.latencyMs.max,
  faults(r),
  `${r.cpuMicrosPerSend.server} (${ratio(r.cpuMicrosPerSend.server, base.cpuMicrosPerSend.server)}) / ${r.cpuMicrosPerSend.loadGenerator}${r.cpuMicrosPerSend.redis === undefined ? '' : ` / ${r.cpuMicrosPerSend.redis}`}`,
];
const rows = results.flatMap((r) => [
  row(r.target, `max (${config.concurrency} in flight)`, r.full, baseline.full),
  row(r.target, `paced at ${r.half.rate}/s`, r.half, baseline.half),
]);
const header = ['server', 'load', 'sends/s (× baseline)', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'lost / dup / failed', 'CPU µs/send: server (× baseline) / load gen / Redis'];
const memoryRows = results.map((r) => [r.target, r.memory.streams, (r.memory.rssBytesPerStream / 1024).toFixed(1), (r.memory.heapBytesPerStream / 1024).toFixed(1), r.memory.serverRssMB]);
const memoryHeader = ['server', 'idle streams', 'RSS KB/stream', 'heap KB/stream', 'server RSS MB'];
const table = (head: (string | number)[], body: (string | number)[][]) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...body.map((cells) => `| ${cells.join(' | ')} |`)].join('\n');
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}, ${config.sessions} sessions × ${config.participants} participants = ${config.sessions * config.participants * (config.participants - 1)} sends per round, median of ${config.repeat}`;
const spreads = results
  .map((r) => `${r.target}: sends/s ${r.runs.full.map((x) => x.sendsPerSecond).sort((a, b) => a - b).join(', ')}; p99 ms at half rate ${r.runs.half.map((x) => x.latencyMs.p99).sort((a, b) => a - b).join(', ')}`)
  .join('\n');
const soakTable = soaked
  ? table(
      ['soak (Redis)', 'streams', 'sends', 'reconnects', 'joins', 'closes', 'lost', 'duplicated', 'stale presence', 'RSS MB start → end'],
      [[`${soaked.minutes} min`, soaked.streams, soaked.sends, soaked.reconnects, soaked.joins, soaked.closes, soaked.lost, soaked.duplicated, soaked.stalePresence, `${soaked.rssMB.start} → ${soaked.rssMB.end}`]],
    )
  : 'soak: skipped (BENCH_SOAK_MINUTES=0)';
console.log(`\n${machine}\n\n${table(header, rows)}\n\n${table(memoryHeader, memoryRows)}\n\n${soakTable}\n\n${spreads}\n`);
const out = fileURLToPath(new URL('./results.json', import.meta.url));
writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), machine, config: { ...config, redisUrl: undefined }, results, soak: soaked }, null, 2)}\n`);
console.log(`wrote ${out}`);

