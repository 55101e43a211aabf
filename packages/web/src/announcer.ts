import { h, setText } from './dom.js';

/** A polite live region for sentences a screen reader should hear once. */
export function announcer(): { element: HTMLElement; say(text: string): void } {
  const element = h('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
  let timer: number | undefined;
  return {
    element,
    say(text) {
      // Clearing first makes a repeated sentence be read again.
      setText(element, '');
      window.clearTimeout(timer);
      timer = window.setTimeout(() => setText(element, text), 50);
    },
  };
}
