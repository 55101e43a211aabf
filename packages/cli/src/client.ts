import type {
  CreatedSession,
  JoinedParticipant,
  ParticipantList,
  SendReceipt,
  SessionSummary,
} from '@warmshower/core';
import { ApiError, CliError, exitCodes } from './exit-codes.js';

export interface ClientOptions {
  /** Where the server is, e.g. `http://localhost:3000` or `https://example.org/warmshower`. */
  server: string;
  /** A participant's token or the host token, sent as `Authorization: Bearer`. */
  token?: string | undefined;
  /** How long one request may take. Default 15 s. */
  timeoutMs?: number;
}

/**
 * A client of the Warm Shower HTTP API (SPEC §2). Each method is one request; a failure is an
 * `ApiError` (the API's code, sentence and status) or a `CliError` (server unreachable).
 */
export class WarmshowerClient {
  readonly server: string;
  readonly token: string | undefined;
  private readonly base: URL;
  private readonly timeoutMs: number;

  constructor(options: ClientOptions) {
    this.server = options.server;
    this.token = options.token || undefined;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    let base: URL;
    try {
      base = new URL(options.server);
    } catch {
      throw new CliError(`"${options.server}" is not a URL; give the server as --server http://host:port.`, exitCodes.usage);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new CliError(`The server URL must start with http:// or https://, not "${base.protocol}".`, exitCodes.usage);
    }
    // A trailing slash makes relative paths land under a mount point such as /warmshower.
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    this.base = base;
  }

  /** POST /api/sessions */
  createSession(body: { ttlSeconds?: number } = {}): Promise<CreatedSession> {
    return this.request('POST', 'api/sessions', body);
  }

  /** GET /api/sessions/:code (with the host token, also the progress). */
  session(code: string): Promise<SessionSummary> {
    return this.request('GET', sessionPath(code));
  }

  /** POST /api/sessions/:code/participants */
  join(code: string, displayName?: string): Promise<JoinedParticipant> {
    return this.request('POST', `${sessionPath(code)}/participants`, displayName === undefined ? {} : { displayName });
  }

  /** GET /api/sessions/:code/participants */
  participants(code: string): Promise<ParticipantList> {
    return this.request('GET', `${sessionPath(code)}/participants`);
  }

  /** POST /api/sessions/:code/messages */
  send(code: string, message: { to: string; text: string }): Promise<SendReceipt> {
    return this.request('POST', `${sessionPath(code)}/messages`, message);
  }

  /** DELETE /api/sessions/:code */
  async endSession(code: string): Promise<void> {
    await this.request('DELETE', sessionPath(code));
  }

  /** The URL of a session's live events (SPEC §3). */
  eventsUrl(code: string): URL {
    return this.url(`${sessionPath(code)}/events`);
  }

  /** Headers every request carries: the bearer token, when there is one. */
  authorization(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  /** The error a non-2xx reply stands for, with the API's own sentence when it gave one. */
  async errorFrom(response: Response): Promise<ApiError> {
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    if (error && typeof error.code === 'string' && typeof error.message === 'string') {
      let message = error.message;
      if (error.code === 'UNAUTHORIZED' && !this.token) {
        message = 'This needs a token: pass --token or set WARMSHOWER_TOKEN.';
      }
      if (error.code === 'RATE_LIMITED') {
        const retryAfter = response.headers.get('retry-after');
        if (retryAfter) message = `${message.replace(/\.$/, '')} (retry after ${retryAfter} s).`;
      }
      return new ApiError(error.code, message, response.status);
    }
    const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    return new ApiError(
      'UNEXPECTED_REPLY',
      `The server at ${this.server} answered ${status}, which is not a Warm Shower API reply; is --server right?`,
      response.status,
    );
  }

  /** Turns a failed fetch into one sentence that names the server. */
  unreachable(error: unknown): CliError {
    const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
    const name = (error as { name?: string } | undefined)?.name;
    let why = cause?.message ? `the connection failed (${cause.message})` : 'the connection failed';
    if (name === 'TimeoutError') why = `it did not answer within ${Math.round(this.timeoutMs / 1000)} s`;
    else if (cause?.code === 'ECONNREFUSED') why = 'the connection was refused';
    else if (cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN') why = 'that host name is unknown';
    else if (cause?.code === 'ECONNRESET') why = 'the connection was reset';
    return new CliError(
      `Cannot reach the Warm Shower server at ${this.server}: ${why}. Is "warmshower serve" running there? (Set it with --server or WARMSHOWER_URL.)`,
      exitCodes.failure,
    );
  }

  private url(path: string): URL {
    return new URL(path, this.base);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...this.authorization() };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(this.url(path), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw this.unreachable(error);
    }
    if (!response.ok) throw await this.errorFrom(response);
    if (response.status === 204) return undefined as T;
    try {
      return (await response.json()) as T;
    } catch {
      throw new CliError(`The server at ${this.server} sent a reply that is not JSON; is --server right?`);
    }
  }
}

const sessionPath = (code: string): string => `api/sessions/${encodeURIComponent(code)}`;
