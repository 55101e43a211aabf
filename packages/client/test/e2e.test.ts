// The behaviour of @warmshower/client/e2e that the page and the CLI rely on (SPEC §10).
import { WarmshowerError, checkText } from '@warmshower/core/protocol';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  fromBase64url,
  generateKeyPair,
  hasWebCrypto,
  isUnreadableMessage,
  open,
  pad,
  paddedLength,
  publicKeyOf,
  safetyNumber,
  seal,
  toBase64url,
  unpad,
  UnreadableMessage,
} from '../src/e2e/index.js';
import { engine, engineNamed, sealBytes } from '../src/e2e/hpke.js';
import { infoOf } from '../src/e2e/message.js';

const code = '314159';
const alice = 'aliceAAAAAAA';
const bob = 'bobBBBBBBBBB';

async function sealedToBob(text = 'Thank you for every review, Bob! 🌧️') {
  const keys = await generateKeyPair();
  const ciphertext = await seal({ code, recipientId: bob, recipientPublicKey: keys.publicKey, text });
  return { keys, ciphertext, text };
}

const openAsBob = (privateKey: string, ciphertext: string, overrides: { code?: string; recipientId?: string } = {}) =>
  open({ code: overrides.code ?? code, recipientId: overrides.recipientId ?? bob, privateKey, ciphertext });

