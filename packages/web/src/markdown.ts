// The reader's warm showers as a Markdown file that reads as the page shows them: whatever
// Markdown or HTML people typed stays literal text once the file is rendered.
import type { Received } from './state.js';

// Marks that mean something anywhere in a line (emphasis, code, links, images, HTML, entities,
// strikethrough, tables, quotes); CommonMark lets any ASCII punctuation be escaped with a backslash.
const inline = /[\\`*_[\]<>&~|]/g;
// Marks that mean something only at the start of a line: headings, lists, setext underlines.
const lineStart = /^([#+=-]|\d+(?=[.)]))/;

/** One line of someone's text, escaped so that it renders as exactly these characters. */
export function escapeMarkdownLine(line: string): string {
  const escaped = line
    .replace(inline, (mark) => `\\${mark}`)
    .replace(/^([ \t]*)(.*)$/, (_, lead: string, rest: string) =>
      // Leading spaces would make an indented code block: keep them visible as no-break spaces.
      lead.replace(/\t/g, '    ').replace(/ /g, '\u00a0') +
      rest.replace(lineStart, (mark: string) => (/^\d/.test(mark) ? `${mark}\\` : `\\${mark}`)));
  return escaped;
}

/** One message as a block quote; a backslash at the end of a line keeps its line break. */
export function quote(text: string): string[] {
  const lines = text.split(/\r?\n/);
  return lines.map((line, i) => {
    if (line.trim() === '') return '>';
    const next = lines[i + 1];
    const hardBreak = next !== undefined && next.trim() !== '';
    return `> ${escapeMarkdownLine(line)}${hardBreak ? '\\' : ''}`;
  });
}

/** The received messages, oldest first, as a Markdown document the reader keeps. */
export function inboxAsMarkdown(messages: readonly Received[], code: string, now = new Date()): string {
  const lines = ['# My warm showers', '', `Session ${code}, saved ${escapeMarkdownLine(now.toLocaleString())}.`, ''];
  if (messages.length === 0) lines.push('_No messages yet._', '');
  const oldestFirst = [...messages].sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0));
  for (const message of oldestFirst) {
    const when = escapeMarkdownLine(new Date(message.receivedAt).toLocaleString());
    lines.push(...quote(message.text ?? '(This warm shower could not be decrypted.)'), '>', `> — Anonymous, ${when}`, '');
  }
  return lines.join('\n');
}
