// "Write to your team": everyone else with presence, a write button each, "2 of 4 sent", and the
// thank-you once core says I have written to everyone.
import { h, setText, uid } from './dom.js';
import type { Actions, Panel } from './panel.js';
import { others, type SessionState } from './state.js';

interface Row {
  li: HTMLLIElement;
  dot: HTMLSpanElement;
  name: HTMLSpanElement;
  state: HTMLSpanElement;
  action: HTMLElement;
}

export function peoplePanel(actions: Actions): Panel & { focusAfterWrite(id: string): void } {
  const headingId = uid('h');
  const thanksHeading = uid('h');
  const sentLine = h('p', { class: 'sent-line' });
  const sentBar = h('progress', { max: 1, value: 0, 'aria-hidden': 'true' });
  const showList = h('button', { type: 'button', class: 'link-button' });
  const thanks = h('div', { class: 'thanks', hidden: true, tabindex: -1, 'aria-labelledby': thanksHeading, role: 'region' },
    h('p', { class: 'thanks-icon', 'aria-hidden': 'true' }, '☀'),
    h('h3', { id: thanksHeading }, 'Thank you!'),
    h('p', null, 'You have written to everyone. Somewhere in this meeting, someone is reading your words and smiling.'),
    showList,
  );
  const filterId = uid('filter');
  const filterInput = h('input', { id: filterId, type: 'search', autocomplete: 'off' });
  const filterBox = h('div', { class: 'field filter', hidden: true }, h('label', { for: filterId }, 'Find a person'), filterInput);
  const noMatch = h('p', { class: 'muted', hidden: true });
  const alone = h('p', { class: 'empty' }, 'No one else is here yet. As people join, they appear here for you to write to.');
  const people = h('ul', { class: 'people', 'aria-labelledby': headingId });
  const rows = new Map<string, Row>();
  let listOpen = true;
  let shownComplete = false;
  let last: SessionState | null = null;

  const element = h('section', { class: 'card write', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, 'Write to your team'),
    h('div', { class: 'sent-progress' }, sentLine, sentBar),
    thanks, filterBox, alone, people, noMatch,
  );

  const writeButton = (id: string, name: string): HTMLButtonElement => {
    const button = h('button', { type: 'button', class: 'write-button', 'data-kind': 'write' },
      'Write a warm shower', h('span', { class: 'sr-only' }, ` to ${name}`));
    button.addEventListener('click', () => actions.openWrite(id));
    return button;
  };

  function render(state: SessionState): void {
    last = state;
    const list = others(state);
    const done = list.filter((p) => state.sentTo.includes(p.id)).length;
    setText(sentLine, list.length === 0 ? 'Waiting for people to join' : `${done} of ${list.length} sent`);
    sentBar.max = Math.max(1, list.length);
    sentBar.value = done;
    // Done: the thank-you takes the list's place. Someone new (`incomplete`): the list opens again.
    const complete = state.complete && list.length > 0;
    if (complete !== shownComplete) listOpen = !complete;
    shownComplete = complete;
    thanks.hidden = !complete;
    setText(showList, listOpen ? 'Hide the list' : 'See who you wrote to');
    showList.setAttribute('aria-expanded', String(listOpen));
    alone.hidden = list.length > 0;
    filterBox.hidden = !listOpen || list.length < 6;
    const query = filterBox.hidden ? '' : filterInput.value.trim().toLowerCase();
    let visible = 0;
    for (const person of list) {
      let row = rows.get(person.id);
      if (!row) {
        const dot = h('span', { class: 'dot', 'aria-hidden': 'true' });
        const name = h('span', { class: 'name' });
        const presence = h('span', { class: 'sr-only' });
        // The dot is part of the name's box, so that a long name takes the row and the button goes under it.
        const li = h('li', { class: 'person', 'data-id': person.id }, h('span', { class: 'who' }, dot, name, presence));
        row = { li, dot, name, state: presence, action: h('span') };
        rows.set(person.id, row);
      }
      const sent = state.sentTo.includes(person.id);
      setText(row.name, person.displayName);
      row.dot.classList.toggle('online', person.online);
      setText(row.state, person.online ? ' (online)' : ' (offline)');
      row.li.classList.toggle('sent', sent);
      const wanted = sent ? 'sent' : 'write';
      if (row.action.dataset.kind !== wanted) {
        const action = sent
          ? h('span', { class: 'done', 'data-kind': 'sent' }, h('span', { 'aria-hidden': 'true' }, '✓ '), 'Sent')
          : writeButton(person.id, person.displayName);
        row.action.replaceWith(action);
        row.action = action;
        if (!action.parentNode) row.li.append(action);
      }
      const match = !query || person.displayName.toLowerCase().includes(query);
      row.li.hidden = !listOpen || !match;
      if (!row.li.hidden) visible++;
    }
    // Keep the DOM order (by name) without moving a focused row more than needed.
    list.forEach((person, index) => {
      const li = rows.get(person.id)!.li;
      if (people.children[index] !== li) people.insertBefore(li, people.children[index] ?? null);
    });
    const nothing = Boolean(query) && visible === 0;
    setText(noMatch, nothing ? `No one here matches “${filterInput.value.trim()}”.` : '');
    noMatch.hidden = !nothing;
  }

  showList.addEventListener('click', () => {
    listOpen = !listOpen;
    if (last) render(last);
  });
  filterInput.addEventListener('input', () => last && render(last));

  return {
    element,
    render,
    /** After the dialog closes: back to the row, or the next one to write, or the thank-you. */
    focusAfterWrite(id) {
      const row = rows.get(id);
      if (row?.action instanceof HTMLButtonElement) return row.action.focus();
      if (!thanks.hidden) return thanks.focus();
      const next = [...people.children].map((li) => (li as HTMLElement).hidden ? null : li.querySelector<HTMLButtonElement>('button.write-button')).find(Boolean);
      (next ?? people).focus?.();
    },
  };
}
