// Keeping one's warm showers: a Markdown file made in the browser, or the print view.
import { h, uid } from './dom.js';
import { inboxAsMarkdown } from './markdown.js';
import type { Received } from './state.js';

/** Downloads the messages as `warm-showers-<code>.md`; nothing leaves the browser. */
export function downloadMarkdown(messages: readonly Received[], code: string): void {
  const blob = new Blob([inboxAsMarkdown(messages, code)], { type: 'text/markdown;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: `warm-showers-${code}.md`, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The Download and Print buttons, disabled while there is nothing to keep; `why` is the visible
 * line that says so, and the buttons are described by it meanwhile.
 */
export function saveButtons(actions: { save(): void; print(): void }): {
  element: HTMLElement;
  why: HTMLElement;
  render(count: number): void;
} {
  const download = h('button', { type: 'button', class: 'save-download' }, 'Download');
  const print = h('button', { type: 'button' }, 'Print');
  download.addEventListener('click', () => actions.save());
  print.addEventListener('click', () => actions.print());
  const element = h('div', { class: 'save', role: 'group', 'aria-label': 'Save your warm showers' }, download, print);
  const why = h('p', { class: 'hint save-why', id: uid('why'), hidden: true },
    'Nothing to download or print yet: these buttons work once a warm shower has arrived.');
  return {
    element,
    why,
    render(count) {
      const none = count === 0;
      why.hidden = !none;
      for (const button of [download, print]) {
        button.disabled = none;
        if (none) button.setAttribute('aria-describedby', why.id);
        else button.removeAttribute('aria-describedby');
      }
    },
  };
}
