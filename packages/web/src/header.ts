// The session's heading, its code and the countdown to its end.
import { spacedCode } from '@warmshower/core/protocol';
import { h, setText } from './dom.js';
import type { Panel } from './panel.js';
import type { SessionState } from './state.js';
import { describeRemaining, formatRemaining } from './text.js';

export function headerPanel(): Panel & { tick(): void } {
  const heading = h('h1', { tabindex: -1 });
  const code = h('strong', { class: 'session-code' });
  const countdown = h('time', { class: 'countdown-value' });
  const label = h('span', { class: 'sr-only' });
  const box = h('span', { class: 'countdown' },
    h('span', { 'aria-hidden': 'true' }, 'Ends in '), h('span', { 'aria-hidden': 'true' }, countdown), label);
  const element = h('div', { class: 'session-bar' }, heading, h('p', { class: 'session-meta' }, h('span', { class: 'chip' }, 'Session ', code), box));
  let expiresAt = 0;
  const tick = () => {
    const left = expiresAt - Date.now();
    setText(countdown, formatRemaining(left));
    setText(label, describeRemaining(left));
    box.classList.toggle('soon', left < 5 * 60_000);
  };
  return {
    element,
    tick,
    render(state: SessionState) {
      setText(heading, state.me ? `Hello, ${state.me.displayName}` : 'Your session is open');
      setText(code, spacedCode(state.code));
      const next = Date.parse(state.expiresAt);
      if (next !== expiresAt) {
        expiresAt = next;
        countdown.setAttribute('datetime', new Date(expiresAt).toISOString());
        tick();
      }
    },
  };
}
