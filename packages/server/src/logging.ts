import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import pino, { type Logger } from 'pino';

/** The log levels `serve --log-level` takes (SPEC §8); request lines are `info`. */
export const logLevels = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof logLevels)[number];

/** True for one of the levels above. */
export const isLogLevel = (value: unknown): value is LogLevel => logLevels.includes(value as LogLevel);

/** pino on stdout at `level` (info by default). */
export function defaultLogger(level: LogLevel = 'info'): Logger {
  return pino({ level });
}

/**
 * One line per request: method, route pattern (never the path or query, which hold codes),
 * status and time. Never a header, a body, a token or a pair of participants. A 5xx is a warning,
 * unless `logged(c)` says its cause was logged already (a store outage, once).
 */
export function requestLog(logger: Logger, logged: (c: Context) => boolean = () => false): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const warn = c.res.status >= 500 && !logged(c);
    if (!warn && !logger.isLevelEnabled('info')) return;
    const ms = Math.round((performance.now() - started) * 10) / 10;
    // After `next()`, the route index is that of the last handler that ran: the one that answered.
    const line = { method: c.req.method, route: routePath(c) || '(none)', status: c.res.status, ms };
    if (warn) logger.warn(line, 'request');
    else logger.info(line, 'request');
  };
}

/** An error as a log field: its kind and message, nothing from the request. */
export function describeError(error: unknown): { type: string; message: string; stack?: string } | undefined {
  if (error === undefined) return undefined;
  if (error instanceof Error) return { type: error.name, message: error.message, stack: error.stack };
  return { type: typeof error, message: String(error) };
}
