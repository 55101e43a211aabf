// The host's panel: invitation, progress, Reveal, the next step once everyone has written, the
// presenter view, more time, joining too, and End.
import { busy, h, replace, setText, showText } from './dom.js';
import { invitePanel } from './invite.js';
import { nameField } from './name-field.js';
import { extendControl } from './notices.js';
import type { Actions, Panel } from './panel.js';
import { allWritten, held, type SessionState } from './state.js';
import { progressSentence } from './text.js';

/**
 * "Reveal the warm showers (5 waiting)": the host's button in a reveal session. One that stands
 * apart (`apart`) steps aside once everyone has written: the next-step box offers it then.
 */
export function revealButton(actions: Actions, { apart = false } = {}): { element: HTMLButtonElement; render(state: SessionState): void } {
  const element = h('button', { type: 'button', class: 'primary reveal-button' });
  element.addEventListener('click', () => actions.reveal());
  return {
    element,
    render(state) {
      element.hidden = !held(state) || (apart && allWritten(state));
      const waiting = state.progress?.sent ?? 0;
      setText(element, state.busy.reveal ? 'Revealing…' : `Reveal the warm showers (${waiting} waiting)`);
      // Nothing to reveal yet: a reveal now would only turn the session live by accident.
      element.disabled = Boolean(state.busy.reveal) || waiting === 0;
    },
  };
}

/** When everyone has written to everyone: say so, and offer End (or Reveal first). */
export function nextStep(actions: Actions): { element: HTMLElement; render(state: SessionState): void } {
  const sentence = h('p', { class: 'all-done-text' });
  const reveal = revealButton(actions);
  const end = h('button', { type: 'button', class: 'danger' }, 'End session');
  end.addEventListener('click', () => actions.confirmEnd());
  const element = h('div', { class: 'all-done', hidden: true }, sentence, reveal.element, end);
  return {
    element,
    render(state) {
      element.hidden = !allWritten(state);
      reveal.render(state);
      end.hidden = held(state);
      setText(sentence, held(state)
        ? 'Everyone has written to everyone. Reveal the warm showers: everyone receives theirs at once.'
        : 'Everyone has written to everyone. When people have read and saved theirs, end the session.');
    },
  };
}

export function hostPanel(actions: Actions): Panel {
  const invite = invitePanel();
  const progressText = h('p', { class: 'big-number' });
  const progressBar = h('progress', { max: 1, value: 0, 'aria-label': 'Warm showers sent' });
  const presenceText = h('p', { class: 'muted' });
  const people = h('ul', { class: 'chips', 'aria-label': 'People in the session' });
  const reveal = revealButton(actions, { apart: true });
  const revealHint = h('p', { class: 'hint' }, 'Held until you reveal them: nobody has received anything yet.');
  const revealedNote = h('p', { class: 'hint', hidden: true },
    'Revealed: everyone has received theirs. From now on, warm showers arrive as they are written.');
  const done = nextStep(actions);
  const presenter = h('button', { type: 'button' }, 'Presenter view');
  presenter.addEventListener('click', () => actions.presenter());
  const extend = extendControl(actions);
  const end = h('button', { type: 'button', class: 'danger' }, 'End session');
  end.addEventListener('click', () => actions.confirmEnd());

  const joinError = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const name = nameField('');
  const nameInput = name.input;
  const joinButton = h('button', { type: 'submit', class: 'primary' }, 'Join as a participant too');
  const joinToo = h('form', { class: 'join-too stack' },
    h('p', { class: 'muted' }, 'Hosting is not taking part. To write and receive warm showers yourself, join too.'),
    name.element,
    joinError,
    joinButton,
  );
  joinToo.addEventListener('submit', (event) => {
    event.preventDefault();
    void actions.joinToo(nameInput.value);
  });

  const endRow = h('div', { class: 'end-row' }, end, h('span', { class: 'hint' }, 'Deletes everything, for everyone.'));

  const element = h('section', { class: 'card host', 'aria-label': 'Host' },
    invite.element,
    h('div', { class: 'host-status stack' },
      h('h2', null, 'Progress'),
      progressText,
      progressBar,
      presenceText,
      people,
      reveal.element,
      revealHint,
      revealedNote,
      done.element,
      h('div', { class: 'host-tools' }, presenter),
      extend.element,
      joinToo,
      endRow,
    ),
  );
  let chips = '';
  return {
    element,
    render(state) {
      invite.render(state, null);
      const progress = state.progress;
      setText(progressText, progressSentence(progress));
      progressText.classList.toggle('big-number', Boolean(progress && progress.possible > 0));
      progressBar.max = Math.max(1, progress?.possible ?? 0);
      progressBar.value = progress?.sent ?? 0;
      progressBar.hidden = !progress || progress.possible === 0;
      const all = [...state.participants].sort((a, b) => a.displayName.localeCompare(b.displayName));
      const online = all.filter((p) => p.online).length;
      setText(presenceText, all.length === 0 ? 'No one has joined yet.' : `${all.length} joined · ${online} online now`);
      // The host who joined sees everyone in their own list already.
      people.hidden = state.me !== null;
      const key = JSON.stringify(all.map((p) => [p.id, p.displayName, p.online]));
      if (key !== chips) {
        chips = key;
        replace(people, ...all.map((p) =>
          h('li', { class: 'chip' }, h('span', { class: `dot${p.online ? ' online' : ''}`, 'aria-hidden': 'true' }), p.displayName,
            h('span', { class: 'sr-only' }, p.online ? ' (online)' : ' (offline)'))));
      }
      reveal.render(state);
      revealHint.hidden = !held(state);
      revealedNote.hidden = !(state.delivery === 'reveal' && state.revealed);
      done.render(state);
      // Once everyone is done, the sentence above offers End: one End button, not two.
      endRow.hidden = allWritten(state) && !held(state);
      extend.render(state);
      joinToo.hidden = state.me !== null;
      busy(joinButton, state.busy.join ? 'Joining…' : null);
      showText(joinError, state.problems.join);
    },
  };
}
