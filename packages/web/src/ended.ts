// A kind ending: the session is over (ended, expired or lost), and a reader keeps what they
// received on screen, with Save and Print, until they leave the page or start again.
import { h, uid } from './dom.js';
import { messageList } from './inbox.js';
import { saveButtons } from './save.js';
import { endingSentence } from './sentences.js';
import type { SessionState } from './state.js';
import { onlyHereSentence } from './text.js';

/** A warm shower written and never delivered, with its recipient's name. */
export interface Undelivered {
  name: string;
  text: string;
}

export function endedView(
  state: SessionState,
  actions: { save(): void; print(): void; home(): void },
  undelivered: readonly Undelivered[] = [],
): HTMLElement {
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
  let unsentSection: HTMLElement | null = null;
  if (undelivered.length > 0) {
    const headingId = uid('h');
    const one = undelivered.length === 1;
    unsentSection = h('section', { class: 'card unsent', 'aria-labelledby': headingId },
      h('h2', { id: headingId }, one ? `Not delivered: your warm shower to ${undelivered[0]!.name}` : 'Not delivered: what you wrote'),
      h('p', { class: 'hint' },
        `The session ended before ${one ? 'it' : 'these'} reached ${one ? 'them' : 'their readers'}. ${one ? 'It is' : 'They are'} only on this screen: copy ${one ? 'it' : 'them'}, or say ${one ? 'it' : 'them'} in person.`),
      h('ul', { class: 'drafts' },
        ...undelivered.map(({ name, text }) =>
          h('li', { class: 'message' }, h('p', { class: 'message-text' }, text), h('p', { class: 'signature' }, `To ${name}`)),
        ),
      ),
    );
  }
  return h('div', { class: `${kept || unsentSection ? 'wide' : 'narrow'} stack ended`, 'data-view': 'ended' },
    h('h1', { tabindex: -1 }, title),
    h('p', { class: 'lead' }, lead),
    unsentSection,
    keptSection,
    h('p', null, 'Thank you for the warm words.'),
    again,
  );
}
