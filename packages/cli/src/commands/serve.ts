import { isWarmshowerError } from '@warmshower/core/protocol';
import type { CommandModule } from 'yargs';
import { CliError, exitCodes } from '../exit-codes.js';
import { duration } from '../format.js';
import { filters, logLevels, serveOptions, type ServeArgs, type ServeOptions } from './serve-options.js';
import { note, print } from './shared.js';

/** `warmshower serve`: the API at /api and the page at /, until SIGINT or SIGTERM. */
export const serveCommand: CommandModule<object, ServeArgs> = {
  command: 'serve',
  describe: 'Run the Warm Shower server: the web page at / and the API at /api',
  builder: (yargs) =>
    yargs
      .option('port', { type: 'string', describe: 'port to listen on [env PORT]', defaultDescription: '3000', requiresArg: true })
      .option('host', { type: 'string', describe: 'address to listen on [env HOST]', defaultDescription: '0.0.0.0', requiresArg: true })
      .option('redis-url', {
        type: 'string',
        describe:
          'keep sessions in Redis (redis://127.0.0.1:6379), or a Redis Cluster (its nodes, comma-separated) [env REDIS_URL]; in memory otherwise',
        requiresArg: true,
      })
      .option('redis-prefix', {
        type: 'string',
        describe: 'prefix of every Redis key, to share one Redis between apps [env WARMSHOWER_REDIS_PREFIX]',
        defaultDescription: 'ws',
        requiresArg: true,
      })
      .option('ttl', {
        type: 'string',
        describe: 'default session lifetime in seconds, 10 to 86400 [env WARMSHOWER_TTL]',
        defaultDescription: '3600',
        requiresArg: true,
      })
      .option('public-url', {
        type: 'string',
        describe: 'the address people open, e.g. https://shower.example.org (join links use it) [env WARMSHOWER_PUBLIC_URL]',
        requiresArg: true,
      })
      .option('trust-proxy', {
        type: 'string',
        describe:
          'proxies whose X-Forwarded-For to believe: false, a hop count, or addresses and CIDRs (loopback, private) [env WARMSHOWER_TRUST_PROXY]',
        defaultDescription: 'false',
        requiresArg: true,
      })
      .option('max-participants', {
        type: 'string',
        describe: 'people a session may hold, 2 to 1000 [env WARMSHOWER_MAX_PARTICIPANTS]',
        defaultDescription: '250',
        requiresArg: true,
      })
      .option('filter', { choices: filters, describe: 'refuse warm showers with profanity (not end to end)' })
      .option('log-level', { choices: logLevels, describe: 'how much to log; request lines are info [env LOG_LEVEL]', defaultDescription: 'info; warn in a terminal' })
      .example('$0 serve', 'open http://localhost:3000 and create a session')
      .example('$0 serve --port 8080 --redis-url redis://127.0.0.1:6379', 'several processes can share one Redis')
      .example('$0 serve --public-url https://shower.example.org --trust-proxy loopback', 'behind a reverse proxy') as never,
  handler: serve,
};

async function serve(args: ServeArgs): Promise<void> {
  // Loaded here so that the client commands start without the server's dependencies.
  const [{ startServer }, { defaultRedisPrefix, redactRedisUrl, redisUrlOf }, { webRoot }] = await Promise.all([
    import('@warmshower/server/node'),
    import('@warmshower/core/redis'),
    import('@warmshower/web'),
  ]);
  const options = serveOptions(args, (url) => redisUrlOf(url) !== null);
  // A person at a terminal reads the start lines above all: a JSON line for every request would
  // bury them (a page load is a dozen). Where the output goes to a pipe, a file or a container's
  // log collector, the request lines stay (info), as --log-level or LOG_LEVEL can always ask.
  const atTerminal = options.logLevel === undefined && process.stdout.isTTY === true;
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({ ...options, ...(atTerminal ? { logLevel: 'warn' as const } : {}), staticRoot: webRoot });
  } catch (error) {
    throw startFailure(error, options, redactRedisUrl);
  }

  print(`Warm Shower is listening on ${options.host}:${server.port}. Open it at:`);
  // As people type them: an origin without its trailing slash (a path such as /warmshower/ keeps it).
  for (const url of server.urls) print(`  ${new URL(url).pathname === '/' ? url.replace(/\/$/, '') : url}`);
  if (server.joinUrlIsLoopback) {
    print(
      `Only this machine can open ${server.joinUrl}: other devices cannot reach it. To let people join from their own ` +
        'devices, listen on every interface (--host 0.0.0.0) or give the address they use (--public-url https://…).',
    );
  }
  print(`Store: ${storeSentence(server.store, { ...options, redisPrefix: options.redisPrefix ?? defaultRedisPrefix }, redactRedisUrl)}`);
  if (options.filter === 'profanity') print('Warm showers with profanity are refused (--filter profanity; not in end-to-end sessions).');
  if (atTerminal) print('Requests are not logged in a terminal, only warnings and errors: --log-level info logs every request.');
  print(`Sessions last ${duration(options.ttlSeconds)} (${options.ttlSeconds} s) unless created with another TTL. Ctrl-C stops.`);

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
  // `on`, not `once`: a second Ctrl-C must reach `stop` too, or Node would kill us without a word.
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

type Redact = (url: string) => string;

/** The Redis URL or a Cluster's node URLs, passwords hidden, as a person may read them. */
const shownUrls = (redisUrl: ServeOptions['redisUrl'], redact: Redact): string[] => [redisUrl ?? ''].flat().map(redact);

/** Where sessions are kept; for Redis also the key prefix, which an operator sharing one Redis needs. */
function storeSentence(store: 'memory' | 'redis' | 'redis-cluster', { redisUrl, redisPrefix }: ServeOptions, redact: Redact): string {
  const urls = shownUrls(redisUrl, redact);
  if (store === 'memory') return 'in memory (sessions vanish when this process stops; use --redis-url to share or keep them).';
  // Keys are `<prefix>:{<code>}:<part>`.
  const keys = `keys under ${redisPrefix}:`;
  if (store === 'redis') return `Redis at ${urls.join(', ')}, ${keys}.`;
  return urls.length > 1
    ? `a Redis Cluster of ${urls.length} nodes at ${urls.join(', ')}, ${keys}.`
    : `a Redis Cluster at ${urls[0]}, ${keys}.`;
}

/** A start that failed, as one sentence: a bad option is a usage error (2), the rest a failure (1). */
function startFailure(error: unknown, { host, port, redisUrl }: ServeOptions, redact: Redact): CliError {
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = (error instanceof Error ? error.message : String(error)).replace(/\.?$/, '.');
  // startServer and core refuse a bad option with a RangeError whose sentence names the value.
  if (error instanceof RangeError || (isWarmshowerError(error) && error.code === 'INVALID_INPUT')) {
    return new CliError(message, exitCodes.usage);
  }
  if (code === 'EADDRINUSE') return new CliError(`Port ${port} on ${host} is already in use; choose another with --port.`);
  if (code === 'EACCES') return new CliError(`Not allowed to listen on port ${port}; choose a port above 1023 with --port.`);
  if (code === 'EADDRNOTAVAIL') return new CliError(`This machine has no address ${host}; choose another with --host.`);
  if (redisUrl && /redis/i.test(message)) return new CliError(message);
  if (redisUrl && /ECONNREFUSED|ENOTFOUND|ETIMEDOUT/i.test(`${String(code)} ${message}`)) {
    return new CliError(`Cannot use Redis at ${shownUrls(redisUrl, redact).join(', ')}: ${message}`);
  }
  return new CliError(`The server could not start: ${message}`);
}
