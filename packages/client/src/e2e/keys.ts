// A participant's X25519 key pair, as SPEC §10 writes keys: 32 raw bytes, base64url. The
// private key is what `join --json` prints as `key` and what the page keeps beside its token.
import { WarmshowerError } from '@warmshower/core/protocol';
import { fromBase64url, toBase64url } from './base64url.js';
import { engine, keyBytes } from './hpke.js';

/** An X25519 key pair: each the 32 raw bytes, base64url. */
export interface KeyPair {
  publicKey: string;
  privateKey: string;
}

/** The 32 bytes of a base64url key, or a WarmshowerError (INVALID_INPUT) saying what `what` must be. */
export function keyBytesOf(key: unknown, what: 'public' | 'private'): Uint8Array {
  const bytes = typeof key === 'string' ? fromBase64url(key) : null;
  if (bytes === null || bytes.length !== keyBytes) {
    throw new WarmshowerError(
      'INVALID_INPUT',
      what === 'private'
        ? 'The key must be a 32-byte X25519 private key in base64url, as "join --json" prints it.'
        : 'A public key must be a 32-byte X25519 public key in base64url.',
    );
  }
  return bytes;
}

/** A new X25519 key pair, made on this device (WebCrypto where it has X25519). */
export async function generateKeyPair(): Promise<KeyPair> {
  const pair = await (await engine()).generateKeyPair();
  return { publicKey: toBase64url(pair.publicKey), privateKey: toBase64url(pair.privateKey) };
}

/** The public key that belongs to a private key (both base64url): what `--key` alone implies. */
export async function publicKeyOf(privateKey: string): Promise<string> {
  const bytes = keyBytesOf(privateKey, 'private');
  return toBase64url(await (await engine()).publicKeyOf(bytes));
}