async function expectUnreadable(promise: Promise<unknown>, reason: UnreadableMessage['reason']) {
  const error = await promise.then(
    () => expect.unreachable('it opened'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnreadableMessage);
  expect(isUnreadableMessage(error)).toBe(true);
  expect((error as UnreadableMessage).reason).toBe(reason);
}

async function expectInvalid(promise: Promise<unknown>, sentence: string | RegExp) {
  const error = await promise.then(
    () => expect.unreachable('it was accepted'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WarmshowerError);
  expect((error as WarmshowerError).code).toBe('INVALID_INPUT');
  expect((error as WarmshowerError).message).toMatch(sentence);
}

/** A byte of the decoded ciphertext changed, written back as base64url. */
function flipped(ciphertext: string, at: number): string {
  const bytes = fromBase64url(ciphertext)!;
  bytes[at < 0 ? bytes.length + at : at]! ^= 0x01;
  return toBase64url(bytes);
}

describe('key pairs', () => {
  it('are 32 raw bytes each, base64url without padding, and the public key follows from the private one', async () => {
    const keys = await generateKeyPair();
    expect(keys.publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(keys.privateKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fromBase64url(keys.publicKey)).toHaveLength(32);
    expect(fromBase64url(keys.privateKey)).toHaveLength(32);
    expect(await publicKeyOf(keys.privateKey)).toBe(keys.publicKey);
    expect((await generateKeyPair()).privateKey).not.toBe(keys.privateKey);
  });

  it('come from WebCrypto X25519 in Node 20', async () => {
    expect(hasWebCrypto()).toBe(true);
    expect((await engine()).name).toBe('native');
  });

  it('made by either engine work with the other', async () => {
    for (const [maker, user] of [
      ['native', 'portable'],
      ['portable', 'native'],
    ] as const) {
      const pair = await engineNamed(maker).generateKeyPair();
      expect(await engineNamed(user).publicKeyOf(pair.privateKey)).toEqual(pair.publicKey);
    }
  });

  it('a key that is not 32 bytes of base64url is refused with a sentence for the CLI', async () => {
    await expectInvalid(publicKeyOf('not a key'), /32-byte X25519 private key/);
    await expectInvalid(publicKeyOf(toBase64url(new Uint8Array(31))), /32-byte X25519 private key/);
    await expectInvalid(publicKeyOf(`${'A'.repeat(42)}B`), /32-byte/); // 32 bytes, but its unused bits are not zero
  });
});

describe('seal and open', () => {
  it('a warm shower sealed to Bob opens to its text with his private key', async () => {
    const { keys, ciphertext, text } = await sealedToBob();
    expect(ciphertext).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(fromBase64url(ciphertext)).toHaveLength(32 + 256 + 16);
    expect(await openAsBob(keys.privateKey, ciphertext)).toBe(text);
  });

  it('the text is sealed as rule 3 keeps it: trimmed, line breaks as \\n', async () => {
    const { keys, ciphertext } = await sealedToBob('  Thanks for\r\nthe pairing.\t \n');
    expect(await openAsBob(keys.privateKey, ciphertext)).toBe('Thanks for\nthe pairing.');
  });

  it('two seals of the same text differ (a fresh ephemeral key each time)', async () => {
    const keys = await generateKeyPair();
    const once = () => seal({ code, recipientId: bob, recipientPublicKey: keys.publicKey, text: 'Same words' });
    expect(await once()).not.toBe(await once());
  });

  it('a padded base64url ciphertext opens too', async () => {
    const { keys, ciphertext, text } = await sealedToBob();
    // 304 bytes: base64 with padding ends in "==".
    expect(await openAsBob(keys.privateKey, `${ciphertext}==`)).toBe(text);
  });

  it('a ciphertext for another recipient id, or another session, is unreadable', async () => {
    const { keys, ciphertext } = await sealedToBob();
    await expectUnreadable(openAsBob(keys.privateKey, ciphertext, { recipientId: alice }), 'does-not-open');
    await expectUnreadable(openAsBob(keys.privateKey, ciphertext, { code: '314158' }), 'does-not-open');
  });

  it('someone else\'s private key cannot open it', async () => {
    const { ciphertext } = await sealedToBob();
    const other = await generateKeyPair();
    await expectUnreadable(openAsBob(other.privateKey, ciphertext), 'does-not-open');
  });

  it('one flipped byte anywhere (encapsulated key, sealed text, tag) makes it unreadable', async () => {
    const { keys, ciphertext } = await sealedToBob();
    for (const at of [0, 31, 32, 100, -17, -1]) {
      await expectUnreadable(openAsBob(keys.privateKey, flipped(ciphertext, at)), 'does-not-open');
    }
  });

  it('what is not base64url is unreadable', async () => {
    const { keys, ciphertext } = await sealedToBob();
    await expectUnreadable(openAsBob(keys.privateKey, ciphertext.replace(/-|_/, '+')), 'not-base64url');
    await expectUnreadable(openAsBob(keys.privateKey, `${ciphertext} `), 'not-base64url');
    await expectUnreadable(openAsBob(keys.privateKey, `${ciphertext}=`), 'not-base64url');
    await expectUnreadable(openAsBob(keys.privateKey, 12 as unknown as string), 'not-base64url');
  });

  it('a ciphertext too short to hold a warm shower, or too long for the server, is unreadable', async () => {
    const { keys, ciphertext } = await sealedToBob();
    const bytes = fromBase64url(ciphertext)!;
    await expectUnreadable(openAsBob(keys.privateKey, toBase64url(bytes.subarray(0, bytes.length - 1))), 'too-short');
    await expectUnreadable(openAsBob(keys.privateKey, ''), 'too-short');
    await expectUnreadable(openAsBob(keys.privateKey, toBase64url(new Uint8Array(4201))), 'too-long');
  });

  it('a sealed plaintext that is not padded as SPEC §10 says is unreadable', async () => {
    const keys = await generateKeyPair();
    const sealedAs = async (plaintext: Uint8Array) =>
      toBase64url(
        await sealBytes(await engine(), {
          recipientPublicKey: fromBase64url(keys.publicKey)!,
          info: infoOf(code, bob),
          plaintext,
        }),
      );
    const noMarker = new Uint8Array(256).fill(0x41);
    await expectUnreadable(openAsBob(keys.privateKey, await sealedAs(noMarker)), 'bad-padding');
    const tooMuch = new Uint8Array(512);
    tooMuch.set(pad('Hi'));
    await expectUnreadable(openAsBob(keys.privateKey, await sealedAs(tooMuch)), 'bad-padding');
  });

  it('a sealed text that rule 3 would not let a client send is unreadable', async () => {
    const keys = await generateKeyPair();
    const sealedText = async (text: string) =>
      toBase64url(
        await sealBytes(await engine(), {
          recipientPublicKey: fromBase64url(keys.publicKey)!,
          info: infoOf(code, bob),
          plaintext: pad(text),
        }),
      );
    for (const text of ['', '   padded   ', 'a bell \u0007', 'x'.repeat(1001)]) {
      await expectUnreadable(openAsBob(keys.privateKey, await sealedText(text)), 'bad-text');
    }
  });

  it('1000 four-byte emoji, the longest text, fit in 4200 bytes and open again', async () => {
    const keys = await generateKeyPair();
    const text = '🌻'.repeat(1000);
    const ciphertext = await seal({ code, recipientId: bob, recipientPublicKey: keys.publicKey, text });
    const bytes = fromBase64url(ciphertext)!.length;
    expect(bytes).toBe(32 + 4096 + 16);
    expect(bytes).toBeLessThanOrEqual(4200);
    expect(await openAsBob(keys.privateKey, ciphertext)).toBe(text);
  });

  it('the sender is told what rule 3 says, with core\'s own sentence', async () => {
    const { publicKey } = await generateKeyPair();
    const sealText = (text: unknown) => seal({ code, recipientId: bob, recipientPublicKey: publicKey, text: text as string });
    for (const text of ['', '   ', '🌻'.repeat(1001), 'ding \u0007', 'broken \ud800', undefined]) {
      const expected = checkText(text);
      expect(expected.ok).toBe(false);
      await expectInvalid(sealText(text), expected.ok ? '' : expected.sentence);
    }
  });

  it('a bad session code, recipient id or public key is refused before anything is sealed', async () => {
    const { publicKey } = await generateKeyPair();
    await expectInvalid(seal({ code: '12345', recipientId: bob, recipientPublicKey: publicKey, text: 'Hi' }), /six digits/);
    await expectInvalid(seal({ code, recipientId: '', recipientPublicKey: publicKey, text: 'Hi' }), /participant id/);
    await expectInvalid(seal({ code, recipientId: bob, recipientPublicKey: 'abc', text: 'Hi' }), /32-byte X25519 public key/);
    // The all-zero point has small order: no shared secret can come of it (RFC 9180 §7.1.4).
    const zero = toBase64url(new Uint8Array(32));
    await expectInvalid(seal({ code, recipientId: bob, recipientPublicKey: zero, text: 'Hi' }), /cannot be encrypted to/);
  });
  it('both engines refuse to encapsulate to a low-order point (0 or 1)', async () => {
    for (const name of ['native', 'portable'] as const) {
      for (const first of [0, 1]) {
        const lowOrder = new Uint8Array(32);
        lowOrder[0] = first;
        const sealing = sealBytes(engineNamed(name), { recipientPublicKey: lowOrder, info: infoOf(code, bob), plaintext: pad('Hi') });
        await expect(sealing, `${name} ${first}`).rejects.toThrow();
      }
    }
  });
});

describe('padding', () => {
  const utf8 = (n: number) => 'é'.repeat(Math.floor(n / 2)) + 'a'.repeat(n % 2);

  it('255 bytes of UTF-8 make 256; 256 make 512; none make 256', () => {
    expect(pad(utf8(255))).toHaveLength(256);
    expect(pad(utf8(255))[255]).toBe(0x80);
    expect(pad(utf8(256))).toHaveLength(512);
    expect(pad(utf8(256))[256]).toBe(0x80);
    expect([...pad(utf8(256)).subarray(257)].every((byte) => byte === 0)).toBe(true);
    expect(pad('')).toHaveLength(256);
    expect(paddedLength(4000)).toBe(4096);
  });

  it('unpad gives back every text pad made', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        const padded = pad(text);
        expect(padded.length % 256).toBe(0);
        expect(unpad(padded)).toBe(text);
      }),
    );
  });

  it('unpad refuses: no 0x80, non-zero after 0x80, more zeros than needed, a length off 256, not UTF-8', () => {
    expect(unpad(new Uint8Array(256))).toBeNull();
    expect(unpad(new Uint8Array(256).fill(0x41))).toBeNull();
    const afterMarker = pad('Hi');
    afterMarker[200] = 0x01;
    expect(unpad(afterMarker)).toBeNull();
    const extraBlock = new Uint8Array(512);
    extraBlock.set(pad('Hi'));
    expect(unpad(extraBlock)).toBeNull();
    expect(unpad(pad('Hi').subarray(0, 255))).toBeNull();
    expect(unpad(new Uint8Array(0))).toBeNull();
    const notUtf8 = pad('Hi');
    notUtf8[0] = 0xff;
    expect(unpad(notUtf8)).toBeNull();
  });
});

