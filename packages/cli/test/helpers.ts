import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

/** The built CLI, run as a user runs it. */
export const cliBin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

export const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** A Redis key prefix of our own, so that parallel suites on one Redis never meet. */
export const redisPrefix = (name: string): string => `test:cli:${name}:${randomBytes(4).toString('hex')}`;

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// The tests choose every setting; nothing leaks in from the developer's shell.
const settings = [
  'WARMSHOWER_URL',
  'WARMSHOWER_TOKEN',
  'WARMSHOWER_KEY',
  'WARMSHOWER_TTL',
  'WARMSHOWER_REDIS_PREFIX',
  'WARMSHOWER_PUBLIC_URL',
  'WARMSHOWER_TRUST_PROXY',
  'WARMSHOWER_MAX_PARTICIPANTS',
  'LOG_LEVEL',
  'PORT',
  'HOST',
  'REDIS_URL',
];
function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of settings) delete env[name];
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

export interface Result {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI once and collects what it printed. */
export function cli(
  args: string[],
  options: { env?: Record<string, string | undefined>; input?: string; timeoutMs?: number } = {},
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliBin, ...args], {
      env: childEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`warmshower ${args.join(' ')} did not finish in time.\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 15_000);
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A long-running CLI process (`serve`, `listen`) whose output can be awaited line by line. */
export class Running {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly waiters = new Set<() => void>();

  constructor(readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8').on('data', (s: string) => {
      this.stdout += s;
      this.wake();
    });
    child.stderr!.setEncoding('utf8').on('data', (s: string) => {
      this.stderr += s;
      this.wake();
    });
    this.exited = new Promise((resolve) =>
      child.on('close', (code) => {
        resolve(code);
        this.wake();
      }),
    );
  }

  /** Complete lines of stdout so far. */
  get lines(): string[] {
    return this.stdout.split('\n').slice(0, -1);
  }

  /** Resolves when `condition` holds for the output so far; fails after `timeoutMs`. */
  async until(condition: (self: this) => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition(this)) {
      if (Date.now() > deadline) {
        throw new Error(`Timed out waiting for ${what}.\nstdout: ${this.stdout}\nstderr: ${this.stderr}`);
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, 100);
        this.waiters.add(wake);
      });
    }
  }

  /** Sends a signal and resolves with the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }

  private wake(): void {
    for (const wake of [...this.waiters]) wake();
  }
}

/** Starts a long-running CLI command. */
export function start(args: string[], env: Record<string, string | undefined> = {}): Running {
  return new Running(spawn(process.execPath, [cliBin, ...args], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] }));
}

/**
 * A long-running CLI command whose stdout is a terminal, as when a person starts it: run by
 * util-linux `script` (Debian's bsdutils, always there) on a pseudo-terminal of its own, whose
 * output `script` copies to our pipe (lines end in CRLF there). SIGTERM to `script` ends the command.
 */
export function startInTerminal(args: string[], env: Record<string, string | undefined> = {}): Running {
  const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;
  const command = [process.execPath, cliBin, ...args].map(quote).join(' ');
  return new Running(spawn('script', ['-qfec', command, '/dev/null'], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** The port a `serve` started with `--port 0` says it listens on ("…listening on 0.0.0.0:41234."). */
export const printedPort = (stdout: string): number => Number(/listening on [^\s]*:(\d+)/.exec(stdout)?.[1]);

/**
 * `warmshower serve` on `options.port`, or on a port the system picks (`--port 0`, read back from
 * what serve prints: a port picked here first could be taken by a parallel test file meanwhile),
 * ready when it has printed all it says on start and /healthz answers.
 */
export async function serve(
  options: { port?: number; redis?: { url: string; prefix: string }; env?: Record<string, string>; args?: string[] } = {},
): Promise<Running & { url: string; port: number }> {
  const args = ['serve', '--port', String(options.port ?? 0), '--host', '127.0.0.1', ...(options.args ?? [])];
  if (options.redis) args.push('--redis-url', options.redis.url, '--redis-prefix', options.redis.prefix);
  const running = start(args, options.env);
  // Its last line: a slow machine can hand over the first lines of what serve prints on their own.
  await running.until((s) => /Ctrl-C stops\./.test(s.stdout) || s.child.exitCode !== null, '"serve" to start');
  if (running.child.exitCode !== null) throw new Error(`serve exited: ${running.stderr}`);
  const port = printedPort(running.stdout);
  const server = Object.assign(running, { url: `http://127.0.0.1:${port}`, port });
  const response = await fetch(`${server.url}/healthz`);
  if (!response.ok) throw new Error(`/healthz answered ${response.status}`);
  return server;
}

/**
 * One `serve` for a whole test file: `env` points the CLI at it once it has started, and what is
 * pushed on `running` is killed after the file, before the server stops.
 */
export function serveForFile() {
  const file = { env: {} as Record<string, string>, running: [] as Running[], url: '' };
  let server: Running | undefined;
  beforeAll(async () => {
    const started = await serve();
    server = started;
    file.url = started.url;
    file.env.WARMSHOWER_URL = started.url;
  });
  afterAll(async () => {
    await Promise.all(file.running.map((r) => r.stop('SIGKILL')));
    await server?.stop('SIGTERM');
  });
  return file;
}

/** Parses NDJSON output. */
export const events = (stdout: string): Array<{ event: string; id?: string; data: any }> =>
  stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));

export interface Member {
  id: string;
  token: string;
  displayName: string;
  /** End-to-end sessions only. */
  key?: string;
}

/** `create --json` with `flags`, then `join --json` for each name: what a host and its people hold. */
export async function openSession(
  env: Record<string, string>,
  flags: string[],
  names: string[],
): Promise<{ code: string; hostToken: string; people: Record<string, Member> }> {
  const created = await cli(['create', '--json', ...flags], { env });
  if (created.exitCode !== 0) throw new Error(`create failed: ${created.stderr}`);
  const { code, hostToken } = JSON.parse(created.stdout) as { code: string; hostToken: string };
  const people: Record<string, Member> = {};
  for (const name of names) {
    const joined = await cli(['join', code, '--name', name, '--json'], { env });
    if (joined.exitCode !== 0) throw new Error(`join failed: ${joined.stderr}`);
    people[name] = JSON.parse(joined.stdout) as Member;
  }
  return { code, hostToken, people };
}
