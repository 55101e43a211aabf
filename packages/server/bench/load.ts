/**
 * The load generator of `pnpm bench`. Sessions are set up with @warmshower/client (the one client
 * of the house); the hot path uses the least it can: sends go through the bench's own HTTP/1.1
 * client on keep-alive sockets (bench/wire.ts), streams through Node's http, read as text. The
 * generator shares the machine with the server, and the same code drives our server and the
 * do-nothing baseline.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WarmshowerClient } from '@warmshower/client';
import type { ServerProcess } from '../test/fixtures/processes.js';
import { WireClient } from './wire.js';

const clients = new Map<string, WireClient>();
export const closeClients = () => {
  for (const client of clients.values()) client.close();
  clients.clear();
};

export interface Participant {
  id: string;
  token: string;
  code: string;
}

/** One POST on a keep-alive socket of the bench's own client (bench/wire.ts). */
export async function send(base: URL, path: string, token: string, body: unknown): Promise<{ status: number; id?: string }> {
  let client = clients.get(base.origin);
  if (!client) clients.set(base.origin, (client = new WireClient(base)));
  const reply = await client.post(path, token, body);
  return { status: reply.status, id: reply.status === 201 ? (JSON.parse(reply.body) as { id: string }).id : undefined };
}

/** An event stream on its own socket that reports the id of each `message` event. */
export function stream(
  base: URL,
  path: string,
  token: string,
  onMessage: (id: string) => void,
  headers: Record<string, string> = {},
): Promise<{ close(): void }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: base.hostname, port: base.port, path, headers: { authorization: `Bearer ${token}`, ...headers }, agent: false },
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
            } else if (frame.startsWith('event: message\nid: ')) onMessage(frame.slice(19, frame.indexOf('\n', 19)));
          }
        });
        res.on('error', () => undefined);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * Runs `task(i)` for i < n, paced at `rate` a second from now; resolves with their results. A turn
 * of this process's event loop issues at most what 4 ms of the rate holds: when the loop was held
 * up (its own collector, the machine), the overdue sends follow at two to four times the rate (a
 * turn comes every 1–2 ms) instead of all at once. One process stands in for a thousand people here; their phones do not stall
 * together, and a burst of 150 sends in one turn (seen with the baseline at 4,600/s) is a test of
 * bursts, not of a steady load.
 */
export async function paced<T>(n: number, rate: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const started = performance.now();
  const inFlight: Promise<T>[] = [];
  const mostPerTurn = Math.max(1, Math.ceil((4 * rate) / 1000));
  let i = 0;
  while (i < n) {
    const due = Math.min(n, Math.floor(((performance.now() - started) / 1000) * rate) + 1, i + mostPerTurn);
    while (i < due) inFlight.push(task(i++));
    await new Promise((r) => setTimeout(r, 1));
  }
  return Promise.all(inFlight);
}

/** The text of a bench warm shower to `to`. */
export const thanks = (to: string): string => `Thank you for everything you did this sprint, ${to}.`;

/** Runs `task(i)` for i < n with at most `width` at once. */
export async function pool(n: number, width: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, n) }, async () => {
      while (next < n) await task(next++);
    }),
  );
}

export async function poolMap<T, R>(items: T[], width: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  await pool(items.length, width, async (i) => {
    out[i] = await task(items[i]!);
  });
  return out;
}

/** S sessions of N participants, made with the client; `end()` ends them all. */
export async function sessions(base: URL, count: number, size: number) {
  const client = new WarmshowerClient({ baseUrl: base });
  const hosts: { code: string; hostToken: string }[] = [];
  const teams: Participant[][] = [];
  await pool(count, 16, async () => {
    const { code, hostToken } = await client.createSession({ ttlSeconds: 900 });
    hosts.push({ code, hostToken });
    const team: Participant[] = [];
    for (let i = 0; i < size; i++) {
      const joined = await client.join(code, {});
      team.push({ id: joined.id, token: joined.token, code });
    }
    teams.push(team);
  });
  return {
    teams,
    end: () => pool(hosts.length, 16, (i) => client.withToken(hosts[i]!.hostToken).endSession(hosts[i]!.code)),
  };
}

/** Opens one stream per participant. */
export const openStreams = (base: URL, people: Participant[], width: number, onMessage: (id: string) => void) =>
  poolMap(people, width, (p) => stream(base, `/api/sessions/${p.code}/events`, p.token, onMessage));

