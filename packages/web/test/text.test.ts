import { describe, expect, it } from 'vitest';
import { ApiError, explain } from '../src/api.js';
import { codePoints, formatRemaining, inboxAsMarkdown } from '../src/text.js';
import { normaliseCode } from '../src/views.js';

describe('text rules of the page', () => {
  it('counts characters as code points, like the API: an emoji is one', () => {
    expect(codePoints('👋🏽 hi')).toBe(5);
    expect('👋🏽 hi'.length).toBe(7);
  });

  it('shows the time left as h:mm:ss or m:ss, never below zero', () => {
    expect(formatRemaining(3_600_000)).toBe('1:00:00');
    expect(formatRemaining(65_000)).toBe('1:05');
    expect(formatRemaining(-5_000)).toBe('0:00');
  });

  it('accepts a code typed with spaces or a dash, and nothing but six digits', () => {
    expect(normaliseCode(' 042 917 ')).toBe('042917');
    expect(normaliseCode('042-917')).toBe('042917');
    expect(normaliseCode('42917')).toBeNull();
    expect(normaliseCode('04291a')).toBeNull();
  });

  it('saves the inbox as Markdown that quotes each message, so its own Markdown stays words', () => {
    const markdown = inboxAsMarkdown(
      [{ id: 'a', text: '# not a heading\nsecond line', receivedAt: '2026-01-01T10:00:00.000Z' }],
      '042917',
    );
    expect(markdown).toContain('> # not a heading\n> second line\n>\n> — Anonymous');
    expect(markdown).toContain('Session 042917');
  });

  it('turns a 429 into a sentence with the wait from Retry-After', () => {
    expect(explain(new ApiError('RATE_LIMITED', 429, 'x', 42))).toBe('Too many attempts from this network. Wait 42 seconds and try again.');
    expect(explain(new ApiError('NETWORK', 0, 'x'))).toMatch(/cannot be reached/);
  });
});
