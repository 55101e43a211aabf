import { WarmshowerClientError, type ClientErrorCode } from '@warmshower/client';
import { errorCodes } from '@warmshower/core/protocol';
import { describe, expect, it } from 'vitest';
import { endingSentence, explain } from '../src/sentences.js';
import { formatRemaining, onlyHereSentence } from '../src/text.js';

const failure = (code: ClientErrorCode, message = 'The server’s sentence.', retryAfterSeconds?: number) =>
  new WarmshowerClientError(code, message, { status: 400, ...(retryAfterSeconds ? { retryAfterSeconds } : {}) });

describe('every failure reads as a sentence', () => {
  it('has a sentence for every code of the API and of the client', () => {
    for (const code of [...errorCodes, 'NETWORK', 'UNEXPECTED_REPLY'] as ClientErrorCode[]) {
      const sentence = explain(failure(code));
      expect(sentence, code).toMatch(/^[A-Z“].*[.!]$/);
      expect(sentence, code).not.toMatch(/undefined|\[object/);
    }
  });

  it('the client’s own failures: the server unreachable, and something else answering', () => {
    expect(explain(failure('NETWORK', 'Cannot reach the Warm Shower server at http://x: the connection was refused.'))).toBe(
      'The Warm Shower server cannot be reached. Check your connection and try again.',
    );
    expect(explain(failure('UNEXPECTED_REPLY'))).toMatch(/^Something other than the Warm Shower server answered/);
  });

  it('a 429 gives the wait from Retry-After', () => {
    expect(explain(failure('RATE_LIMITED', 'x', 42))).toBe('Too many attempts from this network. Wait 42 seconds and try again.');
    expect(explain(failure('RATE_LIMITED', 'x', 1))).toBe('Too many attempts from this network. Wait 1 second and try again.');
    expect(explain(failure('RATE_LIMITED'))).toBe('Too many attempts from this network. Wait a minute and try again.');
  });

  it('names the code or the name it is about', () => {
    expect(explain(failure('SESSION_NOT_FOUND'), { code: '042917' })).toMatch(/no live session with the code 042917/);
    expect(explain(failure('NAME_TAKEN'), { name: 'cleo' })).toBe('Someone in this session is already called “cleo”. Choose another name.');
    expect(explain(failure('ALREADY_SENT'), { name: 'Cleo' })).toBe('You have already sent a warm shower to Cleo: one each.');
  });

  it('a refused message shows the server’s reason; core’s sentences pass through', () => {
    expect(explain(failure('MESSAGE_REFUSED', 'This warm shower was refused: it uses a word this team asked to avoid.'))).toBe(
      'This warm shower was refused: it uses a word this team asked to avoid.',
    );
    expect(explain(failure('INVALID_INPUT', 'A warm shower needs some text.'))).toBe('A warm shower needs some text.');
  });

  it('a code this page does not know yet keeps the server’s sentence; anything else is the page’s bug', () => {
    expect(explain(failure('BRAND_NEW' as ClientErrorCode, 'A new sentence.'))).toBe('A new sentence.');
    expect(explain(new TypeError('x is undefined'))).toBe('Something went wrong on this page. Reload it and try again.');
  });

  it('says which of the three endings happened', () => {
    expect(endingSentence('ended').title).toBe('This session has ended');
    expect(endingSentence('expired').title).toBe('This session has expired');
    expect(endingSentence('lost').title).toBe('This session is no longer on the server');
  });

  it('the host who ended it reads "You ended it."; everyone else "The host ended it."', () => {
    expect(endingSentence('ended', true).lead).toMatch(/^You ended it\. /);
    expect(endingSentence('ended').lead).toMatch(/^The host ended it\. /);
    expect(endingSentence('expired', true).lead).toMatch(/^Its time ran out\. /);
  });

  it('the kept warm showers are counted in the right number: one, or many', () => {
    expect(onlyHereSentence(1)).toBe('This warm shower is only on this screen now.');
    expect(onlyHereSentence(3)).toBe('These 3 warm showers are only on this screen now.');
  });

  it('shows the time left as h:mm:ss or m:ss, never below zero', () => {
    expect(formatRemaining(3_600_000)).toBe('1:00:00');
    expect(formatRemaining(65_000)).toBe('1:05');
    expect(formatRemaining(-5_000)).toBe('0:00');
  });
});
