// @warmshower/client/e2e: the end-to-end encryption of SPEC §10, the same code in Node 20 and in
// the page. HPKE (RFC 9180) from @hpke/core; WebCrypto's X25519 where the platform has it.
export { seal, open, infoOf } from './message.js';
export type { SealInput, OpenInput } from './message.js';
export { generateKeyPair, publicKeyOf } from './keys.js';
export type { KeyPair } from './keys.js';
export { safetyNumber } from './safety-number.js';
export type { KeyedParticipant } from './safety-number.js';
export { pad, unpad, paddedLength, padBlock } from './pad.js';
export { toBase64url, fromBase64url } from './base64url.js';
export { UnreadableMessage, isUnreadableMessage } from './errors.js';
export type { UnreadableReason } from './errors.js';
export { hasWebCrypto } from './hpke.js';
