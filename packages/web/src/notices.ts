// Banners above the session: the connection, and the expiry warning with what to do about it.
import { h, showText, uid } from './dom.js';
import type { Actions, Panel } from './panel.js';
import type { SessionState } from './state.js';
import { durations, formatTime } from './text.js';

/** "Connection lost. Reconnecting…" while a stream is away; a lasting problem stays. */
export function connectionPanel(): Panel & { fail(sentence: string): void } {
  const element = h('p', { class: 'banner', role: 'status', hidden: true });
  let stuck: string | null = null;
  let last: SessionState | null = null;
  const show = (state: SessionState | null) => {
    const away = state ? Object.values(state.streams).some((s) => s === 'reconnecting') : false;
    const why = state?.streamRefusal;
    showText(element, stuck ?? (away ? (why ? `Live updates are refused: ${why} Trying again…` : 'Connection lost. Reconnecting…') : null));
  };
  return {
    element,
    fail(sentence) {
      stuck = sentence;
      show(last);
    },
    render(state) {
      last = state;
      show(state);
    },
  };
}

/** Time the host can add to what is left of the session (rule 10). */
const extensions = durations.filter(([seconds]) => seconds <= 7200);

/** The host's "keep it open for another …" control. */
export function extendControl(actions: Actions): { element: HTMLElement; render(state: SessionState): void } {
  const selectId = uid('extend');
  const select = h('select', { id: selectId },
    ...extensions.map(([seconds, label]) => h('option', { value: seconds, selected: seconds === 900 }, label)));
  const button = h('button', { type: 'button', class: 'extend-button' }, 'Extend');
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  button.addEventListener('click', () => actions.extend(Number(select.value)));
  const element = h('div', { class: 'extend stack' },
    h('div', { class: 'extend-row' }, h('label', { for: selectId }, 'Keep it open for another'), select, button),
    error);
  return {
    element,
    render(state) {
      button.disabled = Boolean(state.busy.extend);
      showText(error, state.problems.extend);
    },
  };
}

/** On `expiring`: a warning everyone sees and hears, with Save for readers and Extend for the host. */
export function warningPanel(actions: Actions): Panel {
  // The sentence alone is the alert: it is read out when it appears, the controls are not.
  const text = h('p', { class: 'warning-text', role: 'alert' });
  const save = h('button', { type: 'button', class: 'primary' }, 'Save your messages');
  save.addEventListener('click', () => actions.save());
  const extend = extendControl(actions);
  const element = h('section', { class: 'card warning', 'aria-label': 'The session ends soon', hidden: true },
    text, save, extend.element);
  return {
    element,
    render(state) {
      element.hidden = !state.warning;
      if (!state.warning) return showText(text, null);
      const reader = state.me !== null;
      showText(text, `This session ends soon, at ${formatTime(state.warning.expiresAt)}: then everything in it is deleted.${reader ? ' Save your warm showers now to keep them.' : ''}`);
      save.hidden = !reader;
      save.disabled = state.inbox.length === 0;
      extend.element.hidden = !state.host;
      extend.render(state);
    },
  };
}