/** Every participant to every other, interleaved across sessions. */
export function plan(teams: Participant[][]): [Participant, Participant][] {
  const pairs: [Participant, Participant][] = [];
  for (const team of teams) for (const from of team) for (const to of team) if (from !== to) pairs.push([from, to]);
  for (let i = pairs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [pairs[i], pairs[j]] = [pairs[j]!, pairs[i]!];
  }
  return pairs;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;
export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export interface RoundResult {
  sends: number;
  /** CPU time per send, in microseconds: the server process, this load generator, and Redis when it is used. */
  /** `serverSystem`: the part of `server` spent in the kernel (system calls, loopback TCP). */
  cpuMicrosPerSend: { server: number; serverSystem: number; loadGenerator: number; redis?: number };
  failedSends: number;
  sendsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  lost: number;
  duplicated: number;
  /** The server's read and write system calls per send (Linux's /proc/<pid>/io), when they can be read. */
  syscallsPerSend?: { reads: number; writes: number };
  /**
   * The whole machine during the sends (Linux's /proc/stat), in % of all its CPUs: busy (anything
   * but idle), and stolen by the hypervisor for other guests. A round with much steal, or one whose
   * neighbour in the cycle had much less, says the VM was disturbed, not the server.
   */
  machine?: { busyPercent: number; stealPercent: number };
  /**
   * The longest this load generator's own event loop was held up during the sends, in ms: a
   * delivery that arrived meanwhile is read (and timed) that much late, whatever the server did.
   */
  generatorStallMs: number;
  /** The same for the server's event loop (GC pauses, long turns), when its process reports it. */
  serverStallMs?: number;
}

/** The machine's CPU time so far (/proc/stat's first line, in ticks), or undefined off Linux. */
function machineTicks(): { total: number; idle: number; steal: number } | undefined {
  try {
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user)
    const ticks = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    const [, , , idle = 0, iowait = 0, , , steal = 0] = ticks;
    const total = ticks.reduce((a, b) => a + b, 0);
    return Number.isFinite(total) ? { total, idle: idle + iowait, steal } : undefined;
  } catch {
    return undefined;
  }
}

function machineShare(before: ReturnType<typeof machineTicks>, after: ReturnType<typeof machineTicks>): RoundResult['machine'] {
  if (!before || !after || after.total <= before.total) return undefined;
  const total = after.total - before.total;
  return {
    busyPercent: Math.round((100 * (total - (after.idle - before.idle))) / total),
    stealPercent: Math.round((100 * (after.steal - before.steal)) / total),
  };
}

