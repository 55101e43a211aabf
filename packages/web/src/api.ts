import type {
  CreatedSession,
  ErrorCode,
  JoinedParticipant,
  ParticipantList,
  SendReceipt,
  SessionSummary,
} from './api-types.js';

/** A failed request: an API error code (or `NETWORK` when the server could not be reached). */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'NETWORK' | 'UNKNOWN',
    readonly status: number,
    message: string,
    /** Seconds to wait, from `Retry-After` on a 429. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }

  /** The session is gone (ended, expired or never existed). */
  get sessionGone(): boolean {
    return this.code === 'SESSION_NOT_FOUND' || (this.status === 404 && this.code !== 'RECIPIENT_NOT_FOUND');
  }
}

const base = '/api/sessions';

async function request<T>(method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(base + path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError('NETWORK', 0, 'The server could not be reached.');
  }
  if (response.status === 204) return undefined as T;
  let payload: unknown = null;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  if (response.ok) return payload as T;
  const error = (payload as { error?: { code?: string; message?: string } } | null)?.error;
  const retryAfter = Number(response.headers.get('retry-after'));
  throw new ApiError(
    (error?.code as ErrorCode | undefined) ?? (response.status === 404 ? 'NOT_FOUND' : 'UNKNOWN'),
    response.status,
    error?.message ?? `The server answered ${response.status}.`,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
  );
}

const at = (code: string) => `/${encodeURIComponent(code)}`;

/** The HTTP API of SPEC §2, as the page uses it. */
export const api = {
  createSession: (ttlSeconds: number) => request<CreatedSession>('POST', '', { body: { ttlSeconds } }),
  getSession: (code: string, token?: string) => request<SessionSummary>('GET', at(code), { token }),
  join: (code: string, displayName: string) =>
    request<JoinedParticipant>('POST', `${at(code)}/participants`, {
      body: displayName.trim() ? { displayName } : {},
    }),
  participants: (code: string, token: string) => request<ParticipantList>('GET', `${at(code)}/participants`, { token }),
  send: (code: string, token: string, to: string, text: string) =>
    request<SendReceipt>('POST', `${at(code)}/messages`, { token, body: { to, text } }),
  end: (code: string, hostToken: string) => request<void>('DELETE', at(code), { token: hostToken }),
  /** The stream URL; the server authenticates it with the path-scoped cookie it set at create/join. */
  eventsUrl: (code: string, asHost: boolean) => `${base}${at(code)}/events${asHost ? '?as=host' : ''}`,
};

/** What went wrong, as a sentence for the person in front of the page. */
export function explain(error: unknown, context: { name?: string; code?: string } = {}): string {
  if (!(error instanceof ApiError)) return 'Something went wrong on this page. Reload it and try again.';
  switch (error.code) {
    case 'NETWORK':
      return 'The Warm Shower server cannot be reached. Check your connection and try again.';
    case 'SESSION_NOT_FOUND':
    case 'NOT_FOUND':
      return context.code
        ? `There is no live session with the code ${context.code}. Check the six digits: it may also have ended or expired.`
        : 'This session is over: it ended or expired.';
    case 'NAME_TAKEN':
      return context.name
        ? `Someone in this session is already called “${context.name}”. Choose another name.`
        : 'Someone in this session already has that name. Choose another name.';
    case 'ALREADY_SENT':
      return context.name
        ? `You have already sent a warm shower to ${context.name}: one each.`
        : 'You have already sent a warm shower to this person: one each.';
    case 'RATE_LIMITED':
      return error.retryAfter
        ? `Too many attempts from this network. Wait ${error.retryAfter} second${error.retryAfter === 1 ? '' : 's'} and try again.`
        : 'Too many attempts from this network. Wait a minute and try again.';
    case 'RECIPIENT_NOT_FOUND':
      return 'That person is no longer in this session.';
    case 'SELF_MESSAGE':
      return 'You cannot send a warm shower to yourself.';
    case 'PAYLOAD_TOO_LARGE':
      return 'That message is too long to send.';
    case 'STORE_UNAVAILABLE':
      return 'The server cannot reach its storage right now. Try again in a moment.';
    case 'UNAUTHORIZED':
      return 'This tab’s pass to the session is no longer valid. Join the session again.';
    case 'FORBIDDEN':
    case 'INVALID_INPUT':
      return error.message;
    default:
      return `The server could not do that (${error.status}). Try again in a moment.`;
  }
}
