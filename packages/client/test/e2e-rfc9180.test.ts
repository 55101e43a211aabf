// RFC 9180 Appendix A.1.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, Base mode, the
// suite of SPEC §10. With the vector's ikmE injected as the ephemeral key, our seal must give the
// RFC's enc and ct byte for byte, and our open must give back its plaintext, on both engines.
import { describe, expect, it } from 'vitest';
import { engineNamed, openBytes, sealBytes, type EngineName } from '../src/e2e/hpke.js';

const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g) ?? [], (byte) => parseInt(byte, 16));
const toHex = (bytes: ArrayBuffer | Uint8Array): string =>
  [...new Uint8Array(bytes)].map((byte) => byte.toString(16).padStart(2, '0')).join('');

// Copied from RFC 9180, A.1.1 "Base Setup Information" and its first "Encryptions" entry.
const a11 = {
  mode: 0,
  kem_id: 32,
  kdf_id: 1,
  aead_id: 1,
  info: '4f6465206f6e2061204772656369616e2055726e',
  ikmE: '7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234',
  pkEm: '37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431',
  skEm: '52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736',
  ikmR: '6db9df30aa07dd42ee5e8181afdb977e538f5e1fec8a06223f33f7013e525037',
  pkRm: '3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d',
  skRm: '4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8',
  enc: '37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431',
  shared_secret: 'fe0e18c9f024ce43799ae393c7e8fe8fce9d218875e8227b0187c04e7d2ea1fc',
  exports: [
    { exporter_context: '', L: 32, exported_value: '3853fe2b4035195a573ffc53856e77058e15d9ea064de3e59f4961d0095250ee' },
    { exporter_context: '00', L: 32, exported_value: '2e8f0b54673c7029649d4eb9d5e33bf1872cf76d623ff164ac185da9e88c21a5' },
  ],
  // Single-shot seal and open use sequence number 0 only.
  encryption: {
    pt: '4265617574792069732074727574682c20747275746820626561757479',
    aad: '436f756e742d30',
    ct: 'f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a',
  },
};

describe.each<EngineName>(['native', 'portable'])('RFC 9180 A.1.1 with the %s X25519 engine', (name) => {
  const engine = engineNamed(name);
  const kem = engine.suite.kem;

  it('is the suite the RFC vector is for', () => {
    expect([kem.id, engine.suite.kdf.id, engine.suite.aead.id]).toEqual([a11.kem_id, a11.kdf_id, a11.aead_id]);
  });

  it('derives the RFC key pairs from ikmE and ikmR, and the public key from the private one', async () => {
    const ephemeral = await kem.deriveKeyPair(hex(a11.ikmE));
    expect(toHex(await kem.serializePrivateKey(ephemeral.privateKey))).toBe(a11.skEm);
    expect(toHex(await kem.serializePublicKey(ephemeral.publicKey))).toBe(a11.pkEm);
    const recipient = await kem.deriveKeyPair(hex(a11.ikmR));
    expect(toHex(await kem.serializePrivateKey(recipient.privateKey))).toBe(a11.skRm);
    expect(toHex(await kem.serializePublicKey(recipient.publicKey))).toBe(a11.pkRm);
    expect(toHex(await engine.publicKeyOf(hex(a11.skRm)))).toBe(a11.pkRm);
  });

  it('encapsulates to the RFC enc and shared secret, and decapsulates back', async () => {
    const recipientPublicKey = await kem.deserializePublicKey(hex(a11.pkRm));
    const { enc, sharedSecret } = await kem.encap({ recipientPublicKey, ekm: hex(a11.ikmE) });
    expect(toHex(enc)).toBe(a11.enc);
    expect(toHex(sharedSecret)).toBe(a11.shared_secret);
    const recipientKey = await kem.deserializePrivateKey(hex(a11.skRm));
    expect(toHex(await kem.decap({ recipientKey, enc: hex(a11.enc) }))).toBe(a11.shared_secret);
  });

  it('derives the RFC key schedule (checked through its exported values)', async () => {
    const recipientPublicKey = await kem.deserializePublicKey(hex(a11.pkRm));
    const sender = await engine.suite.createSenderContext({ recipientPublicKey, info: hex(a11.info), ekm: hex(a11.ikmE) });
    for (const { exporter_context, L, exported_value } of a11.exports) {
      expect(toHex(await sender.export(hex(exporter_context), L))).toBe(exported_value);
    }
  });

  it('seals with our sealBytes to exactly enc || ct of the RFC', async () => {
    const sealed = await sealBytes(engine, {
      recipientPublicKey: hex(a11.pkRm),
      info: hex(a11.info),
      plaintext: hex(a11.encryption.pt),
      aad: hex(a11.encryption.aad),
      ikmE: hex(a11.ikmE),
    });
    expect(toHex(sealed)).toBe(a11.enc + a11.encryption.ct);
  });

  it('opens the RFC enc || ct with our openBytes and the RFC private key', async () => {
    const opened = await openBytes(engine, {
      recipientPrivateKey: hex(a11.skRm),
      info: hex(a11.info),
      sealed: hex(a11.enc + a11.encryption.ct),
      aad: hex(a11.encryption.aad),
    });
    expect(toHex(opened)).toBe(a11.encryption.pt);
  });

  it('refuses the RFC ciphertext under another info or aad', async () => {
    const open = (info: string, aad: string) =>
      openBytes(engine, { recipientPrivateKey: hex(a11.skRm), info: hex(info), sealed: hex(a11.enc + a11.encryption.ct), aad: hex(aad) });
    await expect(open(a11.info + '00', a11.encryption.aad)).rejects.toThrow();
    await expect(open(a11.info, '')).rejects.toThrow();
  });

  it('without an injected ikmE, two seals of one plaintext differ', async () => {
    const seal = () =>
      sealBytes(engine, { recipientPublicKey: hex(a11.pkRm), info: hex(a11.info), plaintext: hex(a11.encryption.pt) });
    expect(toHex(await seal())).not.toBe(toHex(await seal()));
  });
});
