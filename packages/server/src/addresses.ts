import ipaddr from 'ipaddr.js';
import proxyaddr from 'proxy-addr';

/**
 * Whom to believe about a request's client (SPEC §8): `false` (the socket is the client), `true`
 * (any proxy on this machine or a private network: `loopback,linklocal,private`), a number of proxy hops, or addresses and CIDR ranges of trusted proxies (`loopback`, `private`,
 * `linklocal` as names for their ranges), as a list or one comma-separated string. The meaning
 * is Express's `trust proxy`, computed by the same library (proxy-addr).
 */
export type TrustProxy = boolean | number | string | readonly string[];

export type Trust = (address: string, hop: number) => boolean;

/** Trusts nobody: the socket is the client (the default, and the fast path). */
export const trustNobody: Trust = () => false;

const names: Record<string, string> = { private: 'uniquelocal' };

/** A trust function for a `trustProxy` setting, or a RangeError with a sentence. */
export function compileTrust(setting: TrustProxy | undefined): Trust {
  if (setting === undefined || setting === false || setting === 'false' || setting === '') return trustNobody;
  if (setting === true || setting === 'true') return compileTrust('loopback,linklocal,private');
  if (typeof setting === 'number' || (typeof setting === 'string' && /^\d+$/.test(setting.trim()))) {
    const hops = Number(setting);
    if (!Number.isInteger(hops) || hops < 0) throw new RangeError(`Trusted proxies are false, a number of hops, or addresses; "${setting}" is none of these.`);
    return (_address, hop) => hop < hops;
  }
  const list = (typeof setting === 'string' ? setting.split(',') : [...setting]).map((s) => s.trim()).filter(Boolean);
  try {
    return proxyaddr.compile(list.map((entry) => names[entry] ?? entry));
  } catch {
    throw new RangeError(
      `Trusted proxies are false, a number of hops, or addresses and CIDR ranges (loopback, private and linklocal name theirs); "${list.join(',')}" is none of these.`,
    );
  }
}

/**
 * True when `trustProxy` believes whoever sends the request (a hop count, or `true`), so a
 * runtime that does not tell the peer's address can still take the client from `X-Forwarded-For`.
 * A list of addresses cannot be checked against a peer we cannot see.
 */
export function trustsUnseenPeer(setting: TrustProxy | undefined): boolean {
  if (setting === true || setting === 'true') return true;
  return (typeof setting === 'number' || (typeof setting === 'string' && /^\d+$/.test(setting.trim()))) && Number(setting) > 0;
}

/** What the app needs to know about a request's client, computed once per request. */
export interface ClientInfo {
  /** The client's address as trusted proxies report it (the peer's otherwise); undefined when nothing tells it. */
  address: string | undefined;
  /** The key rate limits count by: the address, or its /64 for IPv6; undefined when the address is unknown. */
  key: string | undefined;
  /** The request reached us over https (directly, or a trusted proxy says `X-Forwarded-Proto: https`). */
  secure: boolean;
}

/**
 * The client of a request, given its peer's address (the socket's, when the runtime tells it) and
 * headers. With `unseenPeerTrusted`, a request whose peer is unknown is taken to come from the
 * first trusted proxy.
 */
export function clientInfo(
  trust: Trust,
  peerAddress: string | undefined,
  header: (name: string) => string | undefined,
  protocol: string,
  unseenPeerTrusted = false,
): ClientInfo {
  const peer = peerAddress || undefined;
  const direct = protocol === 'https:';
  if (trust === trustNobody) return { address: peer, key: peer === undefined ? undefined : limitKey(peer), secure: direct };
  const peerIp = peer !== undefined && ipaddr.isValid(peer) ? peer : undefined;
  const peerTrusted = peerIp !== undefined ? trust(peerIp, 0) : peer === undefined && unseenPeerTrusted;
  let address = peer;
  let secure = direct;
  if (peerTrusted) {
    const forwarded = header('x-forwarded-for');
    if (forwarded) {
      // proxy-addr needs a socket address; an unseen peer stands in as 0.0.0.0 and is trusted as hop 0.
      const socket = { remoteAddress: peerIp ?? '0.0.0.0' };
      address = proxyaddr({ headers: { 'x-forwarded-for': forwarded }, socket } as never, peerIp ? trust : (a, hop) => hop === 0 || trust(a, hop));
    }
    const proto = header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
    if (proto) secure = proto === 'https';
  }
  return { address, key: address === undefined ? undefined : limitKey(address), secure };
}

/** IPv6 clients count per /64 (one household or one machine's privacy addresses); IPv4 as is. */
export function limitKey(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const v6 = parsed as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  return `${v6.parts.slice(0, 4).map((part) => part.toString(16)).join(':')}::/64`;
}

/** True for an address or host name of this machine only (localhost, 127.0.0.0/8, ::1). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (!ipaddr.isValid(bare)) return false;
  const parsed = ipaddr.process(bare);
  return parsed.range() === 'loopback' || parsed.range() === 'unspecified';
}
