// A kind ending: the session is over (ended, expired or lost), and a reader keeps what they
// received on screen, with Save and Print, until they leave the page or start again.
import { h, uid } from './dom.js';
import { messageList } from './inbox.js';
import { saveButtons } from './save.js';
import { endingSentence } from './sentences.js';
import type { SessionState } from './state.js';
import { onlyHereSentence } from './text.js';

export function endedView(state: SessionState, actions: { save(): void; print(): void; home(): void }): HTMLElement {
  const reason = state.ended ?? 'lost';
  const { title, lead } = endingSentence(reason, state.host);
  const again = h('button', { type: 'button', class: 'primary' }, 'Start a new session');
  again.addEventListener('click', () => actions.home());
  const kept = state.inbox.length > 0;
  let keptSection: HTMLElement | null = null;
  if (kept) {
    const headingId = uid('h');
    const list = messageList();
    list.render(state);
    const save = saveButtons(actions);
    save.render(state.inbox.length);
    keptSection = h('section', { class: 'card inbox-panel kept', 'aria-labelledby': headingId },
      h('div', { class: 'inbox-head' }, h('h2', { id: headingId }, 'Your warm showers ', h('span', { class: 'count' }, `(${state.inbox.length})`)), save.element),
      h('p', { class: 'hint' },
        `${onlyHereSentence(state.inbox.length)} Download or print ${state.inbox.length === 1 ? 'it' : 'them'} before you leave this page: nothing of the session is kept anywhere after that.`),
      list.element,
    );
  }
  return h('div', { class: `${kept ? 'wide' : 'narrow'} stack ended`, 'data-view': 'ended' },
    h('h1', { tabindex: -1 }, title),
    h('p', { class: 'lead' }, lead),
    keptSection,
    h('p', null, 'Thank you for the warm words.'),
    again,
  );
}
