// The presenter view for a projector: the code in huge type, the QR code, the join URL and live
// counts, over the whole screen (browser full screen where allowed). Esc leaves it.
import { joinLink, spacedCode } from '@warmshower/core/protocol';
import { h, replace, setText, uid } from './dom.js';
import { nextStep, revealButton } from './host.js';
import { loopbackWarning } from './invite.js';
import type { Actions, Panel } from './panel.js';
import { qrSvg } from './qr.js';
import type { SessionState } from './state.js';
import { progressSentence, spokenCode } from './text.js';

export function presenterView(actions: Actions): Panel & { open(): void; close(): void } {
  const headingId = uid('h');
  const code = h('p', { class: 'presenter-code', 'aria-hidden': 'true' });
  const spoken = h('span', { class: 'sr-only' });
  const url = h('p', { class: 'presenter-url' });
  const qr = h('div', { class: 'presenter-qr' });
  const joined = h('p', { class: 'presenter-count' });
  const sent = h('p', { class: 'presenter-count' });
  const loopback = loopbackWarning();
  const warning = h('div', { class: 'presenter-warning', hidden: true }, loopback.element);
  const reveal = revealButton(actions, { apart: true });
  const done = nextStep({ ...actions, confirmEnd: () => (close(), actions.confirmEnd()) });
  const leave = h('button', { type: 'button', class: 'presenter-leave' }, 'Leave presenter view (Esc)');
  const element = h('div', { class: 'presenter', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': headingId, hidden: true },
    h('div', { class: 'presenter-grid' },
      qr,
      h('div', { class: 'presenter-side' },
        h('h2', { id: headingId, class: 'presenter-title' }, 'Join the warm shower', spoken),
        url,
        code,
        joined,
        sent,
        reveal.element,
        done.element,
        warning,
      ),
    ),
    leave,
  );
  // While it is open, the rest of the page is inert: focus and screen readers stay here.
  const rest = () => [...document.body.children].filter((child): child is HTMLElement => child !== element && child instanceof HTMLElement);
  let fullscreen = false;
  let shown = '';
  function close(): void {
    if (element.hidden) return;
    element.hidden = true;
    for (const child of rest()) child.inert = false;
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    fullscreen = false;
    opener?.focus();
  }
  let opener: HTMLElement | null = null;
  leave.addEventListener('click', close);
  element.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  });
  // Leaving browser full screen (Esc there is the browser's own) leaves the presenter view too.
  const onFullscreen = () => {
    if (document.fullscreenElement === element) fullscreen = true;
    else if (fullscreen) close();
  };
  document.addEventListener('fullscreenchange', onFullscreen);
  return {
    element,
    open() {
      if (!element.isConnected) document.body.append(element);
      opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      element.hidden = false;
      for (const child of rest()) child.inert = true;
      leave.focus();
      // The overlay covers the viewport in any case; full screen hides the browser's frame too.
      element.requestFullscreen?.().catch(() => undefined);
    },
    close,
    dispose() {
      close();
      document.removeEventListener('fullscreenchange', onFullscreen);
      element.remove();
    },
    render(state) {
      setText(code, spacedCode(state.code));
      setText(spoken, `, code ${spokenCode(state.code)}`);
      const link = state.joinUrl ? joinLink(state.joinUrl, state.code) : '';
      setText(url, link);
      if (link !== shown) {
        shown = link;
        replace(qr, link ? qrSvg(link, `QR code of the join link for session ${state.code}`) : '');
      }
      warning.hidden = !state.joinUrlIsLoopback;
      loopback.render(state.joinUrl);
      const n = state.participants.length;
      setText(joined, `${n} ${n === 1 ? 'person' : 'people'} joined`);
      const progress = state.progress;
      setText(sent, progressSentence(progress));
      reveal.render(state);
      done.render(state);
      if (state.ended) close();
    },
  };
}
