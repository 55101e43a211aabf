/**
 * `pnpm bench`: load on a real server process, on the memory store and on Redis.
 *
 * For each store: S sessions × N participants, every participant streaming and sending to every
 * other; first as fast as the server takes them (closed loop, C requests in flight), then paced at
 * half that rate for latency; then 10,000 idle streams to weigh the server's memory per stream.
 * Latency is from issuing the send to the message arriving on the recipient's stream.
 * Send rounds are repeated (BENCH_REPEAT, 3) and the median reported, as the machine is shared.
 * Prints a table and writes bench/results.json. Env: BENCH_SESSIONS, BENCH_PARTICIPANTS,
 * BENCH_CONCURRENCY, BENCH_IDLE_STREAMS, BENCH_REPEAT, BENCH_STORES (memory,redis), REDIS_URL.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { startServerProcess, type ServerProcess } from '../test/fixtures/processes.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const config = {
  sessions: env('BENCH_SESSIONS', 100),
  participants: env('BENCH_PARTICIPANTS', 10),
  concurrency: env('BENCH_CONCURRENCY', 64),
  idleStreams: env('BENCH_IDLE_STREAMS', 10_000),
  /** Rounds at full and half rate, per store; the median is reported. */
  repeat: env('BENCH_REPEAT', 3),
  stores: (process.env.BENCH_STORES ?? 'memory,redis').split(',') as ('memory' | 'redis')[],
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
};

if (!existsSync(fileURLToPath(new URL('../dist/node.js', import.meta.url)))) {
  console.error('bench: the server is not built; run `pnpm build` first (the bench runs what `warmshower serve` runs).');
  process.exit(1);
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

interface Reply {
  status: number;
  body: any;
}

function call(base: URL, method: string, path: string, token?: string, body?: unknown, retried = false): Promise<Reply> {
  return new Promise<Reply>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const req = http.request({ host: base.hostname, port: base.port, method, path, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
      res.on('error', reject);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The server closed an idle keep-alive socket just as we reused it: Node's advice is to retry.
      if (req.reusedSocket && error.code === 'ECONNRESET' && !retried) {
        call(base, method, path, token, body, true).then(resolve, reject);
      } else reject(error);
    });
    req.end(payload);
  });
}

/** An event stream that reports the id of each `message` event and counts the others. */
function stream(base: URL, path: string, token: string, onMessage: (id: string) => void): Promise<{ close(): void }> {
  return new Promise((resolve, reject) => {
    // Its own socket (no agent): a stream holds its connection for as long as it lives.
    const req = http.request(
      { host: base.hostname, port: base.port, path, headers: { authorization: `Bearer ${token}` }, agent: false },
      (res) => {
        if (res.statusCode !== 200) return reject(new Error(`stream: ${res.statusCode}`));
        let buffer = '';
        let ready = false;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            if (!ready && frame.startsWith('event: ready')) {
              ready = true;
              resolve({ close: () => req.destroy() });
            } else if (frame.startsWith('event: message\nid: ')) {
              onMessage(frame.slice(19, frame.indexOf('\n', 19)));
            }
          }
        });
        res.on('error', () => undefined);
      },
    );
    req.on('error', (error) => (ready(), reject(error)));
    const ready = () => undefined;
    req.end();
  });
}

interface Participant {
  id: string;
  token: string;
  code: string;
}

/** Creates sessions, joins everyone and opens one stream per participant. */
async function setup(base: URL, sessions: number, participants: number, onMessage: (id: string) => void) {
  const people: Participant[][] = [];
  const hosts: { code: string; hostToken: string }[] = [];
  await pool(sessions, 16, async () => {
    const created = await call(base, 'POST', '/api/sessions', undefined, { ttlSeconds: 900 });
    if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
    const code = created.body.code as string;
    hosts.push({ code, hostToken: created.body.hostToken });
    const team: Participant[] = [];
    for (let i = 0; i < participants; i++) {
      const joined = await call(base, 'POST', `/api/sessions/${code}/participants`, undefined, {});
      if (joined.status !== 201) throw new Error(`join: ${joined.status}`);
      team.push({ id: joined.body.id, token: joined.body.token, code });
    }
    people.push(team);
  });
  const streams = await poolMap(people.flat(), 64, (p) => stream(base, `/api/sessions/${p.code}/events`, p.token, onMessage));
  return {
    people,
    async teardown() {
      await pool(hosts.length, 16, async (i) => {
        const { code, hostToken } = hosts[i]!;
        await call(base, 'DELETE', `/api/sessions/${code}`, hostToken);
      });
      for (const s of streams) s.close();
    },
  };
}

/** Runs `task(i)` for i < n with at most `width` at once. */
async function pool(n: number, width: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, n) }, async () => {
      while (next < n) await task(next++);
    }),
  );
}

async function poolMap<T, R>(items: T[], width: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  await pool(items.length, width, async (i) => {
    out[i] = await task(items[i]!);
  });
  return out;
}

