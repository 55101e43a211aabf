// "Your warm showers": received messages, newest first, signed "Anonymous", each with Thank; the
// waiting state of a reveal session; Download and Print; a cue when one arrives off-screen.
import { h, setText, showText, uid } from './dom.js';
import type { Actions, Panel } from './panel.js';
import { saveButtons } from './save.js';
import { held, newestFirst, type Received, type SessionState } from './state.js';
import { formatTime, showers } from './text.js';

/** The list of received messages; with `thank`, each has a Thank button. */
export function messageList(thank?: (id: string) => void): { element: HTMLOListElement; render(state: SessionState): void } {
  const element = h('ol', { class: 'inbox' });
  const items = new Map<string, { li: HTMLLIElement; button: HTMLButtonElement | null }>();
  const item = (message: Received) => {
    const button = thank ? h('button', { type: 'button', class: 'thank-button' }) : null;
    button?.addEventListener('click', () => thank?.(message.id));
    const text = message.text === null
      ? h('p', { class: 'message-text unreadable' }, 'This warm shower could not be decrypted.')
      : h('p', { class: 'message-text' }, message.text);
    const li = h('li', { class: 'message', 'data-id': message.id },
      text,
      h('div', { class: 'message-foot' },
        h('p', { class: 'signature' }, '— Anonymous',
          h('span', { class: 'muted' }, ' · ', h('time', { datetime: message.receivedAt }, formatTime(message.receivedAt)))),
        button),
    );
    return { li, button };
  };
  return {
    element,
    render(state) {
      const sorted = newestFirst(state);
      sorted.forEach((message, index) => {
        let entry = items.get(message.id);
        if (!entry) {
          entry = item(message);
          items.set(message.id, entry);
        }
        if (element.children[index] !== entry.li) element.insertBefore(entry.li, element.children[index] ?? null);
        if (entry.button) {
          entry.button.disabled = message.thanked || Boolean(state.busy.thank);
          setText(entry.button, message.thanked ? 'Thanked' : 'Thank');
          entry.button.setAttribute('aria-label', message.thanked ? 'Thanked' : 'Thank the writer of this warm shower');
        }
      });
    },
  };
}

export function inboxPanel(actions: Actions, options: { say(text: string): void }): Panel {
  const headingId = uid('h');
  const count = h('span', { class: 'count' });
  const empty = h('p', { class: 'empty' });
  const list = messageList((id) => actions.thank(id));
  const problem = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const save = saveButtons(actions);
  // New messages are read out as they arrive: the list is a polite live region.
  list.element.setAttribute('aria-live', 'polite');
  list.element.setAttribute('aria-relevant', 'additions');
  list.element.setAttribute('aria-labelledby', headingId);
  const element = h('section', { class: 'card inbox-panel', 'aria-labelledby': headingId },
    h('div', { class: 'inbox-head' }, h('h2', { id: headingId }, 'Your warm showers ', count), save.element),
    save.why,
    h('p', { class: 'hint' }, 'Only you can read these. Save them before the session ends: then everything is deleted.'),
    empty, problem, list.element,
  );
  // On a phone the inbox may be below the fold: a cue that scrolls to what just arrived.
  const cue = h('button', { type: 'button', class: 'new-cue', hidden: true }, 'New warm shower ', h('span', { 'aria-hidden': 'true' }, '↓'));
  let inView = true;
  const observer = new IntersectionObserver((entries) => {
    inView = entries.some((entry) => entry.isIntersecting);
    if (inView) cue.hidden = true;
  });
  observer.observe(list.element);
  cue.addEventListener('click', () => {
    cue.hidden = true;
    const newest = list.element.firstElementChild as HTMLElement | null;
    newest?.setAttribute('tabindex', '-1');
    newest?.scrollIntoView({ block: 'center' });
    newest?.focus({ preventScroll: true });
  });
  // The stream first replays the whole inbox (after a reload, or coming back to the session):
  // show it, and say how many there are once, rather than reading every old message aloud again.
  let muted = true;
  let latest: SessionState | null = null;
  list.element.setAttribute('aria-live', 'off');
  return {
    element: h('div', { class: 'inbox-wrap' }, element, cue),
    dispose: () => observer.disconnect(),
    render(state, previous) {
      latest = state;
      if (muted && state.ready) {
        muted = false;
        window.setTimeout(() => {
          list.element.setAttribute('aria-live', 'polite');
          const count = latest?.inbox.length ?? 0;
          if (count > 0) options.say(`You have ${showers(count)}.`);
        }, 1000);
      }
      list.render(state);
      setText(count, state.inbox.length ? `(${state.inbox.length})` : '');
      showText(empty, state.inbox.length > 0 ? null : held(state)
        ? 'Your warm showers will appear when the host reveals them.'
        : 'Nothing yet. Warm showers appear here the moment someone writes them.');
      showText(problem, state.problems.thank);
      save.render(state.inbox.length);
      const arrived = previous !== null && state.inbox.length > previous.inbox.length && previous.ready;
      if (arrived && !inView) cue.hidden = false;
    },
  };
}
