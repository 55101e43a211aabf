// Redis servers of a test's own, started and killed as child processes on free loopback ports:
// one private Redis to disturb (kill connections, restart) without touching the machine's shared
// one, and the nodes a cluster (redis-cluster.ts) is made of.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeIf } from './suites.js';

export interface RedisServer {
  port: number;
  /** `redis://127.0.0.1:P` */
  url: string;
  /**
   * Kills the server at once (no SHUTDOWN, no save: a crash), runs `whileDown` (a wait for what a
   * test wants to see during the outage), and starts an empty one on the same port, resolving
   * when it accepts connections: clients see their connections drop and the data gone, as after a
   * restart without persistence.
   */
  restart(whileDown?: () => Promise<void>): Promise<void>;
  /** Kills the server; safe to call twice. */
  stop(): Promise<void>;
}

export const host = '127.0.0.1';

/** Directories of servers not yet stopped: removed when the test process exits, stop() or not. */
const directories = new Set<string>();
process.once('exit', () => {
  for (const dir of directories) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory for a server's files, forgotten by `removeDirectory`. */
export async function makeDirectory(kind: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `warmshower-${kind}-`));
  directories.add(dir);
  return dir;
}

export async function removeDirectory(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  directories.delete(dir);
}

/** Whether this machine can start Redis servers of its own, 7 or newer (sharded pub/sub). */
const canStartRedis = Number(/v=(\d+)\./.exec(spawnSync('redis-server', ['--version']).stdout?.toString() ?? '')?.[1] ?? 0) >= 7;

/**
 * A suite that starts Redis servers of its own (a cluster, or one to disturb). Without the
 * binaries it is skipped with the reason in its name, except under CI=true, where it fails.
 */
export function describeWithRedisCluster(title: string, body: () => void): void {
  describeIf(
    {
      met: canStartRedis,
      needs: 'redis-server 7 or newer on the PATH',
      missing: 'no redis-server 7+ on the PATH',
      fix: 'apt-get install redis-server',
    },
    title,
    body,
  );
}

/** Starts one plain (non-cluster) Redis of a test's own on a free loopback port. */
export async function startRedisServer(): Promise<RedisServer> {
  const dir = await makeDirectory('redis');
  try {
    let node = await startNode(new Set(), () => ['--dir', dir]);
    let stopping: Promise<void> | undefined;
    return {
      port: node.port,
      url: `redis://${host}:${node.port}`,
      restart: async (whileDown) => {
        await node.stop();
        await whileDown?.();
        node = await startNode(new Set(), () => ['--dir', dir], node.port);
      },
      stop: () =>
        (stopping ??= (async () => {
          await node.stop();
          await removeDirectory(dir);
        })()),
    };
  } catch (error) {
    await removeDirectory(dir);
    throw error;
  }
}

export interface NodeProcess {
  port: number;
  stop(): Promise<void>;
}

/**
 * A redis-server on a free port, behind a shell that kills it as soon as our end of its stdin
 * closes: on stop(), and also when the test process dies without cleaning up.
 */
const guarded = 'exec 3<&0; redis-server "$@" </dev/null & pid=$!; { read -r _ <&3; kill -9 $pid 2>/dev/null; } & exec 3<&-; wait $pid';

/** Starts redis-server on a free port, or on `fixedPort` (a restart: it is ours, just freed). */
export async function startNode(taken: Set<number>, extraArgs: (port: number) => string[], fixedPort?: number): Promise<NodeProcess> {
  let lastError: Error | undefined;
  // Another process may grab a port between our check and Redis binding it: then try another.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = fixedPort ?? (await freePort(taken));
    taken.add(port);
    const args = ['--port', String(port), '--bind', host, '--save', '', '--appendonly', 'no', ...extraArgs(port)];
    const child = spawn('sh', ['-c', guarded, 'redis-server', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const stop = async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.stdin?.end();
      await exited;
    };
    try {
      await untilListening(child, port);
      return { port, stop };
    } catch (error) {
      lastError = error as Error;
      await stop();
    }
  }
  throw lastError ?? new Error('redis-server did not start.');
}

/** Resolves when redis-server says it is ready; rejects with its last words if it exits first. */
function untilListening(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => done(new Error(`redis-server on ${port} was not ready within 10 s: ${output.slice(-500)}`)), 10_000);
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
      if (/Ready to accept connections/.test(output)) done();
    };
    const onExit = () => done(new Error(`redis-server on ${port} exited: ${output.slice(-500).trim()}`));
    const done = (error?: Error) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      // Keep draining its output so a chatty server never blocks on a full pipe.
      child.stdout?.resume();
      child.stderr?.resume();
      if (error) reject(error);
      else resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** A port the OS calls free whose cluster bus port (port + 10000) is free too. */
async function freePort(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = await listenable(0);
    if (port === null || port + 10_000 > 65_535 || taken.has(port) || taken.has(port + 10_000)) continue;
    if ((await listenable(port + 10_000)) !== null) return port;
  }
  throw new Error('Found no free pair of loopback ports (P and P + 10000).');
}

/** Listens on `port` (0: any) on loopback and lets go at once; the port it got, or null if taken. */
async function listenable(port: number): Promise<number | null> {
  const server = createServer();
  try {
    server.listen(port, host);
    await once(server, 'listening');
    const address = server.address();
    return address && typeof address === 'object' ? address.port : null;
  } catch {
    return null;
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

