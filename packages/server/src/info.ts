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
 * Where join links point (SPEC §8): the public URL; else the origin people reached the app at,
 * unless that is this machine only (loopback); else this machine's network address when the
 * server listens on every interface; else the loopback origin, which the page and `serve` then
 * say other devices cannot use. `mount` is the app's path, ending in `/`.
 */
export function joinUrlFor(origin: string, mount: string, options: JoinUrlOptions): { joinUrl: string; loopback: boolean } {
  if (options.publicUrl) return { joinUrl: options.publicUrl, loopback: false };
  if (!isLoopbackHost(new URL(origin).hostname)) return { joinUrl: origin + mount, loopback: false };
  if (options.networkOrigin) return { joinUrl: options.networkOrigin + mount, loopback: false };
  return { joinUrl: origin + mount, loopback: true };
}

/** `GET /api/info` (SPEC §8). `options.publicUrl`, when given, is already a {@link publicBase}. */
export function serverInfo(
  c: Context,
  options: JoinUrlOptions & { origin: string; maxParticipants: number; defaultTtlSeconds: number },
): ServerInfo {
  const { joinUrl, loopback } = joinUrlFor(options.origin, c.req.path.replace(/\/api\/info\/?$/, '/'), options);
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
