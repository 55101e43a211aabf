// HPKE (RFC 9180) for SPEC §10: base mode, single shot, DHKEM(X25519, HKDF-SHA256),
// HKDF-SHA256, AES-128-GCM, all from @hpke/core. The X25519 part comes from one of two engines
// that give the same bytes: the platform's WebCrypto X25519 where it has one (Node 20, current
// browsers), else the pure-JavaScript one of @hpke/dhkem-x25519 (older browsers).
import { Aes128Gcm, CipherSuite, DhkemX25519HkdfSha256 as NativeDhkemX25519, HkdfSha256 } from '@hpke/core';
import {
  DhkemX25519HkdfSha256 as PortableDhkemX25519,
  HkdfSha256 as PortableHkdfSha256,
  X25519 as PortableX25519,
} from '@hpke/dhkem-x25519';
import { fromBase64url } from './base64url.js';

/** Where X25519 runs: the platform's WebCrypto, or JavaScript. */
export type EngineName = 'native' | 'portable';

/** Raw 32-byte X25519 keys. */
export interface RawKeyPair {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

/** One way to run X25519: the suite for seal and open, and key making. */
export interface Engine {
  readonly name: EngineName;
  readonly suite: CipherSuite;
  generateKeyPair(): Promise<RawKeyPair>;
  publicKeyOf(privateKey: Uint8Array): Promise<Uint8Array>;
}

/** Length of an X25519 key and of the encapsulated key (Npk = Nsk = Nenc = 32). */
export const keyBytes = 32;

/** WebCrypto's SubtleCrypto, or an Error that says how to get it. */
export const subtle = (): SubtleCrypto => {
  const api = globalThis.crypto?.subtle;
  // A page on plain http (not localhost) has crypto but no crypto.subtle: say so plainly.
  if (api === undefined) {
    throw new Error('End-to-end encryption needs WebCrypto (crypto.subtle): open the page over https or from localhost.');
  }
  return api;
};

/** True where WebCrypto is there at all (a secure context in a browser, any Node 20). */
export const hasWebCrypto = (): boolean => globalThis.crypto?.subtle !== undefined;

const suiteWith = (kem: NativeDhkemX25519 | PortableDhkemX25519): CipherSuite =>
  new CipherSuite({ kem, kdf: new HkdfSha256(), aead: new Aes128Gcm() });

function nativeEngine(): Engine {
  const kem = new NativeDhkemX25519();
  return {
    name: 'native',
    suite: suiteWith(kem),
    async generateKeyPair() {
      const pair = (await subtle().generateKey({ name: 'X25519' }, true, ['deriveBits'])) as CryptoKeyPair;
      const publicKey = new Uint8Array(await subtle().exportKey('raw', pair.publicKey));
      const jwk = await subtle().exportKey('jwk', pair.privateKey);
      const privateKey = jwk.d === undefined ? null : fromBase64url(jwk.d);
      if (privateKey === null || privateKey.length !== keyBytes) throw new Error('WebCrypto exported no X25519 private key.');
      return { publicKey, privateKey };
    },
    async publicKeyOf(privateKey) {
      // The library imports the raw key; WebCrypto's JWK export of a private key carries its `x`.
      const jwk = await subtle().exportKey('jwk', await kem.deserializePrivateKey(privateKey));
      const publicKey = jwk.x === undefined ? null : fromBase64url(jwk.x);
      if (publicKey === null || publicKey.length !== keyBytes) throw new Error('WebCrypto exported no X25519 public key.');
      return publicKey;
    },
  };
}

function portableEngine(): Engine {
  const kem = new PortableDhkemX25519();
  const x25519 = new PortableX25519(new PortableHkdfSha256());
  return {
    name: 'portable',
    suite: suiteWith(kem),
    async generateKeyPair() {
      const pair = await kem.generateKeyPair();
      return {
        publicKey: new Uint8Array(await kem.serializePublicKey(pair.publicKey)),
        privateKey: new Uint8Array(await kem.serializePrivateKey(pair.privateKey)),
      };
    },
    async publicKeyOf(privateKey) {
      const publicKey = await x25519.derivePublicKey(await x25519.deserializePrivateKey(privateKey));
      return new Uint8Array(await x25519.serializePublicKey(publicKey));
    },
  };
}

const engines = new Map<EngineName, Engine>();

/** The engine of that name (made once). */
export function engineNamed(name: EngineName): Engine {
  let engine = engines.get(name);
  if (engine === undefined) {
    engine = name === 'native' ? nativeEngine() : portableEngine();
    engines.set(name, engine);
  }
  return engine;
}

let chosen: Promise<Engine> | undefined;

/** The native engine where WebCrypto can make and export an X25519 key, else the portable one. */
export function engine(): Promise<Engine> {
  // Both engines need WebCrypto for HKDF and AES-GCM: without it, say so here, not deep inside.
  const api = subtle();
  chosen ??= (async () => {
    try {
      const pair = (await api.generateKey({ name: 'X25519' }, true, ['deriveBits'])) as CryptoKeyPair;
      const jwk = await api.exportKey('jwk', pair.privateKey);
      if (typeof jwk.d === 'string' && typeof jwk.x === 'string') return engineNamed('native');
    } catch {
      // This WebCrypto has no X25519 (an older browser).
    }
    return engineNamed('portable');
  })();
  return chosen;
}

/** HPKE base-mode single-shot seal: the 32-byte encapsulated key followed by the sealed bytes. */
export async function sealBytes(
  engine: Engine,
  input: {
    recipientPublicKey: Uint8Array;
    info: Uint8Array;
    plaintext: Uint8Array;
    aad?: Uint8Array;
    /** RFC 9180 test vectors only: the ephemeral key's ikmE instead of a random key. */
    ikmE?: Uint8Array;
  },
): Promise<Uint8Array> {
  const recipientPublicKey = await engine.suite.kem.deserializePublicKey(input.recipientPublicKey);
  const { enc, ct } = await engine.suite.seal(
    { recipientPublicKey, info: input.info, ...(input.ikmE === undefined ? {} : { ekm: input.ikmE }) },
    input.plaintext,
    input.aad ?? new Uint8Array(0),
  );
  const sealed = new Uint8Array(enc.byteLength + ct.byteLength);
  sealed.set(new Uint8Array(enc), 0);
  sealed.set(new Uint8Array(ct), enc.byteLength);
  return sealed;
}

/** HPKE base-mode single-shot open of `enc || ct`, as `sealBytes` makes it; throws if it does not open. */
export async function openBytes(
  engine: Engine,
  input: { recipientPrivateKey: Uint8Array; info: Uint8Array; sealed: Uint8Array; aad?: Uint8Array },
): Promise<Uint8Array> {
  const recipientKey = await engine.suite.kem.deserializePrivateKey(input.recipientPrivateKey);
  const opened = await engine.suite.open(
    { recipientKey, enc: input.sealed.subarray(0, keyBytes), info: input.info },
    input.sealed.subarray(keyBytes),
    input.aad ?? new Uint8Array(0),
  );
  return new Uint8Array(opened);
}
