import { z } from 'zod';
import { errors, type WarmshowerError } from './errors.js';
import { isSessionCode, limits, ttlSentence } from './protocol/index.js';
import { base64urlBytes, checkDisplayName, checkText, isBase64url, type Checked } from './protocol/words.js';

export { isSessionCode };

/**
 * Stands for a request body that was not valid JSON, so that core can report it in the SPEC's
 * order (after the session and credential checks).
 */
export const INVALID_JSON: unique symbol = Symbol.for('warmshower.invalid-json');

/** Turns one of protocol's checks into a zod transform: the same sentence in every host. */
const by =
  <T>(check: (input: unknown) => Checked<T>) =>
  (input: unknown, ctx: z.RefinementCtx): T => {
    const result = check(input);
    if (result.ok) return result.value;
    ctx.addIssue({ code: 'custom', message: result.sentence });
    return z.NEVER;
  };

const ttlSeconds = z
  .number({ invalid_type_error: ttlSentence() })
  .int(ttlSentence())
  .min(limits.minTtlSeconds, `ttlSeconds must be at least ${limits.minTtlSeconds} seconds.`)
  .max(limits.maxTtlSeconds, `ttlSeconds must be at most ${limits.maxTtlSeconds} seconds (24 hours).`);

/** `POST /api/sessions`: `{ttlSeconds?, delivery?, encryption?}`. */
export const createSessionBody = z.object({
  ttlSeconds: ttlSeconds.optional(),
  delivery: z
    .enum(['live', 'reveal'], { errorMap: () => ({ message: 'delivery must be "live" or "reveal".' }) })
    .optional(),
  encryption: z
    .enum(['none', 'e2e'], { errorMap: () => ({ message: 'encryption must be "none" or "e2e".' }) })
    .optional(),
});

/** `PATCH /api/sessions/:code`: `{ttlSeconds}`. */
export const extendSessionBody = z.object({
  ttlSeconds: z.number({ required_error: `ttlSeconds is missing: ${ttlSentence('it')}`, invalid_type_error: ttlSentence() }).pipe(ttlSeconds),
});

const publicKey = z
  .string({ invalid_type_error: '"publicKey" must be a base64url string.' })
  .refine(
    (key) => isBase64url(key) && base64urlBytes(key) === limits.publicKeyBytes,
    `"publicKey" must be a ${limits.publicKeyBytes}-byte X25519 public key, base64url.`,
  );

/** `POST /api/sessions/:code/participants`: `{displayName?, publicKey?}`; no name means "make one up". */
export const joinBody = z.object({
  displayName: z
    .string({ invalid_type_error: 'displayName must be a string (or left out for a generated name).' })
    .nullish()
    .transform(by(checkDisplayName)),
  publicKey: publicKey.optional(),
});

const ciphertext = z
  .string({ invalid_type_error: '"ciphertext" must be a base64url string.' })
  .superRefine((value, ctx) => {
    if (!isBase64url(value) || value === '') {
      ctx.addIssue({ code: 'custom', message: '"ciphertext" must be base64url (RFC 4648 §5).' });
    } else if (base64urlBytes(value) > limits.maxCiphertextBytes) {
      ctx.addIssue({
        code: 'custom',
        message: `"ciphertext" can be at most ${limits.maxCiphertextBytes} bytes; this one has ${base64urlBytes(value)}.`,
      });
    }
  });

const recipient = z
  .string({
    required_error: '"to" is missing: give the id of the participant to write to.',
    invalid_type_error: '"to" must be the id (a string) of the participant to write to.',
  })
  .min(1, '"to" must be the id of the participant to write to.');

/** `POST /api/sessions/:code/messages`: `{to, text}` or, end to end, `{to, ciphertext}`; any `from` is ignored. */
export const sendBody = z
  .object({
    to: recipient,
    text: z.string({ invalid_type_error: '"text" must be a string.' }).optional(),
    ciphertext: z.string({ invalid_type_error: '"ciphertext" must be a base64url string.' }).optional(),
  })
  .transform((body, ctx) => {
    if (body.text !== undefined && body.ciphertext !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'Give either "text" or "ciphertext", not both.' });
      return z.NEVER;
    }
    if (body.ciphertext !== undefined) {
      const parsed = ciphertext.safeParse(body.ciphertext);
      if (parsed.success) return { to: body.to, kind: 'ciphertext' as const, body: parsed.data };
      ctx.addIssue({ code: 'custom', message: parsed.error.issues[0]?.message ?? '"ciphertext" is not valid.' });
      return z.NEVER;
    }
    return { to: body.to, kind: 'text' as const, body: by(checkText)(body.text, ctx) };
  });

type Parsed<T> = { ok: true; value: T } | { ok: false; error: WarmshowerError };

function parseBody<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, input: unknown): Parsed<T> {
  if (input === INVALID_JSON) return { ok: false, error: errors.invalid('The request body is not valid JSON.') };
  const body = input === undefined || input === null ? {} : input;
  if (typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, error: errors.invalid('The request body must be a JSON object.') };
  }
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, error: errors.invalid(result.error.issues[0]?.message ?? 'The request body is not valid.') };
}

/** Validates a create-session body. */
export const parseCreateSession = (input: unknown) => parseBody(createSessionBody, input);
/** Validates a lifetime change. */
export const parseExtendSession = (input: unknown) => parseBody(extendSessionBody, input);
/** Validates a join body: the name cleaned by the rules of SPEC rule 2; null means "generate one". */
export const parseJoin = (input: unknown) => parseBody(joinBody, input);
/**
 * Validates a send body: the text cleaned by the rules of SPEC rule 3, or a ciphertext's size. The
 * send is the hot path: a plain `{to, text}` that passes is taken without zod (a tenth of its
 * cost); everything else, and every refusal, goes through the schema and reads the same.
 */
export function parseSend(input: unknown): Parsed<z.output<typeof sendBody>> {
  const body = input as { to?: unknown; text?: unknown; ciphertext?: unknown } | null | undefined;
  if (typeof body === 'object' && body !== null && typeof body.to === 'string' && body.to !== '' && typeof body.text === 'string' && body.ciphertext === undefined) {
    const text = checkText(body.text);
    if (text.ok) return { ok: true, value: { to: body.to, kind: 'text', body: text.value } };
  }
  return parseBody(sendBody, input);
}
