// The reader's warm showers as a Markdown file that reads as the page shows them: whatever
// Markdown or HTML people typed stays literal text once the file is rendered.
import type { Received } from './state.js';

// Every ASCII punctuation mark that Markdown (CommonMark and GitHub's) or inline HTML could give
// a meaning to; CommonMark lets any ASCII punctuation be escaped with a backslash.
const inline = /[\\`*_{}[\]()<>#+\-.!|~&=:"']/g;

/** One line of someone's text, escaped so that it renders as exactly these characters. */
export function escapeMarkdownLine(line: string): string {
  const escaped = line.replace(inline, (mark) => `\\${mark}`);
  // Leading spaces would make an indented code block: keep them visible as no-break spaces.
  return escaped.replace(/^[ \t]+/, (lead) => lead.replace(/\t/g, '    ').replace(/ /g, '\u00a0'));
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
