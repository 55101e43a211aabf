// The replies of SPEC §2 as zod schemas, for the OpenAPI document. The types below make the
// compiler check that each one is the protocol's own type, so the document cannot drift from it.
import type {
  CreatedSession,
  ExpiryChanged,
  JoinedParticipant,
  ParticipantList,
  SendReceipt,
  ServerInfo,
  SessionSummary,
} from '@warmshower/core/protocol';
import { z } from 'zod';

const iso = z.string().datetime().describe('ISO 8601, UTC');
const delivery = z.enum(['live', 'reveal']);
const encryption = z.enum(['none', 'e2e']);
const progress = z.object({ sent: z.number().int(), possible: z.number().int() });

const info = z.object({
  version: z.string(),
  joinUrl: z.string().url().describe('Join links are <joinUrl>?code=123456'),
  joinUrlIsLoopback: z.boolean(),
  limits: z.object({
    ttlSeconds: z.object({ min: z.number().int(), max: z.number().int(), default: z.number().int() }),
    displayName: z.number().int(),
    text: z.number().int(),
    maxParticipants: z.number().int(),
  }),
});
const created = z.object({
  code: z.string(),
  hostToken: z.string(),
  expiresAt: iso,
  ttlSeconds: z.number().int(),
  delivery,
  encryption,
});
const summary = z.object({
  code: z.string(),
  expiresAt: iso,
  participantCount: z.number().int(),
  delivery,
  revealed: z.boolean(),
  encryption,
  progress: progress.optional().describe('Only for the host'),
});
const expiry = z.object({ code: z.string(), expiresAt: iso, ttlSeconds: z.number().int() });
const joined = z.object({ id: z.string(), token: z.string(), displayName: z.string(), expiresAt: iso });
const participants = z.object({
  participants: z.array(
    z.object({ id: z.string(), displayName: z.string(), online: z.boolean(), publicKey: z.string().optional() }),
  ),
  me: z.object({ id: z.string(), sentTo: z.array(z.string()), complete: z.boolean() }).optional(),
});
const receipt = z.object({
  id: z.string(),
  to: z.string(),
  sentCount: z.number().int(),
  remaining: z.number().int(),
  complete: z.boolean(),
});

export const replies = {
  info,
  created,
  summary,
  expiry,
  revealed: z.object({ revealed: z.literal(true) }),
  thanked: z.object({ id: z.string() }),
  joined,
  participants,
  receipt,
};

/** Fails to compile when a schema and the protocol's type disagree in either direction. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const agree = <T extends true>(): T => true as T;
agree<Same<z.infer<typeof info>, ServerInfo>>();
agree<Same<z.infer<typeof created>, CreatedSession>>();
agree<Same<z.infer<typeof summary>, SessionSummary>>();
agree<Same<z.infer<typeof expiry>, ExpiryChanged>>();
agree<Same<z.infer<typeof joined>, JoinedParticipant>>();
agree<Same<z.infer<typeof participants>, ParticipantList>>();
agree<Same<z.infer<typeof receipt>, SendReceipt>>();
