import type { CommandModule } from 'yargs';
import { CliError, exitCodes } from '../exit-codes.js';
import { duration } from '../format.js';
import { note, print } from './shared.js';

interface ServeArgs {
  port: number | undefined;
  host: string | undefined;
  redisUrl: string | undefined;
  redisPrefix: string | undefined;
  ttl: number | undefined;
}

const env = (name: string): string | undefined => process.env[name] || undefined;

/** `warmshower serve`: the API at /api and the page at /, until SIGINT or SIGTERM. */
export const serveCommand: CommandModule<object, ServeArgs> = {
  command: 'serve',
  describe: 'Run the Warm Shower server: the web page at / and the API at /api',
  builder: (yargs) =>
    yargs
      .option('port', { type: 'number', describe: 'port to listen on [env PORT]', defaultDescription: '3000', requiresArg: true })
      .option('host', { type: 'string', describe: 'address to listen on [env HOST]', defaultDescription: '0.0.0.0', requiresArg: true })
      .option('redis-url', {
        type: 'string',
        describe:
          'keep sessions in Redis (e.g. redis://127.0.0.1:6379, or a comma-separated list of cluster nodes) [env REDIS_URL]; in memory otherwise',
        requiresArg: true,
      })
      .option('redis-prefix', {
        type: 'string',
        describe: 'prefix of every Redis key, to share one Redis between apps [env WARMSHOWER_REDIS_PREFIX]',
        defaultDescription: 'ws',
        requiresArg: true,
      })
      .option('ttl', {
        type: 'number',
        describe: 'default session lifetime in seconds, 10 to 86400 [env WARMSHOWER_TTL]',
        defaultDescription: '3600',
        requiresArg: true,
      })
      .example('$0 serve', 'open http://localhost:3000 and create a session')
      .example('$0 serve --port 8080 --redis-url redis://127.0.0.1:6379', 'several processes can share one Redis') as never,
  handler: async (args: ServeArgs) => {
    try {
      await serve(args);
    } catch (error) {
      note(error instanceof Error ? error.message : String(error));
      process.exit(error instanceof CliError ? error.exitCode : exitCodes.failure);
    }
  },
};

async function serve(args: ServeArgs): Promise<void> {
  const port = integer(args.port ?? env('PORT') ?? 3000, '--port (or PORT)', 0, 65_535);
  const host = args.host ?? env('HOST') ?? '0.0.0.0';
  const redisUrl = args.redisUrl || env('REDIS_URL');
  const redisPrefix = args.redisPrefix || env('WARMSHOWER_REDIS_PREFIX');
  // Loaded here so that the client commands start without the server's dependencies.
  const [{ limits }, { redactRedisUrl }, { startServer }, { webRoot }] = await Promise.all([
    import('@warmshower/core'),
    import('@warmshower/core/redis'),
    import('@warmshower/server/node'),
    import('@warmshower/web'),
  ]);
  const ttlSeconds = integer(
    args.ttl ?? env('WARMSHOWER_TTL') ?? limits.defaultTtlSeconds,
    '--ttl (or WARMSHOWER_TTL)',
    limits.minTtlSeconds,
    limits.maxTtlSeconds,
  );
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({ port, host, redisUrl, redisPrefix, ttlSeconds, staticRoot: webRoot });
  } catch (error) {
    throw new CliError(startFailure(error, host, port, redisUrl && redactRedisUrl(redisUrl)));
  }

  const browsable = host === '0.0.0.0' || host === '::' ? `http://localhost:${server.port}` : server.url;
  print(`Warm Shower is listening on ${host}:${server.port}: open ${browsable}`);
  print(
    server.store === 'memory'
      ? 'Store: in memory (sessions vanish when this process stops; use --redis-url to share or keep them).'
      : `Store: ${server.store === 'redis-cluster' ? 'Redis Cluster' : 'Redis'} at ${redactRedisUrl(redisUrl ?? '')}.`,
  );
  print(`Sessions last ${duration(ttlSeconds)} (${ttlSeconds} s) unless created with another TTL. Ctrl-C stops.`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      note(`Second ${signal}: stopping at once.`);
      process.exit(exitCodes.failure);
    }
    stopping = true;
    note(`${signal}: closing open streams and connections…`);
    server.close().then(
      () => {
        note('Stopped.');
        process.exit(exitCodes.ok);
      },
      (error: unknown) => {
        note(`Could not stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(exitCodes.failure);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function integer(value: number | string, flag: string, min: number, max: number): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new CliError(`${flag} must be a whole number from ${min} to ${max}, not "${value}".`, exitCodes.usage);
  }
  return n;
}

/** One sentence for a server that could not start; `redisUrl` comes already redacted. */
function startFailure(error: unknown, host: string, port: number, redisUrl: string | undefined): string {
  const code = (error as { code?: string } | undefined)?.code;
  if (code === 'EADDRINUSE') return `Port ${port} on ${host} is already in use; choose another with --port.`;
  if (code === 'EACCES') return `Not allowed to listen on port ${port}; choose a port above 1023 with --port.`;
  if (code === 'EADDRNOTAVAIL') return `This machine has no address ${host}; choose another with --host.`;
  const message = error instanceof Error ? error.message : String(error);
  if (redisUrl && /redis/i.test(message)) return message.replace(/\.?$/, '.');
  if (redisUrl && /ECONNREFUSED|ENOTFOUND|ETIMEDOUT/i.test(`${code} ${message}`)) {
    return `Cannot use Redis at ${redisUrl}: ${message.replace(/\.$/, '')}.`;
  }
  return `The server could not start: ${message.replace(/\.$/, '')}.`;
}