/** A process's read and write system calls so far (sockets included), or undefined off Linux. */
function syscalls(pid: number | undefined): { reads: number; writes: number } | undefined {
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)`, 'm').exec(io)?.[1]);
    const counts = { reads: field('syscr'), writes: field('syscw') };
    return Number.isFinite(counts.reads) && Number.isFinite(counts.writes) ? counts : undefined;
  } catch {
    return undefined;
  }
}

/** Sends every pair, closed loop (`concurrency`) or paced (`rate` per second); waits for deliveries. */
export async function sendRound(
  server: ServerProcess,
  base: URL,
  shape: { sessions: number; participants: number },
  mode: { concurrency: number } | { rate: number },
  redisCpu?: () => Promise<number>,
): Promise<RoundResult> {
  const issued = new Map<string, number>();
  const seen = new Set<string>();
  const latencies: number[] = [];
  let duplicated = 0;
  const early = new Map<string, number>(); // arrived before the send's reply told us its id
  const onMessage = (id: string) => {
    const now = performance.now();
    if (seen.has(id)) return void duplicated++;
    seen.add(id);
    const at = issued.get(id);
    if (at === undefined) early.set(id, now);
    else {
      latencies.push(now - at);
      issued.delete(id);
    }
  };
  const { teams, end } = await sessions(base, shape.sessions, shape.participants);
  const open = await openStreams(base, teams.flat(), 64, onMessage);
  const pairs = plan(teams);
  let failed = 0;
  const sendOne = async ([from, to]: [Participant, Participant]) => {
    const at = performance.now();
    const reply = await send(base, `/api/sessions/${from.code}/messages`, from.token, {
      to: to.id,
      text: thanks(to.id),
    }).catch(() => ({ status: 0, id: undefined }));
    if (reply.status !== 201 || !reply.id) return void failed++;
    const arrived = early.get(reply.id);
    if (arrived !== undefined) {
      early.delete(reply.id);
      latencies.push(arrived - at);
    } else issued.set(reply.id, at);
  };
  const serverCpuBefore = (await server.stats({ gc: false })).cpu;
  const callsBefore = syscalls(server.child.pid);
  const machineBefore = machineTicks();
  const redisBefore = await redisCpu?.();
  const ownCpuBefore = process.cpuUsage();
  const stalls = monitorEventLoopDelay({ resolution: 5 });
  stalls.enable();
  const started = performance.now();
  if ('concurrency' in mode) await pool(pairs.length, mode.concurrency, (i) => sendOne(pairs[i]!));
  else await paced(pairs.length, mode.rate, (i) => sendOne(pairs[i]!));
  const elapsed = (performance.now() - started) / 1000;
  stalls.disable();
  const machine = machineShare(machineBefore, machineTicks());
  // Give the last deliveries a moment.
  const deadline = performance.now() + 5000;
  while (issued.size > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const { cpu: serverCpu, stallMs: serverStall } = await server.stats({ gc: false });
  const callsAfter = syscalls(server.child.pid);
  const ownCpu = process.cpuUsage(ownCpuBefore);
  const redisAfter = await redisCpu?.();
  const perSend = (micros: number) => Math.round(micros / pairs.length);
  await end().catch(() => undefined);
  for (const s of open) s.close();
  latencies.sort((a, b) => a - b);
  return {
    sends: pairs.length,
    cpuMicrosPerSend: {
      server: perSend(serverCpu.user + serverCpu.system - serverCpuBefore.user - serverCpuBefore.system),
      serverSystem: perSend(serverCpu.system - serverCpuBefore.system),
      loadGenerator: perSend(ownCpu.user + ownCpu.system),
      ...(redisBefore !== undefined && redisAfter !== undefined ? { redis: perSend(redisAfter - redisBefore) } : {}),
    },
    failedSends: failed,
    sendsPerSecond: Math.round((pairs.length - failed) / elapsed),
    latencyMs: {
      p50: round(percentile(latencies, 50), 2),
      p95: round(percentile(latencies, 95), 2),
      p99: round(percentile(latencies, 99), 2),
      max: round(latencies.at(-1) ?? NaN, 2),
    },
    lost: issued.size,
    duplicated,
    generatorStallMs: round(stalls.max / 1e6),
    ...(serverStall !== undefined ? { serverStallMs: round(serverStall) } : {}),
    ...(machine ? { machine } : {}),
    ...(callsBefore && callsAfter
      ? {
          syscallsPerSend: {
            reads: round((callsAfter.reads - callsBefore.reads) / pairs.length, 2),
            writes: round((callsAfter.writes - callsBefore.writes) / pairs.length, 2),
          },
        }
      : {}),
  };
}

/** Redis's own CPU time so far (user + system), in microseconds, from INFO cpu. */
export async function redisCpuMicros(redis: { info(section: string): Promise<string> }): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return Math.round((field('used_cpu_user') + field('used_cpu_sys')) * 1e6);
}

/** Server memory per idle open stream: streams across sessions of 10, measured in the server after GC. */
export async function idleMemory(base: URL, server: ServerProcess, count: number) {
  const { teams, end } = await sessions(base, Math.ceil(count / 10), 10);
  const people = teams.flat().slice(0, count);
  const before = await server.stats();
  const open = await openStreams(base, people, 100, () => undefined);
  await new Promise((r) => setTimeout(r, 500));
  const after = await server.stats();
  if (after.openStreams !== people.length) throw new Error(`expected ${people.length} open streams, server has ${after.openStreams}`);
  const result = {
    streams: people.length,
    rssBytesPerStream: Math.round((after.memory.rss - before.memory.rss) / people.length),
    heapBytesPerStream: Math.round((after.memory.heapUsed - before.memory.heapUsed) / people.length),
    serverRssMB: round(after.memory.rss / 2 ** 20),
  };
  await end().catch(() => undefined);
  for (const s of open) s.close();
  return result;
}
