import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { createSessionBody, errorCodes, extendSessionBody, joinBody, sendBody, streamEventNames } from '@warmshower/core';
import { z } from 'zod';
import { version } from '../package.json';
import { replies } from './openapi-schemas.js';

// Parameters need zod-to-openapi's `.openapi()` on zod's schemas.
extendZodWithOpenApi(z);

const code = z.object({ code: z.string().regex(/^\d{6}$/).describe('The six-digit session code (a string: leading zeros count).') });
const error = z.object({ error: z.object({ code: z.enum(errorCodes as [string, ...string[]]), message: z.string() }) });
const json = (schema: z.ZodTypeAny) => ({ content: { 'application/json': { schema } } });
const reply = (description: string, schema: z.ZodTypeAny): ResponseConfig => ({ description, ...json(schema) });
const failures = (...statuses: number[]): Record<number, ResponseConfig> =>
  Object.fromEntries(statuses.map((status) => [status, reply('An error with a sentence for a person (SPEC §2).', error)]));
const bearer = [{ bearer: [] }];

/** Every route of SPEC §2, with the same zod schemas that validate its requests. */
const routes: RouteConfig[] = [
  { method: 'get', path: '/api/info', summary: 'Version, join URL and limits (SPEC §8)', responses: { 200: reply('Server info', replies.info) } },
  { method: 'get', path: '/api/openapi.json', summary: 'This document', responses: { 200: reply('OpenAPI 3.1', z.object({}).passthrough()) } },
  {
    method: 'post',
    path: '/api/sessions',
    summary: 'Create a session',
    request: { body: json(createSessionBody) },
    responses: { 201: reply('The session and its host token', replies.created), ...failures(400, 403, 413, 415, 429, 503) },
  },
  {
    method: 'get',
    path: '/api/sessions/{code}',
    summary: 'A session; with the host token also its progress',
    request: { params: code },
    responses: { 200: reply('The session', replies.summary), ...failures(401, 404, 429, 503) },
  },
  {
    method: 'patch',
    path: '/api/sessions/{code}',
    summary: 'Give the session a new lifetime (host)',
    security: bearer,
    request: { params: code, body: json(extendSessionBody) },
    responses: { 200: reply('The new expiry', replies.expiry), ...failures(400, 401, 403, 404, 415, 503) },
  },
  {
    method: 'delete',
    path: '/api/sessions/{code}',
    summary: 'End the session (host): everything is deleted',
    security: bearer,
    request: { params: code },
    responses: { 204: { description: 'Ended' }, ...failures(401, 403, 404, 503) },
  },
  {
    method: 'post',
    path: '/api/sessions/{code}/reveal',
    summary: 'Reveal a reveal session (host)',
    security: bearer,
    request: { params: code },
    responses: { 200: reply('Revealed', replies.revealed), ...failures(401, 403, 404, 409, 503) },
  },
  {
    method: 'post',
    path: '/api/sessions/{code}/participants',
    summary: 'Join a session',
    request: { params: code, body: json(joinBody) },
    responses: { 201: reply('The new participant and their token', replies.joined), ...failures(400, 403, 404, 409, 413, 415, 429, 503) },
  },
  {
    method: 'get',
    path: '/api/sessions/{code}/participants',
    summary: 'Everyone in the session, with presence; a participant also gets their own progress',
    security: bearer,
    request: { params: code },
    responses: { 200: reply('The participants', replies.participants), ...failures(401, 404, 429, 503) },
  },
  {
    method: 'post',
    path: '/api/sessions/{code}/messages',
    summary: 'Send one warm shower',
    security: bearer,
    request: { params: code, body: json(sendBody) },
    responses: { 201: reply('The receipt', replies.receipt), ...failures(400, 401, 403, 404, 409, 413, 415, 422, 503) },
  },
  {
    method: 'post',
    path: '/api/sessions/{code}/messages/{id}/thanks',
    summary: 'Thank a warm shower you received',
    security: bearer,
    request: { params: code.extend({ id: z.string().describe('The id of the message, from its event') }) },
    responses: { 201: reply('Thanked', replies.thanked), ...failures(401, 403, 404, 409, 503) },
  },
  {
    method: 'get',
    path: '/api/sessions/{code}/events',
    summary: 'Live events (Server-Sent Events, SPEC §3)',
    description: `Events: ${streamEventNames.join(', ')}. Only \`message\` carries an \`id:\`; send it back as \`Last-Event-ID\` to resume.`,
    security: bearer,
    request: { params: code },
    responses: {
      200: { description: 'An event stream', content: { 'text/event-stream': { schema: z.string() } } },
      ...failures(401, 404, 429, 503),
    },
  },
];

let document: unknown;

/** The OpenAPI 3.1 document of the whole API, made once. */
export function openApiDocument(): unknown {
  if (document) return document;
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  for (const route of routes) registry.registerPath(route);
  document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Warm Shower',
      version,
      description: 'Anonymous, appreciative messages for a team, gone when the session ends. Paths are relative to where the app is mounted.',
    },
  });
  return document;
}
