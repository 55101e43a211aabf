import {
  isSessionCode,
  type CreatedSession,
  type CreateSessionBody,
  type ExpiryChanged,
  type JoinBody,
  type JoinedParticipant,
  type ParticipantList,
  type SendBody,
  type SendReceipt,
  type ServerInfo,
  type SessionSummary,
} from '@warmshower/core/protocol';
import { errorFromReply, unexpectedReply, unreachable, WarmshowerClientError } from './errors.js';
import { openEventStream } from './stream.js';
import type { EventStream, FetchLike, Revealed, StreamOptions, StreamRole, Thanked } from './types.js';

export interface ClientOptions {
  /**
   * The app's root: `http://localhost:3000`, `https://example.org/warmshower` (a mount prefix), or
   * in a page its own directory (`document.baseURI`). API paths are joined under it.
   */
  baseUrl: string | URL;
  /** A participant's token or the host token, sent as `Authorization: Bearer <token>`. */
  token?: string | null | undefined;
  /** Default: the global `fetch`, looked up at each call. */
  fetch?: FetchLike;
  /** How long one request may take, reply body included. Default 15000 ms. */
  timeoutMs?: number;
}

/**
 * The Warm Shower API (SPEC §2, §3): one method per route, and `stream` for live events. Each
 * method is one request; a failure rejects with a `WarmshowerClientError`.
 */
export class WarmshowerClient {
  /** The app's root as the client uses it: always ending in `/`, without query or fragment. */
  readonly baseUrl: string;
  readonly token: string | undefined;
  readonly timeoutMs: number;
  private readonly base: URL;
  private readonly fetchImpl: FetchLike;

  constructor(options: ClientOptions) {
    this.base = parseBaseUrl(options.baseUrl);
    this.baseUrl = this.base.href;
    this.token = options.token || undefined;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    const given = options.fetch;
    // Called as a plain function: a browser's fetch throws "Illegal invocation" when called as a
    // method of something else. The global is looked up per call so that it can be replaced.
    this.fetchImpl = given ? (input, init) => given(input, init) : (input, init) => globalThis.fetch(input, init);
  }

  /** The same client with another token (or none). */
  withToken(token: string | null | undefined): WarmshowerClient {
    return new WarmshowerClient({ baseUrl: this.base, token, fetch: this.fetchImpl, timeoutMs: this.timeoutMs });
  }

  /** `GET /api/info`: version, the base of join links, the limits (SPEC §8). */
  info(): Promise<ServerInfo> {
    return this.request('GET', 'api/info');
  }

  /** `POST /api/sessions`: a new session; its `hostToken` is the host's credential. */
  createSession(body: CreateSessionBody = {}): Promise<CreatedSession> {
    return this.request('POST', 'api/sessions', { body });
  }

  /** `GET /api/sessions/:code`: the session's summary; with the host token, also `progress`. */
  async getSession(code: string): Promise<SessionSummary> {
    return this.request('GET', sessionPath(code));
  }

  /** `PATCH /api/sessions/:code` (host): the session now ends `ttlSeconds` from now (rule 10). */
  async extendSession(code: string, ttlSeconds: number): Promise<ExpiryChanged> {
    return this.request('PATCH', sessionPath(code), { body: { ttlSeconds } });
  }

  /** `POST /api/sessions/:code/reveal` (host): delivers the held messages of a reveal session (rule 9). */
  async reveal(code: string): Promise<Revealed> {
    return this.request('POST', `${sessionPath(code)}/reveal`);
  }

  /** `POST /api/sessions/:code/messages/:id/thanks` (the message's recipient): tells its sender (rule 11). */
  async thank(code: string, messageId: string): Promise<Thanked> {
    if (typeof messageId !== 'string' || messageId === '') throw usage('A message id is needed to thank a message.');
    return this.request('POST', `${sessionPath(code)}/messages/${encodeURIComponent(messageId)}/thanks`);
  }

  /** `POST /api/sessions/:code/participants`: joins; keep the returned `token` (it is shown once). */
  async join(code: string, body: JoinBody = {}): Promise<JoinedParticipant> {
    return this.request('POST', `${sessionPath(code)}/participants`, { body });
  }

  /** `GET /api/sessions/:code/participants` (member or host): who is there, and with a member's token `me`. */
  async participants(code: string): Promise<ParticipantList> {
    return this.request('GET', `${sessionPath(code)}/participants`);
  }

  /** `POST /api/sessions/:code/messages` (member): one warm shower to `to`. */
  async send(code: string, body: SendBody): Promise<SendReceipt> {
    return this.request('POST', `${sessionPath(code)}/messages`, { body });
  }

  /** `DELETE /api/sessions/:code` (host): ends the session and deletes everything in it. */
  async endSession(code: string): Promise<void> {
    await this.request('DELETE', sessionPath(code));
  }

  /**
   * The URL of a session's live events, for a browser `EventSource` that authenticates with the
   * cookie set at create/join (`as: 'host'` picks the host's). `stream()` needs no cookie.
   */
  eventsUrl(code: string, as?: StreamRole): string {
    const url = new URL(`${sessionPath(code)}/events`, this.base);
    if (as === 'host') url.searchParams.set('as', 'host');
    return url.href;
  }

  /**
   * Opens the session's live events with this client's token and keeps them open: see
   * `StreamOptions` and `EventStream` for the events, statuses, reconnections and endings.
   */
  stream(code: string, options: StreamOptions): EventStream {
    return openEventStream(
      {
        base: this.base,
        url: this.eventsUrl(code, options.as),
        headers: this.authorization(),
        fetch: this.fetchImpl,
        timeoutMs: this.timeoutMs,
      },
      options,
    );
  }

  private authorization(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  private async request<T>(method: string, path: string, options: { body?: unknown } = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...this.authorization() };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const signal = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(new URL(path, this.base).href, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        // In a page: the server's cookies stay with the server's own origin. Node ignores it.
        credentials: 'same-origin',
        signal,
      });
      // The timeout covers the body too: a reply that stalls halfway is as dead as none.
      text = await response.text();
    } catch (error) {
      throw unreachable(this.base, error, this.timeoutMs);
    }
    if (!response.ok) throw errorFromReply(this.base, response, text);
    if (response.status === 204) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw unexpectedReply(this.base, response, 'with a reply that is not JSON');
    }
  }
}

/** A usage error of the client itself (a bad URL, a malformed code): no request was made. */
const usage = (sentence: string): WarmshowerClientError => new WarmshowerClientError('INVALID_INPUT', sentence);

/** `api/sessions/:code`, refusing a malformed code before it costs a request (and a miss). */
function sessionPath(code: string): string {
  if (!isSessionCode(code)) {
    throw usage(`"${String(code)}" is not a session code: a code is six digits, such as 123456.`);
  }
  return `api/sessions/${code}`;
}

/** The app's root as a URL ending in `/`, so that relative API paths land under a mount prefix. */
function parseBaseUrl(input: string | URL): URL {
  let base: URL;
  try {
    base = new URL(String(input));
  } catch {
    throw usage(`"${String(input)}" is not a URL; give the server's address, such as http://localhost:3000.`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw usage(`The server URL must start with http:// or https://, not "${base.protocol}".`);
  }
  if (base.username || base.password) {
    throw usage('The server URL cannot carry a user name or password; pass a token instead.');
  }
  base.search = '';
  base.hash = '';
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return base;
}
