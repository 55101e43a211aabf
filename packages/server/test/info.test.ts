import { networkInterfaces } from 'node:os';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createApp, openApiDocument } from '../src/index.js';
import { startServer } from '../src/node/index.js';
import { manualApp } from './helpers.js';

const info = async (app: { request: (url: string, init?: RequestInit) => Response | Promise<Response> }, url: string) =>
  (await (await app.request(url)).json()) as { joinUrl: string; joinUrlIsLoopback: boolean; version: string; limits: unknown };

describe('GET /api/info: where join links point', () => {
  it('is the public URL when one is set, whatever the request came in on', async () => {
    const { app } = manualApp({ publicUrl: 'http://shower.test:4455' });
    expect(await info(app, 'http://127.0.0.1:3000/api/info')).toMatchObject({ joinUrl: 'http://shower.test:4455/', joinUrlIsLoopback: false });
  });

  it('is the origin the request came in on, unless that is this machine only', async () => {
    const { app } = manualApp();
    expect(await info(app, 'http://shower.example:3000/api/info')).toMatchObject({ joinUrl: 'http://shower.example:3000/', joinUrlIsLoopback: false });
    expect(await info(app, 'http://localhost:3000/api/info')).toMatchObject({ joinUrl: 'http://localhost:3000/', joinUrlIsLoopback: true });
    expect(await info(app, 'http://[::1]:3000/api/info')).toMatchObject({ joinUrlIsLoopback: true });
  });

  it('over loopback, is the machine network address the server gives it', async () => {
    const { app } = manualApp({ networkOrigin: () => 'http://shower.lan:3000' });
    expect(await info(app, 'http://127.0.0.1:3000/api/info')).toMatchObject({ joinUrl: 'http://shower.lan:3000/', joinUrlIsLoopback: false });
  });

  it('follows the prefix the app is mounted under, and says its version and limits', async () => {
    const host = new Hono().route('/ws', manualApp().app);
    const answer = await info(host, 'http://shower.example/ws/api/info');
    expect(answer.joinUrl).toBe('http://shower.example/ws/');
    expect(answer.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(answer.limits).toEqual({ ttlSeconds: { min: 10, max: 86400, default: 3600 }, displayName: 40, text: 1000, maxParticipants: 250 });
  });

  it('a server listening on every interface gives this machine network address to a page opened over loopback', async () => {
    const server = await startServer({ port: 0, host: '0.0.0.0', logger: false, rateLimits: false });
    try {
      const lan = Object.values(networkInterfaces())
        .flat()
        .find((entry) => entry && !entry.internal && entry.family === 'IPv4');
      const answer = await info({ request: (url) => fetch(url) }, `${server.url}/api/info`);
      if (lan) {
        expect(answer).toMatchObject({ joinUrl: `http://${lan.address}:${server.port}/`, joinUrlIsLoopback: false });
        expect(server.urls).toEqual(expect.arrayContaining([`http://localhost:${server.port}`, `http://${lan.address}:${server.port}`]));
      } else expect(answer.joinUrlIsLoopback).toBe(true);
      expect(server.joinUrl).toBe(answer.joinUrl);
    } finally {
      await server.close();
    }
  });

  const lan = Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry && !entry.internal && entry.family === 'IPv4');
  it.skipIf(!lan)(`a server listening on the network address only says other devices can open its join links${lan ? '' : ' (skipped: this machine has no network address)'}`, async () => {
    // Bound there, never connected to: the app answers in-process.
    const server = await startServer({ port: 0, host: lan!.address, logger: false, rateLimits: false });
    try {
      const answer = await info(server.app, `${server.url}/api/info`);
      expect(answer).toMatchObject({ joinUrl: `http://${lan!.address}:${server.port}/`, joinUrlIsLoopback: false });
      expect(server).toMatchObject({ joinUrl: answer.joinUrl, joinUrlIsLoopback: false });
    } finally {
      await server.close();
    }
  });

  it('a public URL that is not an http(s) URL is refused with a sentence', async () => {
    expect(() => createApp({ publicUrl: 'shower.test' })).toThrow(/public URL must be a full http/);
    await expect(startServer({ port: 0, logger: false, publicUrl: 'ftp://x' })).rejects.toThrow(/http:\/\/ or https:\/\//);
  });
});

describe('GET /api/openapi.json', () => {
  it('documents every route the app answers, with its schemas, and nothing it does not answer', async () => {
    const { app } = manualApp();
    const document = (await (await app.request('/api/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> }; responses: Record<string, unknown> }>>;
    };
    expect(document.openapi).toBe('3.1.0');
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const answered = app.routes
      .filter((route) => route.path.startsWith('/api/') && route.method !== 'ALL' && !route.path.includes('*'))
      .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(new Set(documented)).toEqual(new Set(answered));
    expect(documented).toHaveLength(12);
    const join = document.paths['/api/sessions/{code}/participants']!.post!;
    expect(join.requestBody?.content['application/json']?.schema).toMatchObject({
      type: 'object',
      properties: { displayName: expect.anything(), publicKey: expect.anything() },
    });
    expect(Object.keys(join.responses)).toEqual(expect.arrayContaining(['201', '404', '409', '415']));
    expect(openApiDocument()).toEqual(document);
  });
});
