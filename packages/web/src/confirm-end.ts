// "End this session for everyone?": End is final, so it asks first.
import { h, showText, uid } from './dom.js';
import type { Actions, Panel } from './panel.js';

export function confirmEndDialog(actions: Actions): Panel & { element: HTMLDialogElement; open(): void } {
  const headingId = uid('h');
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const keep = h('button', { type: 'button', autofocus: true }, 'Keep it open');
  const yes = h('button', { type: 'button', class: 'danger' }, 'End session for everyone');
  const element = h('dialog', { class: 'dialog', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, 'End this session for everyone?'),
    h('p', null, 'All messages, names and the code are deleted at once. Anyone who has not saved their warm showers keeps only what is still on their screen.'),
    error,
    h('div', { class: 'actions' }, keep, yes),
  );
  keep.addEventListener('click', () => element.close());
  yes.addEventListener('click', () => void actions.end());
  return {
    element,
    open() {
      showText(error, null);
      if (!element.open) element.showModal();
    },
    render(state) {
      yes.disabled = Boolean(state.busy.end);
      showText(error, state.problems.end);
      if (state.ended && element.open) element.close();
    },
  };
}
