/**
 * The app on real Bun and Deno (the `bun` and `deno` devDependencies), each serving a fixture on
 * 127.0.0.1 in a process of its own, driven over HTTP by @warmshower/client. The fixtures import the
 * built packages, as a user's script would: after changing the sources, `pnpm build` first.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { WarmshowerClient, type StreamEvent, type StreamStatus } from '@warmshower/client';
import type { AppOptions } from '@warmshower/server';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from './helpers.js';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const packageDir = (name: string) => dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));

interface OtherRuntime {
  name: string;
  /** The real binary, which the package's postinstall links into place (its bin entry is a wrapper). */
  binary(): string;
  /** The command line that serves the built app with these options. */
  args(options: AppOptions): string[];
  /** How long the stream test keeps the stream quiet: past the runtime's idle timeout, where it has one. */
  quietMs?: number;
}

const bun: OtherRuntime = {
  name: 'Bun',
  binary: () => join(packageDir('bun'), 'bin', 'bun.exe'),
  // Bun closes a connection after `idleTimeout` seconds without a byte (default 10, sooner than our
  // 15 s heartbeat), checking every 4 s: the fixture sets 1, so 5 s of silence outlasts it.
  args: (options) => [fixture('bun-app.ts'), JSON.stringify(options), '1'],
  quietMs: 5000,
};

const deno: OtherRuntime = {
  name: 'Deno',
  binary: () => join(packageDir('deno'), 'deno'),
  // The least Deno needs: to listen on loopback, os.hostname() and one variable (both read on
  // import: pino's hostname, its thread-stream's NODE_V8_COVERAGE). No --allow-read: imports need none, and with a
  // package.json above the fixture Deno resolves bare specifiers in the workspace's node_modules as
  // Node does (nodeModulesDir "manual", its default there), so nothing is downloaded or cached.
  args: (options) => [
    'run',
    '--no-prompt',
    '--allow-net=127.0.0.1',
    '--allow-sys=hostname',
    '--allow-env=NODE_V8_COVERAGE',
    fixture('deno-app.ts'),
    JSON.stringify(options),
  ],
};

/** Throws a sentence saying why, when the runtime is not installed here (a test fails, none is skipped). */
function checkInstalled(runtime: OtherRuntime): void {
  const binary = runtime.binary();
  try {
    execFileSync(binary, ['--version'], { stdio: 'pipe', timeout: 10_000 });
  } catch (error) {
    throw new Error(
      `${runtime.name} is not installed here (${binary} --version failed: ${(error as Error).message.trim()}). ` +
        `pnpm install puts it there: it is a devDependency of @warmshower/server, and pnpm-workspace.yaml's ` +
        `onlyBuiltDependencies lets its postinstall link the binary.`,
    );
  }
}

interface LogLine {
  level: number;
  msg: string;
  status?: number;
}

interface Served {
  url: string;
  /** The app's log lines so far. */
  logs: LogLine[];
}

/** A line the fixture printed: its port, or one of the app's log lines (any other text as a message). */
function parseLine(line: string): { port?: number } & LogLine {
  try {
    return JSON.parse(line) as { port?: number } & LogLine;
  } catch {
    return { level: 0, msg: line };
  }
}

const children: ChildProcess[] = [];

/** Serves the built app on the runtime and waits until it listens. */
async function serve(runtime: OtherRuntime, options: AppOptions): Promise<Served> {
  checkInstalled(runtime);
  const child = spawn(runtime.binary(), runtime.args(options), {
    cwd: packageRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Neither runtime may reach beyond loopback: no update check, no crash report, no telemetry.
    env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', DO_NOT_TRACK: '1', NO_COLOR: '1' },
  });
  children.push(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const logs: LogLine[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${runtime.name}: not listening within 20 s; stderr: ${stderr}`)), 20_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${runtime.name} exited (${code ?? signal}) before listening; stderr: ${stderr}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const parsed = parseLine(line);
      if (typeof parsed.port === 'number') {
        clearTimeout(timer);
        resolve(parsed.port);
      } else logs.push(parsed);
    });
  });
  return { url: `http://127.0.0.1:${port}`, logs };
}

afterAll(async () => {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }),
  );
});

describe.each([bun, deno])('the built app on $name', (runtime) => {
  it('a warm shower reaches the recipient’s stream, signed by nobody, after a quiet spell', async () => {
    // Heartbeats a minute apart, so that nothing is written while the test waits.
    const { url } = await serve(runtime, { rateLimits: false, heartbeatMs: 60_000 });
    const anyone = new WarmshowerClient({ baseUrl: url });
    const { code } = await anyone.createSession({});
    const ada = await anyone.join(code, { displayName: 'Ada' });
    const bo = await anyone.join(code, { displayName: 'Bo' });

    const events: StreamEvent[] = [];
    const statuses: StreamStatus[] = [];
    const stream = anyone.withToken(bo.token).stream(code, {
      failFast: true,
      onEvent: (event) => void events.push(event),
      onStatus: (status) => void statuses.push(status),
    });
    try {
      await eventually(() => expect(events.map((event) => event.event)).toContain('ready'));
      await new Promise((resolve) => setTimeout(resolve, runtime.quietMs ?? 0));

      await anyone.withToken(ada.token).send(code, { to: bo.id, text: 'Thank you for the review.' });
      await eventually(() => expect(events.map((event) => event.event)).toContain('message'));
      const message = events.find((event) => event.event === 'message')!;
      // Exactly these fields: nothing says who sent it.
      expect(message.data).toEqual({ id: expect.any(String), text: 'Thank you for the review.', receivedAt: expect.any(String) });
      // One connection throughout: the runtime did not cut the quiet stream.
      expect(statuses).toEqual(['connecting', 'open']);
      expect(events.filter((event) => event.event === 'ready')).toHaveLength(1);
    } finally {
      stream.close();
    }
    expect(await stream.ended).toEqual({ reason: 'closed' });
  });

  it('counts session creations per peer address: a second from 127.0.0.1 within the minute gets 429, with no warning', async () => {
    const served = await serve(runtime, { rateLimits: { createPerMinute: 1 } });
    const anyone = new WarmshowerClient({ baseUrl: served.url });
    await anyone.createSession({});
    await expect(anyone.createSession({})).rejects.toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    // The app logs a request's line after the request; a warning about it would come before.
    await eventually(() => expect(served.logs.some((line) => line.msg === 'request' && line.status === 429)).toBe(true));
    expect(served.logs.filter((line) => line.msg.includes('client address unknown'))).toEqual([]);
  });
});
