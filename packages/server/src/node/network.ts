import { networkInterfaces } from 'node:os';

/**
 * This machine's addresses that other devices on its networks can reach: IPv4 first, then global
 * IPv6 (link-local ones need an interface name, which a link cannot carry). Read, never dialled.
 */
export function networkAddresses(): string[] {
  const v4: string[] = [];
  const v6: string[] = [];
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (entry.internal) continue;
      if (entry.family === 'IPv4') v4.push(entry.address);
      else if (!/^fe80:/i.test(entry.address)) v6.push(entry.address);
    }
  }
  return [...v4, ...v6];
}

/** `http://<address>:<port>`, bracketing IPv6. */
export const originOf = (address: string, port: number): string =>
  `http://${address.includes(':') ? `[${address}]` : address}:${port}`;

/** True when `host` means "every interface". */
export const isAnyHost = (host: string): boolean => host === '0.0.0.0' || host === '::' || host === '';