describe('base64url', () => {
  it('spells the RFC 4648 §10 examples, unpadded, with - and _', () => {
    const examples: [string, string][] = [
      ['', ''],
      ['f', 'Zg'],
      ['fo', 'Zm8'],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg'],
      ['fooba', 'Zm9vYmE'],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [text, spelled] of examples) {
      expect(toBase64url(new TextEncoder().encode(text))).toBe(spelled);
      expect(new TextDecoder().decode(fromBase64url(spelled)!)).toBe(text);
    }
    expect(toBase64url(Uint8Array.of(0xfb, 0xff, 0xbf))).toBe('-_-_');
  });

  it('agrees with Node\'s base64url both ways, and takes padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const spelled = toBase64url(bytes);
        expect(spelled).toBe(Buffer.from(bytes).toString('base64url'));
        expect(fromBase64url(spelled)).toEqual(bytes);
        expect(fromBase64url(Buffer.from(bytes).toString('base64').replace(/\+/g, '-').replace(/\//g, '_'))).toEqual(bytes);
      }),
    );
  });

  it('refuses another alphabet, white space, a stray length, misplaced padding or non-zero unused bits', () => {
    for (const text of ['Zm9v+A', 'Zm9v/A', 'Zm 9v', 'Zm9vY', 'Zg=', 'Zg===', 'Z===', '=', 'Zm9v=', 'Zh', 'Zm9']) {
      expect(fromBase64url(text), text).toBeNull();
    }
  });
});

