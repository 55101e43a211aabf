/**
 * `pnpm bench`: load on a real server process, on the memory store and on Redis, each beside a
 * do-nothing baseline server run with the same load in the same invocation (bench/baseline-process.ts),
 * so that figures can be compared on a noisy machine as ratios.
 *
 * For each target: S sessions × N participants, every participant streaming and sending to every
 * other; first as fast as the server takes them (closed loop, C requests in flight), then paced at
 * half that rate for latency; then idle streams to weigh the server's memory per stream. Latency
 * is from issuing the send to the message arriving on the recipient's stream. All servers run at
 * once and their rounds alternate, cycle by cycle (BENCH_REPEAT, 3): each ratio is the median of
 * the ratios within a cycle, every other figure the median over cycles. Prints a table and writes
 * bench/results.json.
 * Env: BENCH_SESSIONS, BENCH_PARTICIPANTS, BENCH_CONCURRENCY, BENCH_IDLE_STREAMS, BENCH_REPEAT,
 * BENCH_STORES (memory,redis), BENCH_PROFILE=<dir> (CPU profiles of our server), BENCH_TRACE_GC=1
 * (its GC pauses on stderr), BENCH_NODE_FLAGS (more flags for it, e.g. --max-semi-space-size=64),
 * BENCH_HEAP_SAMPLING=<dir> (where our server allocates, collected objects included; with
 * BENCH_HEAP_SURVIVORS=1 only what outlived a young-generation GC), BENCH_AGAINST=<another
 * checkout, built> (its server on Redis as one more target, `against`: a paired A/B of two
 * builds in the same cycles), REDIS_URL,
 * and the soak run's (bench/soak.ts): BENCH_SOAK_MINUTES (10; 0 skips it).
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { startServerProcess, type ServerProcess } from '../test/fixtures/processes.js';
import { Redis } from 'ioredis';
import { closeClients, idleMemory, redisCpuMicros, sendRound, type RoundResult } from './load.js';
import { soak } from './soak.js';
import { againstBuild, requireBuilt } from './builds.js';

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

requireBuilt('bench');

/** `against`: the server of another build (BENCH_AGAINST) on Redis, for an A/B of two builds. */
type Target = 'baseline' | 'memory' | 'redis' | 'against';
const onRedis = (target: Target) => target === 'redis' || target === 'against';
const against = againstBuild('bench');