/** Every participant to every other, interleaved across sessions. */
function plan(people: Participant[][]): [Participant, Participant][] {
  const pairs: [Participant, Participant][] = [];
  for (const team of people) for (const from of team) for (const to of team) if (from !== to) pairs.push([from, to]);
  for (let i = pairs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [pairs[i], pairs[j]] = [pairs[j]!, pairs[i]!];
  }
  return pairs;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

interface RoundResult {
  sends: number;
  /** CPU time per send, in microseconds: the server process, and this load generator. */
  cpuMicrosPerSend: { server: number; loadGenerator: number };
  failedSends: number;
  sendsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  lost: number;
}

/** Sends every pair, closed loop (`concurrency`) or paced (`rate` per second); waits for deliveries. */
async function sendRound(
  server: ServerProcess,
  base: URL,
  mode: { concurrency: number } | { rate: number },
  sessions = config.sessions,
): Promise<RoundResult> {
  const issued = new Map<string, number>();
  const latencies: number[] = [];
  const early = new Map<string, number>(); // arrived before the send's reply told us its id
  const onMessage = (id: string) => {
    const now = performance.now();
    const at = issued.get(id);
    if (at === undefined) early.set(id, now);
    else {
      latencies.push(now - at);
      issued.delete(id);
    }
  };
  const { people, teardown } = await setup(base, sessions, config.participants, onMessage);
  const pairs = plan(people);
  let failed = 0;
  const sendOne = async ([from, to]: [Participant, Participant]) => {
    const at = performance.now();
    const reply = await call(base, 'POST', `/api/sessions/${from.code}/messages`, from.token, {
      to: to.id,
      text: `Thank you for everything you did this sprint, ${to.id}.`,
    }).catch(() => ({ status: 0, body: undefined }));
    if (reply.status !== 201) {
      failed++;
      return;
    }
    const id = reply.body.id as string;
    const arrived = early.get(id);
    if (arrived !== undefined) {
      early.delete(id);
      latencies.push(arrived - at);
    } else issued.set(id, at);
  };
  const serverCpuBefore = (await server.stats({ gc: false })).cpu;
  const ownCpuBefore = process.cpuUsage();
  const started = performance.now();
  if ('concurrency' in mode) {
    await pool(pairs.length, mode.concurrency, (i) => sendOne(pairs[i]!));
  } else {
    const inFlight: Promise<void>[] = [];
    let i = 0;
    while (i < pairs.length) {
      const due = Math.min(pairs.length, Math.floor(((performance.now() - started) / 1000) * mode.rate) + 1);
      while (i < due) inFlight.push(sendOne(pairs[i++]!));
      await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all(inFlight);
  }
  const elapsed = (performance.now() - started) / 1000;
  // Give the last deliveries a moment.
  const deadline = performance.now() + 5000;
  while (issued.size > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const lost = issued.size;
  const serverCpu = (await server.stats({ gc: false })).cpu;
  const ownCpu = process.cpuUsage(ownCpuBefore);
  const perSend = (micros: number) => Math.round(micros / pairs.length);
  await teardown();
  latencies.sort((a, b) => a - b);
  return {
    sends: pairs.length,
    cpuMicrosPerSend: {
      server: perSend(serverCpu.user + serverCpu.system - serverCpuBefore.user - serverCpuBefore.system),
      loadGenerator: perSend(ownCpu.user + ownCpu.system),
    },
    failedSends: failed,
    sendsPerSecond: Math.round((pairs.length - failed) / elapsed),
    latencyMs: {
      p50: round(percentile(latencies, 50), 2),
      p95: round(percentile(latencies, 95), 2),
      p99: round(percentile(latencies, 99), 2),
      max: round(latencies.at(-1) ?? NaN, 2),
    },
    lost,
  };
}

/** Server memory per idle open stream: 10,000 streams across sessions of 10, measured in the server after GC. */
async function idleMemory(base: URL, server: ServerProcess) {
  const perSession = 10;
  const { people, teardown } = await (async () => {
    // Join first, measure, then open the streams: the delta is the streams alone.
    const sessions = Math.ceil(config.idleStreams / perSession);
    const team: Participant[][] = [];
    const hosts: { code: string; hostToken: string }[] = [];
    await pool(sessions, 16, async () => {
      const created = await call(base, 'POST', '/api/sessions', undefined, { ttlSeconds: 900 });
      const code = created.body.code as string;
      hosts.push({ code, hostToken: created.body.hostToken });
      const members: Participant[] = [];
      for (let i = 0; i < perSession; i++) {
        const joined = await call(base, 'POST', `/api/sessions/${code}/participants`, undefined, {});
        members.push({ id: joined.body.id, token: joined.body.token, code });
      }
      team.push(members);
    });
    return {
      people: team.flat().slice(0, config.idleStreams),
      teardown: () =>
        pool(hosts.length, 16, async (i) => {
          await call(base, 'DELETE', `/api/sessions/${hosts[i]!.code}`, hosts[i]!.hostToken);
        }),
    };
  })();
  const before = await server.stats();
  const streams = await poolMap(people, 100, (p) => stream(base, `/api/sessions/${p.code}/events`, p.token, () => undefined));
  await new Promise((r) => setTimeout(r, 500));
  const after = await server.stats();
  if (after.openStreams !== people.length) throw new Error(`expected ${people.length} open streams, server has ${after.openStreams}`);
  const result = {
    streams: people.length,
    rssBytesPerStream: Math.round((after.memory.rss - before.memory.rss) / people.length),
    heapBytesPerStream: Math.round((after.memory.heapUsed - before.memory.heapUsed) / people.length),
    serverRssMB: round(after.memory.rss / 2 ** 20),
  };
  await teardown();
  for (const s of streams) s.close();
  return result;
}

async function benchStore(store: 'memory' | 'redis') {
  const options =
    store === 'redis'
      ? { redisUrl: config.redisUrl, redisPrefix: `bench:${randomBytes(4).toString('hex')}`, rateLimits: false as const }
      : { rateLimits: false as const };
  const server = await startServerProcess(options, {
    built: true,
    execArgv: ['--expose-gc', ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [])],
  });
  try {
    const base = new URL(server.url);
    const memoryOnly = process.env.BENCH_MEMORY_ONLY === '1';
    const empty = { sends: 0, cpuMicrosPerSend: { server: NaN, loadGenerator: NaN }, failedSends: 0, sendsPerSecond: 0, latencyMs: { p50: NaN, p95: NaN, p99: NaN, max: NaN }, lost: 0 };
    if (!memoryOnly) await sendRound(server, base, { concurrency: 16 }, Math.ceil(config.sessions / 5)); // warm up the JIT and connections
    // The machine is shared: repeat, and report the median run of each kind.
    const fulls: RoundResult[] = [];
    const halves: (RoundResult & { rate: number })[] = [];
    for (let i = 0; i < (memoryOnly ? 0 : config.repeat); i++) {
      const full = await sendRound(server, base, { concurrency: config.concurrency });
      const rate = Math.max(100, Math.round(full.sendsPerSecond / 2));
      fulls.push(full);
      halves.push({ rate, ...(await sendRound(server, base, { rate })) });
    }
    const median = <T>(runs: T[], key: (run: T) => number): T | undefined =>
      [...runs].sort((a, b) => key(a) - key(b))[Math.floor((runs.length - 1) / 2)];
    const full = median(fulls, (r) => r.sendsPerSecond) ?? empty;
    const half = median(halves, (r) => r.latencyMs.p99) ?? { rate: 0, ...empty };
    const memory = await idleMemory(base, server);
    return { store, full, half, memory, runs: { full: fulls, half: halves } };
  } finally {
    await server.close();
  }
}

const results = [];
for (const store of config.stores) {
  process.stderr.write(`bench: ${store}…\n`);
  results.push(await benchStore(store));
}
agent.destroy();

const spread = (runs: RoundResult[], pick: (r: RoundResult) => number) => runs.map(pick).sort((a, b) => a - b).join(', ');
const rows = results.flatMap((r) => [
  [r.store, `max (${config.concurrency} in flight)`, r.full.sendsPerSecond, r.full.latencyMs.p50, r.full.latencyMs.p95, r.full.latencyMs.p99, r.full.latencyMs.max, r.full.lost + r.full.failedSends, `${r.full.cpuMicrosPerSend.server} / ${r.full.cpuMicrosPerSend.loadGenerator}`],
  [r.store, `paced at ${r.half.rate}/s`, r.half.sendsPerSecond, r.half.latencyMs.p50, r.half.latencyMs.p95, r.half.latencyMs.p99, r.half.latencyMs.max, r.half.lost + r.half.failedSends, `${r.half.cpuMicrosPerSend.server} / ${r.half.cpuMicrosPerSend.loadGenerator}`],
]);
const header = ['store', 'load', 'sends/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'lost+failed', 'CPU µs/send server / load gen'];
const memoryRows = results.map((r) => [r.store, r.memory.streams, (r.memory.rssBytesPerStream / 1024).toFixed(1), (r.memory.heapBytesPerStream / 1024).toFixed(1), r.memory.serverRssMB]);
const memoryHeader = ['store', 'idle streams', 'RSS KB/stream', 'heap KB/stream', 'server RSS MB'];
const table = (head: (string | number)[], body: (string | number)[][]) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...body.map((row) => `| ${row.join(' | ')} |`)].join('\n');
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}, ${config.sessions} sessions × ${config.participants} participants = ${config.sessions * config.participants * (config.participants - 1)} sends per round`;
const spreads = results
  .filter((r) => r.runs.full.length > 1)
  .map(
    (r) =>
      `${r.store}: sends/s over ${r.runs.full.length} runs ${spread(r.runs.full, (x) => x.sendsPerSecond)}; ` +
      `p99 ms at half rate ${spread(r.runs.half, (x) => x.latencyMs.p99)}`,
  )
  .join('\n');
console.log(`\n${machine}\n\n${table(header, rows)}\n\n${table(memoryHeader, memoryRows)}\n\n${spreads}\n`);
const out = fileURLToPath(new URL('./results.json', import.meta.url));
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), machine, config: { ...config, redisUrl: undefined }, results }, null, 2) + '\n');
console.log(`wrote ${out}`);
