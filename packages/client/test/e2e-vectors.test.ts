// Our committed vectors (test/vectors/warmshower-e2e-v1.json), for other implementations and for
// us: if this code ever stops opening them, old ciphertexts and other clients stop working.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromBase64url, open, pad, publicKeyOf, safetyNumber, unpad } from '../src/e2e/index.js';
import { engineNamed, openBytes, sealBytes, type EngineName } from '../src/e2e/hpke.js';
import { infoOf } from '../src/e2e/message.js';

const vector = JSON.parse(readFileSync(new URL('./vectors/warmshower-e2e-v1.json', import.meta.url), 'utf8')) as {
  message: {
    code: string;
    recipientId: string;
    recipientPrivateKey: string;
    recipientPublicKey: string;
    ikmR: string;
    text: string;
    utf8Bytes: number;
    info: string;
    paddedLength: number;
    ikmE: string;
    ciphertextBytes: number;
    ciphertext: string;
  };
  safetyNumber: { participants: { id: string; publicKey: string }[]; expected: string };
};
const { message } = vector;
const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g) ?? [], (byte) => parseInt(byte, 16));

describe('the committed warmshower/1 message vector', () => {
  it('opens and unpads to its text with its private key', async () => {
    const text = await open({
      code: message.code,
      recipientId: message.recipientId,
      privateKey: message.recipientPrivateKey,
      ciphertext: message.ciphertext,
    });
    expect(text).toBe(message.text);
  });

  it('has a recipient public key that belongs to its private key', async () => {
    expect(await publicKeyOf(message.recipientPrivateKey)).toBe(message.recipientPublicKey);
  });

  it('states its info, lengths and padded length as the code makes them', () => {
    expect(new TextDecoder().decode(infoOf(message.code, message.recipientId))).toBe(message.info);
    expect(new TextEncoder().encode(message.text).length).toBe(message.utf8Bytes);
    expect(pad(message.text).length).toBe(message.paddedLength);
    expect(fromBase64url(message.ciphertext)!.length).toBe(message.ciphertextBytes);
    // enc, the padded text, the AES-GCM tag.
    expect(message.ciphertextBytes).toBe(32 + message.paddedLength + 16);
  });

  describe.each<EngineName>(['native', 'portable'])('with the %s X25519 engine', (name) => {
    const engine = engineNamed(name);

    it('derives the recipient key pair from ikmR', async () => {
      const pair = await engine.suite.kem.deriveKeyPair(hex(message.ikmR));
      const raw = new Uint8Array(await engine.suite.kem.serializePrivateKey(pair.privateKey));
      expect(raw).toEqual(fromBase64url(message.recipientPrivateKey));
    });

    it('seals to the committed bytes with the committed ikmE', async () => {
      const sealed = await sealBytes(engine, {
        recipientPublicKey: fromBase64url(message.recipientPublicKey)!,
        info: infoOf(message.code, message.recipientId),
        plaintext: pad(message.text),
        ikmE: hex(message.ikmE),
      });
      expect(sealed).toEqual(fromBase64url(message.ciphertext));
    });

    it('opens the committed ciphertext', async () => {
      const padded = await openBytes(engine, {
        recipientPrivateKey: fromBase64url(message.recipientPrivateKey)!,
        info: infoOf(message.code, message.recipientId),
        sealed: fromBase64url(message.ciphertext)!,
      });
      expect(padded.length).toBe(message.paddedLength);
      expect(unpad(padded)).toBe(message.text);
    });
  });
});

describe('the committed safety-number vector', () => {
  const { participants, expected } = vector.safetyNumber;

  it('gives the committed twelve digits', async () => {
    expect(await safetyNumber(participants)).toBe(expected);
  });

  it('is what SPEC §10 says, worked by hand with node:crypto', () => {
    // Code-unit order of these ids: 'B' (66) < '_' (95) < 'a' (97).
    const [a, b, underscore] = participants;
    const lines = [b!, underscore!, a!].map(({ id, publicKey }) => `${id}:${publicKey}\n`).join('');
    const digest = createHash('sha256').update(lines, 'utf8').digest();
    const digits = (digest.readUIntBE(0, 5) % 1e12).toString().padStart(12, '0');
    expect(`${digits.slice(0, 4)} ${digits.slice(4, 8)} ${digits.slice(8)}`).toBe(expected);
  });

  it('would be another number with a locale sort, so the plain code-unit order matters', () => {
    const byLocale = [...participants].sort((x, y) => x.id.localeCompare(y.id, 'en'));
    const byCodeUnits = [...participants].sort((x, y) => (x.id < y.id ? -1 : 1));
    expect(byLocale.map((p) => p.id)).not.toEqual(byCodeUnits.map((p) => p.id));
  });
});
