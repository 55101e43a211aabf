/**
 * `pnpm --filter @warmshower/server bench:gc`: what a send costs the server's garbage collector,
 * figures that hardly move on a noisy machine (unlike times): bytes allocated per send, bytes the
 * young-generation collections had to copy per send (objects still alive when one ran: what makes
 * its pause long), and those pauses. For each store, S × N people stream and send all-to-all at a
 * steady rate (BENCH_GC_RATE, 2500/s) in BENCH_GC_ROUNDS (3) rounds; V8's `--trace-gc-nvp` lines
 * between the round's markers are summed. Sessions and streams are set up before the markers.
 * Also the server's CPU time per send in the round: at a steady rate that leaves the machine
 * half idle, it moves less than at full load (still ±10% on this VM: compare builds by
 * alternating runs).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startServerProcess } from '../test/fixtures/processes.js';
import { closeClients, openStreams, paced, plan, send, sendRound, sessions, thanks } from './load.js';

const rate = Number(process.env.BENCH_GC_RATE ?? 2500);
const rounds = Number(process.env.BENCH_GC_ROUNDS ?? 3);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

if (process.argv[2] !== 'child') {
  // The server's GC lines go to stdout, shared with this script's markers, in order: a child
  // process of this script with stdout piped here keeps them in one stream to parse.
  const rows: string[] = [];
  for (const store of (process.env.BENCH_STORES ?? 'memory,redis').split(',')) {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'child', store], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`bench:gc: the ${store} run failed (exit ${String(code)})`);
    rows.push(...summarize(store, out));
  }
  console.log(
    [
      '| server | sends | CPU µs/send | allocated KB/send | copied by scavenges KB/send | scavenges | pause p50 ms | pause max ms |',
      '|---|---|---|---|---|---|---|---|',
      ...rows,
    ].join('\n'),
  );
} else {
  const store = process.argv[3];
  const server = await startServerProcess(
    store === 'redis' ? { redisUrl, redisPrefix: `bench:${randomBytes(4).toString('hex')}`, rateLimits: false } : { rateLimits: false },
    { built: true, execArgv: ['--trace-gc-nvp'] },
  );
  const base = new URL(server.url);
  await sendRound(server, base, { sessions: 20, participants: 10 }, { concurrency: 16 }); // warm up
  for (let i = 0; i < rounds; i++) {
    const { teams, end } = await sessions(base, 100, 10);
    let arrived = 0;
    const open = await openStreams(base, teams.flat(), 64, () => void arrived++);
    await new Promise((r) => setTimeout(r, 300));
    const pairs = plan(teams);
    const cpuBefore = (await server.stats({ gc: false })).cpu;
    console.log('MARK start');
    const replies = await paced(pairs.length, rate, (k) => {
      const [from, to] = pairs[k]!;
      return send(base, `/api/sessions/${from.code}/messages`, from.token, { to: to.id, text: thanks(to.id) });
    });
    const accepted = replies.filter((reply) => reply.status === 201).length;
    if (accepted < pairs.length) throw new Error(`bench:gc: the server refused ${pairs.length - accepted} of ${pairs.length} sends`);
    const deadline = performance.now() + 10_000;
    while (arrived < accepted && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const cpu = (await server.stats({ gc: false })).cpu;
    const cpuMicros = cpu.user + cpu.system - cpuBefore.user - cpuBefore.system;
    console.log(`MARK end ${pairs.length} ${cpuMicros}`);
    await end();
    for (const s of open) s.close();
  }
  await server.close();
  closeClients();
}

function summarize(store: string, out: string): string[] {
  const rows: string[] = [];
  let inside = false;
  let allocated = 0;
  let copied = 0;
  let pauses: number[] = [];
  const field = (line: string, name: string) => Number(new RegExp(` ${name}=([\\d.]+)`).exec(line)?.[1] ?? 0);
  for (const line of out.split('\n')) {
    if (line.startsWith('MARK start')) {
      inside = true;
      allocated = copied = 0;
      pauses = [];
    } else if (line.startsWith('MARK end')) {
      inside = false;
      const [, , sends, cpuMicros] = line.split(' ').map(Number) as [number, number, number, number];
      pauses.sort((a, b) => a - b);
      const kb = (bytes: number) => (bytes / sends / 1024).toFixed(1);
      rows.push(`| ${store} | ${sends} | ${Math.round(cpuMicros / sends)} | ${kb(allocated)} | ${kb(copied)} | ${pauses.length} | ${pauses[Math.floor(pauses.length / 2)] ?? '–'} | ${pauses.at(-1) ?? '–'} |`);
    } else if (inside) {
      allocated += field(line, 'allocated');
      if (/ gc=s /.test(line)) {
        pauses.push(field(line, 'pause'));
        copied += field(line, 'promoted') + field(line, 'new_space_survived');
      }
    }
  }
  return rows;
}