async function start(target: Target): Promise<ServerProcess> {
  const execArgv = ['--expose-gc'];
  if (target === 'baseline') {
    return startServerProcess({}, { execArgv, script: fileURLToPath(new URL('./baseline-process.ts', import.meta.url)) });
  }
  if (process.env.BENCH_PROFILE) execArgv.push('--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`);
  if (process.env.BENCH_TRACE_GC) execArgv.push('--trace-gc');
  if (process.env.BENCH_NODE_FLAGS) execArgv.push(...process.env.BENCH_NODE_FLAGS.split(' ').filter(Boolean));
  const options =
    onRedis(target)
      ? { redisUrl: config.redisUrl, redisPrefix: `bench:${randomBytes(4).toString('hex')}`, rateLimits: false as const }
      : { rateLimits: false as const };
  const env: Record<string, string> = {
    ...(target === 'against' && against ? { WARMSHOWER_SERVER_ENTRY: against.href } : {}),
    ...(process.env.BENCH_HEAP_SAMPLING
      ? {
          WARMSHOWER_HEAP_SAMPLING: `${process.env.BENCH_HEAP_SAMPLING}/${target}.heapprofile`,
          ...(process.env.BENCH_HEAP_SURVIVORS ? { WARMSHOWER_HEAP_SURVIVORS: '1' } : {}),
        }
      : {}),
  };
  return startServerProcess(options, { built: true, execArgv, env });
}

const median = <T>(runs: T[], key: (run: T) => number): T => [...runs].sort((a, b) => key(a) - key(b))[Math.floor((runs.length - 1) / 2)]!;

interface TargetResult {
  target: Target;
  full: RoundResult;
  half: RoundResult & { rate: number };
  /** Each figure of the target's round over the baseline's round of the same cycle: the median of those. */
  ratio: { sendsPerSecond: number; cpuMicrosPerSend: number } | null;
  memory: Awaited<ReturnType<typeof idleMemory>>;
  runs: { full: RoundResult[]; half: (RoundResult & { rate: number })[] };
}

/**
 * Every server runs at once (an idle one costs nothing), and rounds alternate between them:
 * cycle i runs the baseline's round and each target's, in an order that flips every cycle, so a
 * target and the baseline are measured within seconds of each other and a drift of the machine
 * (this one is a VM whose speed varies by half from minute to minute) cancels in their ratio.
 */
async function benchAll(targets: Target[]): Promise<TargetResult[]> {
  const servers = new Map<Target, ServerProcess>();
  const redis = targets.some(onRedis) ? new Redis(config.redisUrl) : undefined;
  try {
    for (const target of targets) servers.set(target, await start(target));
    const redisCpu = (target: Target) => (onRedis(target) && redis ? () => redisCpuMicros(redis) : undefined);
    const at = (target: Target) => ({ server: servers.get(target)!, base: new URL(servers.get(target)!.url) });
    // Warm up the JIT and the connections the same way for every target.
    for (const target of targets) {
      const { server, base } = at(target);
      await sendRound(server, base, { sessions: Math.ceil(config.sessions / 5), participants: config.participants }, { concurrency: 16 });
    }
    const fulls = new Map<Target, RoundResult[]>(targets.map((t) => [t, []]));
    const halves = new Map<Target, (RoundResult & { rate: number })[]>(targets.map((t) => [t, []]));
    for (let i = 0; i < config.repeat; i++) {
      const order = i % 2 === 0 ? targets : [...targets].reverse();
      for (const target of order) {
        const { server, base } = at(target);
        process.stderr.write(`bench: round ${i + 1}, ${target}, as fast as it goes…\n`);
        fulls.get(target)!.push(await sendRound(server, base, shape, { concurrency: config.concurrency }, redisCpu(target)));
      }
      for (const target of order) {
        const { server, base } = at(target);
        const rate = Math.max(100, Math.round(fulls.get(target)![i]!.sendsPerSecond / 2));
        process.stderr.write(`bench: round ${i + 1}, ${target}, paced at ${rate}/s…\n`);
        halves.get(target)!.push({ rate, ...(await sendRound(server, base, shape, { rate }, redisCpu(target))) });
      }
    }
    const results: TargetResult[] = [];
    for (const target of targets) {
      const { server, base } = at(target);
      process.stderr.write(`bench: ${target}, ${config.idleStreams} idle streams…\n`);
      const memory = await idleMemory(base, server, config.idleStreams);
      const own = fulls.get(target)!;
      const baseRuns = fulls.get('baseline')!;
      const ratio = (key: (r: RoundResult) => number) => {
        const ratios = own.map((r, j) => key(r) / key(baseRuns[j]!)).sort((a, b) => a - b);
        return ratios[Math.floor((ratios.length - 1) / 2)]!;
      };
      results.push({
        target,
        full: median(own, (r) => r.sendsPerSecond),
        half: median(halves.get(target)!, (r) => r.latencyMs.p99),
        ratio: target === 'baseline' ? null : { sendsPerSecond: ratio((r) => r.sendsPerSecond), cpuMicrosPerSend: ratio((r) => r.cpuMicrosPerSend.server) },
        memory,
        runs: { full: own, half: halves.get(target)! },
      });
    }
    return results;
  } finally {
    redis?.disconnect();
    for (const server of servers.values()) await server.close();
  }
}

const results = await benchAll(['baseline', ...config.stores, ...(against ? ['against' as const] : [])]);
const soakMinutes = env('BENCH_SOAK_MINUTES', 10);
const soaked =
  soakMinutes > 0
    ? await soak({ minutes: soakMinutes, sessions: env('BENCH_SOAK_SESSIONS', 500), people: env('BENCH_SOAK_PEOPLE', 20), redisUrl: config.redisUrl })
    : null;
closeClients();

const baseline = results[0]!;
const ratio = (ours: number, theirs: number) => (theirs > 0 ? (ours / theirs).toFixed(2) : '–');
const faults = (r: RoundResult) => `${r.lost} / ${r.duplicated} / ${r.failedSends}`;
const row = (target: string, load: string, r: RoundResult, base: RoundResult, paired?: TargetResult['ratio']) => [
  target,
  load,
  `${r.sendsPerSecond} (${paired ? paired.sendsPerSecond.toFixed(2) : ratio(r.sendsPerSecond, base.sendsPerSecond)})`,
  r.latencyMs.p50,
  r.latencyMs.p95,
  r.latencyMs.p99,
  r.latencyMs.max,
  faults(r),
  `${r.cpuMicrosPerSend.server} (sys ${r.cpuMicrosPerSend.serverSystem}; ${paired ? paired.cpuMicrosPerSend.toFixed(2) : ratio(r.cpuMicrosPerSend.server, base.cpuMicrosPerSend.server)}) / ${r.cpuMicrosPerSend.loadGenerator}${r.cpuMicrosPerSend.redis === undefined ? '' : ` / ${r.cpuMicrosPerSend.redis}`}`,
  r.syscallsPerSend ? `${r.syscallsPerSend.reads} / ${r.syscallsPerSend.writes}` : '–',
];
const rows = results.flatMap((r) => [
  row(r.target, `max (${config.concurrency} in flight)`, r.full, baseline.full, r.ratio),
  row(r.target, `paced at ${r.half.rate}/s`, r.half, baseline.half),
]);
const header = ['server', 'load', 'sends/s (× baseline)', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'lost / dup / failed', 'CPU µs/send: server (its kernel part; × baseline) / load gen / Redis', 'server syscalls/send: reads / writes'];
const memoryRows = results.map((r) => [r.target, r.memory.streams, (r.memory.rssBytesPerStream / 1024).toFixed(1), (r.memory.heapBytesPerStream / 1024).toFixed(1), r.memory.serverRssMB]);
const memoryHeader = ['server', 'idle streams', 'RSS KB/stream', 'heap KB/stream', 'server RSS MB'];
const table = (head: (string | number)[], body: (string | number)[][]) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...body.map((cells) => `| ${cells.join(' | ')} |`)].join('\n');
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}, ${config.sessions} sessions × ${config.participants} participants = ${config.sessions * config.participants * (config.participants - 1)} sends per round, median of ${config.repeat} cycles (a ratio: the median of each cycle's own ratio)`;
/** How busy the machine was during a round, and how much the hypervisor took (Linux only). */
const machineNote = (r: RoundResult) => (r.machine ? `busy ${r.machine.busyPercent}%, steal ${r.machine.stealPercent}%` : null);
const spreads = results
  .map((r) => {
    const cycles = r.runs.full.map((x, i) => {
      const parts = [r.target === 'baseline' ? null : ratio(x.sendsPerSecond, baseline.runs.full[i]!.sendsPerSecond), machineNote(x)].filter(Boolean);
      return parts.length ? `${x.sendsPerSecond} (${parts.join('; ')})` : `${x.sendsPerSecond}`;
    });
    const halves = r.runs.half.map((x) => {
      const server = x.serverStallMs !== undefined ? `, server ≤ ${x.serverStallMs} ms` : '';
      return `${x.latencyMs.p99} (generator stalled ≤ ${x.generatorStallMs} ms${server})`;
    });
    return `${r.target}: sends/s by cycle ${cycles.join(', ')}; p99 ms at half rate by cycle ${halves.join(', ')}`;
  })
  .join('\n');
const soakTable = soaked
  ? table(
      ['soak (Redis)', 'streams', 'sends', 'reconnects', 'joins', 'closes', 'lost', 'duplicated', 'stale presence', 'RSS MB start → end'],
      [[`${soaked.minutes} min`, soaked.streams, soaked.sends, soaked.reconnects, soaked.joins, soaked.closes, soaked.lost, soaked.duplicated, soaked.stalePresence, `${soaked.rssMB.start} → ${soaked.rssMB.end}`]],
    )
  : 'soak: skipped (BENCH_SOAK_MINUTES=0)';
const soakFailures = soaked && Object.keys(soaked.failures).length > 0
  ? `\n\nsoak: steps that failed (and were carried on from): ${Object.entries(soaked.failures).map(([what, n]) => `${what} ×${n}`).join(', ')}`
  : '';
console.log(`\n${machine}\n\n${table(header, rows)}\n\n${table(memoryHeader, memoryRows)}\n\n${soakTable}${soakFailures}\n\n${spreads}\n`);
const out = fileURLToPath(new URL('./results.json', import.meta.url));
writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), machine, config: { ...config, redisUrl: undefined }, results, soak: soaked }, null, 2)}\n`);
console.log(`wrote ${out}`);

