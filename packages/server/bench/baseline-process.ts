/**
 * The do-nothing baseline of `pnpm bench`: a tiny Node HTTP server that answers the same create,
 * join, stream and send requests with the smallest valid replies and events, and delivers each
 * message to its recipient's open stream. What it costs is what Node's HTTP stack costs; the bench
 * reports ours as a ratio to it. It reports `{ url }` over IPC and answers `stats` like
 * test/fixtures/server-process.ts.
 */
import { randomBytes } from 'node:crypto';
import http, { type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const id = () => randomBytes(9).toString('base64url');
const people = new Map<string, string>(); // token -> participant id
const streams = new Map<string, Set<ServerResponse>>(); // participant id -> open streams
let open = 0;

const json = (res: ServerResponse, status: number, body?: unknown) => {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

const server = http.createServer((req, res) => {
  const url = req.url ?? '';
  const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (req.method === 'GET' && url.endsWith('/events')) {
    const me = token ? people.get(token) : undefined;
    if (!me) return json(res, 401, { error: { code: 'UNAUTHORIZED', message: 'no' } });
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    res.write(`event: ready\ndata: {"you":{"id":"${me}"}}\n\n`);
    let set = streams.get(me);
    if (!set) streams.set(me, (set = new Set()));
    set.add(res);
    open++;
    res.on('close', () => {
      set!.delete(res);
      open--;
    });
    return;
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', () => {
    if (req.method === 'POST' && url === '/api/sessions') {
      return json(res, 201, { code: String(Math.floor(Math.random() * 1e6)).padStart(6, '0'), hostToken: id(), expiresAt: new Date(Date.now() + 9e5).toISOString(), ttlSeconds: 900, delivery: 'live', encryption: 'none' });
    }
    if (req.method === 'POST' && url.endsWith('/participants')) {
      const participant = { id: id(), token: id(), displayName: 'P', expiresAt: new Date(Date.now() + 9e5).toISOString() };
      people.set(participant.token, participant.id);
      return json(res, 201, participant);
    }
    if (req.method === 'POST' && url.endsWith('/messages')) {
      const { to, text } = JSON.parse(body) as { to: string; text: string };
      const message = id();
      const frame = `event: message\nid: ${message}\ndata: ${JSON.stringify({ id: message, text, receivedAt: new Date().toISOString() })}\n\n`;
      for (const stream of streams.get(to) ?? []) stream.write(frame);
      return json(res, 201, { id: message, to, sentCount: 1, remaining: 0, complete: false });
    }
    if (req.method === 'DELETE') {
      res.writeHead(204);
      return res.end();
    }
    json(res, 404, { error: { code: 'NOT_FOUND', message: 'no' } });
  });
});

// The longest the event loop was held up since the last `stats`, as ours reports it.
const stalls = monitorEventLoopDelay({ resolution: 5 });
stalls.enable();

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send!({ type: 'listening', url: `http://127.0.0.1:${port}` });
});
process.on('message', (message: { type: string; gc?: boolean }) => {
  if (message.type === 'stats') {
    if (message.gc !== false) (globalThis as { gc?: () => void }).gc?.();
    process.send!({ type: 'stats', openStreams: open, memory: process.memoryUsage(), cpu: process.cpuUsage(), stallMs: stalls.max / 1e6 });
    stalls.reset();
  } else if (message.type === 'close') {
    for (const set of streams.values()) for (const stream of set) stream.destroy();
    server.close(() => process.send!({ type: 'closed' }, () => process.exit(0)));
    server.closeAllConnections();
  }
});
