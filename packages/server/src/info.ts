import { limits, type ServerInfo } from '@warmshower/core/protocol';
import type { Context } from 'hono';
import { version } from '../package.json';
import { isLoopbackHost } from './addresses.js';

export interface JoinUrlOptions {
  /** The URL people reach the app at (SPEC §8 `--public-url`); join links start with it. */
  publicUrl?: string;
  /** This machine's address for people on its network (`http://192.168.1.20:3000`), when the server listens on all interfaces. */
  networkOrigin?: string | null;
}

/** A public URL as the base of links: http(s), no query or fragment, ending in `/`. */
export function publicBase(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RangeError(`The public URL must be a full http:// or https:// URL, such as https://shower.example.org; got "${url}".`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new RangeError(`The public URL must start with http:// or https://; got "${url}".`);
  }
  parsed.search = '';
  parsed.hash = '';
  if (!parsed.pathname.endsWith('/')) parsed.pathname += '/';
  return parsed.toString();
}

/**
 * `GET /api/info` (SPEC §8). `joinUrl` is what join links start with: the public URL; else the
 * origin the request came in on, unless that is this machine only (loopback); else this machine's
 * network address when the server listens on every interface; else the loopback origin, which the
 * page then says other devices cannot use.
 */
export function serverInfo(
  c: Context,
  options: JoinUrlOptions & { origin: string; maxParticipants: number; defaultTtlSeconds: number },
): ServerInfo {
  const mount = c.req.path.replace(/\/api\/info\/?$/, '/');
  let joinUrl: string;
  let loopback = false;
  if (options.publicUrl) joinUrl = publicBase(options.publicUrl);
  else if (!isLoopbackHost(new URL(options.origin).hostname)) joinUrl = options.origin + mount;
  else if (options.networkOrigin) joinUrl = options.networkOrigin + mount;
  else {
    joinUrl = options.origin + mount;
    loopback = true;
  }
  return {
    version,
    joinUrl,
    joinUrlIsLoopback: loopback,
    limits: {
      ttlSeconds: { min: limits.minTtlSeconds, max: limits.maxTtlSeconds, default: options.defaultTtlSeconds },
      displayName: limits.maxDisplayName,
      text: limits.maxText,
      maxParticipants: options.maxParticipants,
    },
  };
}
