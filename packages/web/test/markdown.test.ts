import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { escapeMarkdownLine, inboxAsMarkdown } from '../src/markdown.js';

// CommonMark with raw HTML allowed (the worst case for a viewer), plus GitHub's strikethrough and tables.
const render = (markdown: string) => new MarkdownIt({ html: true, linkify: false }).render(markdown);
/** What a reader sees of rendered HTML: its text, entities decoded, tags gone. */
const seen = (html: string) =>
  html.replace(/<br\s*\/?>\n?/g, '\n').replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\u00a0/g, ' ');

const tricky = [
  '*not bold* and _not italic_',
  '<b>not bold</b> <img src=x onerror=alert(1)>',
  '# not a heading',
  '[not a link](https://example.org)',
  '`not code` ~~not struck~~ | not | a | table |',
  '1. not a list',
  '- not a list either',
  '> not a quote',
  '&copy; stays &amp; as typed',
  '    four spaces are not code',
  'back\\slash and trailing backslash\\',
  '---',
  'Setext?\n===',
  '  # an indented hash',
  '2) not a list, + not one either',
  '+ plus',
  'a: b = c "quoted" (paren) {brace} 1.5!',
];

describe('the Markdown file of a reader’s warm showers', () => {
  for (const text of tricky) {
    it(`renders ${JSON.stringify(text)} as exactly those words`, () => {
      const file = inboxAsMarkdown([{ id: 'a', text, receivedAt: '2026-01-01T10:00:00.000Z', thanked: false }], '042917');
      const html = render(file);
      expect(html).not.toMatch(/<(b|img|em|strong|h[2-6]|a|code|del|table|ol|ul|hr|pre)\b/);
      const quoted = /<blockquote>\n<p>([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '';
      expect(seen(quoted).trim()).toBe(text.trim());
    });
  }

  it('keeps line breaks, quotes each message and signs it Anonymous, oldest first', () => {
    const file = inboxAsMarkdown(
      [
        { id: 'b', text: 'later', receivedAt: '2026-01-01T11:00:00.000Z', thanked: false },
        { id: 'a', text: 'first line\nsecond line', receivedAt: '2026-01-01T10:00:00.000Z', thanked: false },
      ],
      '042917',
    );
    expect(file).toContain('> first line\\\n> second line\n>\n> — Anonymous');
    expect(file.indexOf('first line')).toBeLessThan(file.indexOf('later'));
    expect(file).toContain('Session 042917');
    expect(render(file)).toContain('first line<br>\nsecond line');
  });

  it('says so for a warm shower that could not be decrypted', () => {
    expect(inboxAsMarkdown([{ id: 'a', text: null, receivedAt: '2026-01-01T10:00:00.000Z', thanked: false }], '042917')).toContain('could not be decrypted');
  });

  it('escapes every mark, not only the first', () => {
    expect(escapeMarkdownLine('**a** <b>')).toBe('\\*\\*a\\*\\* \\<b\\>');
  });
});