describe('safety number', () => {
  const people = async (n: number) =>
    Promise.all(Array.from({ length: n }, async (_, i) => ({ id: `person${i}AAAAA`, publicKey: (await generateKeyPair()).publicKey })));

  it('is twelve digits in three groups of four', async () => {
    expect(await safetyNumber(await people(4))).toMatch(/^\d{4} \d{4} \d{4}$/);
  });

  it('does not depend on the order the list comes in', async () => {
    const list = await people(5);
    const number = await safetyNumber(list);
    expect(await safetyNumber([...list].reverse())).toBe(number);
    expect(await safetyNumber([list[2]!, list[0]!, list[4]!, list[1]!, list[3]!])).toBe(number);
  });

  it('changes when one public key is swapped', async () => {
    const list = await people(3);
    const swapped = list.map((p, i) => (i === 1 ? { ...p, publicKey: list[0]!.publicKey } : p));
    expect(await safetyNumber(swapped)).not.toBe(await safetyNumber(list));
  });

  it('refuses an id or key that could make two lists hash alike', async () => {
    const [one] = await people(1);
    await expectInvalid(safetyNumber([{ ...one!, id: 'a:b' }]), /participant id/);
    await expectInvalid(safetyNumber([{ ...one!, id: 'a\nb' }]), /participant id/);
    await expectInvalid(safetyNumber([{ ...one!, publicKey: `${one!.publicKey}\n` }]), /public key/);
  });
});

describe('without WebCrypto X25519 or WebCrypto at all', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('falls back to the portable engine and still seals and opens', async () => {
    const real = globalThis.crypto;
    const subtle = new Proxy(real.subtle, {
      get(target, property) {
        if (property === 'generateKey') {
          return (algorithm: AlgorithmIdentifier, ...rest: unknown[]) =>
            (typeof algorithm === 'string' ? algorithm : algorithm.name) === 'X25519'
              ? Promise.reject(new DOMException('Unrecognized name.', 'NotSupportedError'))
              : (target.generateKey as (...args: unknown[]) => unknown).call(target, algorithm, ...rest);
        }
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    vi.stubGlobal('crypto', { subtle, getRandomValues: real.getRandomValues.bind(real) });
    vi.resetModules();
    const fresh = await import('../src/e2e/index.js');
    const hpke = await import('../src/e2e/hpke.js');
    expect((await hpke.engine()).name).toBe('portable');
    const keys = await fresh.generateKeyPair();
    expect(await fresh.publicKeyOf(keys.privateKey)).toBe(keys.publicKey);
    const ciphertext = await fresh.seal({ code, recipientId: bob, recipientPublicKey: keys.publicKey, text: 'Portable thanks' });
    expect(await fresh.open({ code, recipientId: bob, privateKey: keys.privateKey, ciphertext })).toBe('Portable thanks');
  });

  it('says that the page needs https or localhost when crypto.subtle is missing', async () => {
    vi.stubGlobal('crypto', { getRandomValues: globalThis.crypto.getRandomValues.bind(globalThis.crypto) });
    vi.resetModules();
    const fresh = await import('../src/e2e/index.js');
    expect(fresh.hasWebCrypto()).toBe(false);
    await expect(fresh.generateKeyPair()).rejects.toThrow(/https or from localhost/);
    await expect(fresh.safetyNumber([])).rejects.toThrow(/https or from localhost/);
  });
});
