// The write dialog: a real <dialog>, a counter in code points, core's sentence for a text the rules
// refuse, the server's for one it refuses (screening), and the draft kept until it is sent.
import { codePoints, limits } from '@warmshower/core/protocol';
import { h, setText, showText, uid } from './dom.js';
import type { Actions, Panel } from './panel.js';
import { held, nameOf, type SessionState } from './state.js';

/** A text written in the dialog and not (yet) delivered: the draft for one recipient. */
export interface Draft {
  to: string;
  text: string;
}

export function writeDialog(
  actions: Actions,
  onClose: (to: string) => void,
): Panel & { element: HTMLDialogElement; open(to: string): void; unsent(): Draft[] } {
  const headingId = uid('h');
  const textId = uid('text');
  const counterId = uid('counter');
  const errorId = uid('error');
  const heading = h('h2', { id: headingId });
  const note = h('p', { class: 'hint' });
  const textarea = h('textarea', { id: textId, rows: 7, 'aria-describedby': `${counterId} ${errorId}` });
  const counter = h('p', { class: 'counter', id: counterId });
  const error = h('p', { class: 'form-error', id: errorId, role: 'alert', hidden: true });
  const cancel = h('button', { type: 'button' }, 'Cancel');
  const heldId = uid('held');
  const heldNote = h('p', { class: 'hint held-note', id: heldId, hidden: true },
    'It waits until the host reveals the warm showers; then it arrives with all the others.');
  const send = h('button', { type: 'submit', class: 'primary' }, 'Send');
  const form = h('form', { class: 'stack' },
    heading,
    note,
    h('div', { class: 'field' }, h('label', { for: textId }, 'Your message'), textarea, counter),
    error,
    heldNote,
    h('div', { class: 'actions' }, cancel, send),
  );
  const element = h('dialog', { class: 'dialog write-dialog', 'aria-labelledby': headingId }, form);
  const drafts = new Map<string, string>();
  let to: string | null = null;
  let failed = false;
  let last: SessionState | null = null;

  const count = () => {
    const used = codePoints(textarea.value.trim());
    setText(counter, `${used} / ${limits.maxText}`);
    counter.classList.toggle('over', used > limits.maxText);
    if (to) drafts.set(to, textarea.value);
  };
  textarea.addEventListener('input', count);
  cancel.addEventListener('click', () => element.close());
  // While a send is under way it cannot be taken back: Esc waits for it as Cancel does.
  element.addEventListener('cancel', (event) => {
    if (last?.busy.write) event.preventDefault();
  });
  element.addEventListener('close', () => {
    const id = to;
    to = null;
    if (id) onClose(id);
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const recipient = to;
    if (!recipient) return;
    failed = false;
    const sent = await actions.write(recipient, textarea.value);
    if (sent) drafts.delete(recipient);
    if (to !== recipient) return; // closed meanwhile (the session ended)
    if (sent) {
      element.close();
    } else {
      failed = true; // the sentence is in the state now; the draft stays
      if (last) render(last);
      textarea.focus();
    }
  });

  function render(state: SessionState): void {
    last = state;
    const sending = Boolean(state.busy.write);
    send.disabled = sending;
    // What is being sent is what was in the box: it cannot be cancelled or changed halfway.
    cancel.disabled = sending;
    textarea.readOnly = sending;
    setText(send, sending ? 'Sending…' : 'Send');
    showText(error, failed ? state.problems.write : null);
    heldNote.hidden = !held(state); // a reveal session, before the reveal
    if (heldNote.hidden) send.removeAttribute('aria-describedby');
    else send.setAttribute('aria-describedby', heldId);
    if (state.ended && element.open) element.close();
  }

  return {
    element,
    render,
    unsent: () => [...drafts].filter(([, text]) => text.trim() !== '').map(([id, text]) => ({ to: id, text })),
    open(id) {
      if (!last) return;
      const name = nameOf(last, id);
      to = id;
      failed = false;
      setText(heading, `A warm shower for ${name}`);
      setText(note, `${name} will see it signed “Anonymous”, never your name. One message each: say what you appreciate about them.${
        last.encryption === 'e2e' ? ' It is encrypted on this device: only they can read it.' : ''}`);
      textarea.value = drafts.get(id) ?? '';
      count();
      render(last);
      element.showModal();
      textarea.focus();
    },
  };
}
