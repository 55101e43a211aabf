// Every failure the page can meet, as one sentence for the person in front of it. One table over
// the client's codes (the API's, plus NETWORK and UNEXPECTED_REPLY): a new code fails to compile.
import type { ClientErrorCode } from '@warmshower/client';

/** What a sentence may mention: the code typed, the name typed or written to. */
export interface Context {
  code?: string;
  name?: string;
}

interface Failure {
  code: ClientErrorCode;
  message: string;
  retryAfterSeconds?: number;
}

const wait = (seconds?: number) =>
  seconds ? `Wait ${seconds} second${seconds === 1 ? '' : 's'} and try again.` : 'Wait a minute and try again.';

/** The server's own sentence: it already says what to change. */
const theirs = (error: Failure) => error.message;

const sentences: Record<ClientErrorCode, (error: Failure, context: Context) => string> = {
  NETWORK: () => 'The Warm Shower server cannot be reached. Check your connection and try again.',
  UNEXPECTED_REPLY: () =>
    'Something other than the Warm Shower server answered (a proxy or a wrong address). Reload the page, and if it goes on, ask whoever runs the server.',
  INVALID_INPUT: theirs,
  SELF_MESSAGE: () => 'You cannot send a warm shower to yourself.',
  UNAUTHORIZED: () => 'This tab’s pass to the session is no longer valid. Join the session again.',
  FORBIDDEN: theirs,
  CROSS_SITE: () => 'The server refused a request from this page’s address. Open the page from the server’s own address.',
  SESSION_NOT_FOUND: (_, { code }) =>
    code
      ? `There is no live session with the code ${code}. Check the six digits: it may also have ended or expired.`
      : 'This session is over: it ended or expired.',
  RECIPIENT_NOT_FOUND: () => 'That person is no longer in this session.',
  MESSAGE_NOT_FOUND: () => 'That warm shower is no longer there to thank.',
  NOT_FOUND: () => 'The server does not know that address. Reload the page.',
  ALREADY_SENT: (_, { name }) =>
    name ? `You have already sent a warm shower to ${name}: one each.` : 'You have already sent a warm shower to this person: one each.',
  NAME_TAKEN: (_, { name }) =>
    name ? `Someone in this session is already called “${name}”. Choose another name.` : 'Someone in this session already has that name. Choose another name.',
  SESSION_FULL: theirs,
  ALREADY_REVEALED: () => 'The warm showers have already been revealed.',
  ALREADY_THANKED: () => 'You have already thanked this one.',
  PAYLOAD_TOO_LARGE: () => 'That message is too long to send.',
  UNSUPPORTED_MEDIA_TYPE: () => 'The server did not understand this page’s request. Reload the page and try again.',
  MESSAGE_REFUSED: theirs,
  RATE_LIMITED: (error) => `Too many attempts from this network. ${wait(error.retryAfterSeconds)}`,
  TOO_MANY_STREAMS: () => 'This session is open in too many tabs or devices of yours. Close one and reload this page.',
  STORE_UNAVAILABLE: () => 'The server cannot reach its storage right now. Try again in a moment.',
  SERVER_BUSY: (error) => `The server is busy right now. ${wait(error.retryAfterSeconds)}`,
  INTERNAL_ERROR: () => 'The server ran into a problem of its own. Try again in a moment.',
};

const isFailure = (error: unknown): error is Failure =>
  error instanceof Error && typeof (error as { code?: unknown }).code === 'string';

/** What went wrong, as a sentence. Anything that is not a client error is a bug of this page. */
export function explain(error: unknown, context: Context = {}): string {
  if (!isFailure(error)) return 'Something went wrong on this page. Reload it and try again.';
  const sentence = sentences[error.code];
  // A newer server may send a code this page does not know: its own sentence is the best there is.
  return sentence ? sentence(error, context) : error.message || 'The server could not do that. Try again in a moment.';
}

/** The failure means the session is gone: ended, expired, or never there. */
export const sessionGone = (error: unknown): boolean => isFailure(error) && error.code === 'SESSION_NOT_FOUND';

/** The failure's code, if it has one. */
export const codeOf = (error: unknown): ClientErrorCode | null => (isFailure(error) ? error.code : null);

/**
 * How a session ended, as a sentence for the ended view. `byHost`: the reader holds the host
 * token, so an end by the host was theirs ("You ended it.").
 */
export function endingSentence(reason: 'ended' | 'expired' | 'lost', byHost = false): { title: string; lead: string } {
  switch (reason) {
    case 'ended':
      return { title: 'This session has ended', lead: `${byHost ? 'You' : 'The host'} ended it. Everything in it has been deleted from the server: the messages, the names and the code.` };
    case 'expired':
      return { title: 'This session has expired', lead: 'Its time ran out. Everything in it has been deleted from the server: the messages, the names and the code.' };
    case 'lost':
      return {
        title: 'This session is no longer on the server',
        lead: 'The server no longer knows it: it was ended while this page was away, or the server restarted. Nothing of it is left there.',
      };
  }
}
