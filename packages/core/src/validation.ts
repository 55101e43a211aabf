import { z } from 'zod';
import { errors, type WarmshowerError } from './errors.js';
import { codePoints, limits } from './protocol/limits.js';

export { codePoints, limits };


/**
 * Stands for a request body that was not valid JSON, so that core can report it in the SPEC's
 * order (after the session and credential checks).
 */
export const INVALID_JSON: unique symbol = Symbol.for('warmshower.invalid-json');


const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const ttlSeconds = z
  .number({
    invalid_type_error: `ttlSeconds must be a whole number of seconds from ${limits.minTtlSeconds} to ${limits.maxTtlSeconds}.`,
  })
  .int(`ttlSeconds must be a whole number of seconds from ${limits.minTtlSeconds} to ${limits.maxTtlSeconds}.`)
  .min(limits.minTtlSeconds, `ttlSeconds must be at least ${limits.minTtlSeconds} seconds.`)
  .max(limits.maxTtlSeconds, `ttlSeconds must be at most ${limits.maxTtlSeconds} seconds (24 hours).`);

const createSessionBody = z.object({ ttlSeconds: ttlSeconds.optional() });

const displayName = z
  .string({ invalid_type_error: 'displayName must be a string (or left out for a generated name).' })
  .transform((s) => s.trim())
  .superRefine((s, ctx) => {
    if (codePoints(s) > limits.maxDisplayName) {
      ctx.addIssue({ code: 'custom', message: `A display name can be at most ${limits.maxDisplayName} characters.` });
    } else if (controlCharacters.test(s)) {
      ctx.addIssue({ code: 'custom', message: 'A display name cannot contain line breaks or control characters.' });
    }
  });

const joinBody = z.object({ displayName: displayName.nullish() });

const sendBody = z.object({
  to: z
    .string({
      required_error: '"to" is missing: give the id of the participant to write to.',
      invalid_type_error: '"to" must be the id (a string) of the participant to write to.',
    })
    .min(1, '"to" must be the id of the participant to write to.'),
  text: z
    .string({
      required_error: '"text" is missing: write the warm shower you want to send.',
      invalid_type_error: '"text" must be a string.',
    })
    .transform((s) => s.trim())
    .superRefine((s, ctx) => {
      const n = codePoints(s);
      if (n === 0) ctx.addIssue({ code: 'custom', message: 'A warm shower needs some text.' });
      else if (n > limits.maxText) {
        ctx.addIssue({
          code: 'custom',
          message: `A warm shower can be at most ${limits.maxText} characters; this one has ${n}.`,
        });
      }
    }),
});

export type CreateSessionInput = z.infer<typeof createSessionBody>;
export type JoinInput = z.infer<typeof joinBody>;
export type SendInput = z.infer<typeof sendBody>;

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

/** Validates a create-session body: `{ttlSeconds?}`. */
export const parseCreateSession = (input: unknown) => parseBody(createSessionBody, input);
/** Validates a join body: `{displayName?}`, trimmed; blank means "generate one". */
export const parseJoin = (input: unknown) => parseBody(joinBody, input);
/** Validates a send body: `{to, text}`, text trimmed; any `from` is ignored. */
export const parseSend = (input: unknown) => parseBody(sendBody, input);

/** True for a string that could be a session code: six digits. */
export const isSessionCode = (code: unknown): code is string => typeof code === 'string' && /^\d{6}$/.test(code);
