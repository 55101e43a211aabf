import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { client, eventually, listen, manualApp } from './helpers.js';

const statuses = new Set([200, 201, 204, 400, 401, 403, 404, 409, 413, 415, 429]);

/** Strings that probe the rules of names and texts: format characters, lone surrogates, controls. */
const tricky = fc.string({
  unit: fc.constantFrom('a', 'Z', ' ', '\u00a0', '\u200b', '\u200d', '\u202e', '\u2066', '\ufeff', '\u0000', '\u0007', '\n', '\t', '\ud800', '\udfff', '\ue000', '\u0301', 'ﬁ', 'Ａ', '😀'),
  maxLength: 30,
});

describe('whatever a client sends', () => {
  it.each([
    ['in-process', 3000],
    ['over real HTTP', 400],
  ] as const)('never gets a 500, and every error is the JSON shape of SPEC §2 (%s)', async (where, numRuns) => {
    const { app } = manualApp({ rateLimits: { createPerMinute: 1e9, missesPerMinute: 1e9 } });
    const server = where === 'over real HTTP' ? await listen(app) : null;
    const origin = server?.url ?? 'http://localhost';
    let answered = 0;
    const perform = async (request: Request): Promise<Response | null> => {
      answered++;
      if (!server) return app.request(request);
      try {
        return await fetch(request);
      } catch {
        answered--;
        return null; // fetch refused to send it
      }
    };
    const api = client('', (path, init) => app.request(path, init));
    const session = await api.session();
    const ada = await api.join(session.code, 'Ada');
    const bo = await api.join(session.code, 'Bo');
    const tokens = [ada.token, bo.token, session.hostToken];

    const segment = fc.oneof(
      fc.constantFrom('api', 'sessions', 'participants', 'messages', 'events', session.code, '000000', 'healthz', 'readyz', '', '..', '%', '%2F', '%E0%A4%A'),
      fc.string({ maxLength: 12 }).map(encodeURIComponent),
      fc.stringMatching(/^\d{1,7}$/),
    );
    const path = fc.oneof(
      fc.constantFrom(
        '/api/sessions',
        `/api/sessions/${session.code}`,
        `/api/sessions/${session.code}/participants`,
        `/api/sessions/${session.code}/messages`,
        `/api/sessions/${session.code}/events`,
        `/api/sessions/${session.code}/events?as=host`,
        `/api/sessions/${session.code}/reveal`,
        `/api/sessions/${session.code}/messages/x/thanks`,
        '/api/info',
        '/api/openapi.json',
      ),
      fc.array(segment, { maxLength: 6 }).map((parts) => `/${parts.join('/')}`),
      fc.tuple(fc.array(segment, { maxLength: 5 }), fc.string({ maxLength: 10 })).map(([parts, q]) => `/${parts.join('/')}?${q}`),
    );
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE');
    const json = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          ttlSeconds: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)),
          displayName: fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 50 }), tricky, fc.integer(), fc.constant(null)),
          to: fc.oneof(fc.constantFrom(ada.id, bo.id, 'nobody'), fc.string(), fc.integer()),
          text: fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 1100 }), tricky, fc.constant(''), fc.boolean()),
          ciphertext: fc.oneof(fc.string({ maxLength: 40 }), fc.constant('A'.repeat(5700)), fc.integer()),
          publicKey: fc.oneof(fc.string({ maxLength: 50 }), fc.constant('A'.repeat(43))),
          delivery: fc.constantFrom('live', 'reveal', 'other', 3),
          encryption: fc.constantFrom('none', 'e2e', 'rot13'),
          from: fc.constantFrom(ada.id, bo.id),
        },
        { requiredKeys: [] },
      ),
    );
    const body = fc.option(
      fc.oneof(
        json.map((v) => JSON.stringify(v)),
        fc.string({ maxLength: 200 }),
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.constantFrom('{', '[]', 'null', '""', '{"to":', '\u0000', 'x'.repeat(17_000)),
      ),
      { nil: undefined },
    );
    const headerValue = fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, ''));
    const headers = fc.record(
      {
        authorization: fc.oneof(fc.constantFrom(...tokens.map((t) => `Bearer ${t}`), 'Bearer', 'Basic abc', 'bearer   x'), headerValue),
        'content-type': fc.constantFrom('application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded'),
        'last-event-id': headerValue,
        cookie: fc.oneof(fc.constantFrom(`ws_participant=${ada.token}`, `ws_host=${session.hostToken}`, 'ws_participant=%zz'), headerValue),
        'content-length': fc.constantFrom('0', '5', '99999', 'abc'),
        'x-anything': headerValue,
      },
      { requiredKeys: [] },
    );

    await fc.assert(
      fc.asyncProperty(method, path, headers, body, async (m, p, h, b) => {
        let request: Request;
        try {
          // Over HTTP, fetch sets Content-Length itself (and refuses a wrong one).
          const sent = server ? Object.fromEntries(Object.entries(h).filter(([k]) => k !== 'content-length')) : h;
          request = new Request(`${origin}${p}`, { method: m, headers: sent, body: m === 'GET' || m === 'HEAD' ? undefined : b });
        } catch {
          return; // not a request a client can make
        }
        const res = await perform(request);
        if (!res) return;
        expect(statuses.has(res.status), `${m} ${p} → ${res.status}`).toBe(true);
        if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
          await res.body?.cancel();
          return;
        }
        const text = await res.text();
        // An accepted name is clean: no format character, and its own NFKC form.
        if (res.status === 201 && /\/participants$/.test(new URL(request.url).pathname)) {
          const name = (JSON.parse(text) as { displayName: string }).displayName;
          expect(name).not.toMatch(/\p{Cf}/u);
          expect(name.normalize('NFKC')).toBe(name);
        }
        if (res.status === 400) expect((JSON.parse(text) as { error: { message: string } }).error.message).toMatch(/\.$/);
        if (res.status >= 400 && m !== 'HEAD') {
          const parsed = JSON.parse(text) as { error: { code: string; message: string } };
          expect(Object.keys(parsed)).toEqual(['error']);
          expect(parsed.error.code).toMatch(/^[A-Z_]+$/);
          expect(typeof parsed.error.message).toBe('string');
          expect(parsed.error.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns },
    );
    await eventually(() => app.stats().openStreams === 0, 5000, 'every stream the fuzz opened to close');
    expect(answered).toBeGreaterThan(numRuns / 2); // most cases really reached the app
    await server?.close();
  }, 60_000);
});
