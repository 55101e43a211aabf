// The optional display name field of the join form and the host's "join too": the limit said
// before anyone types, and a live count against it.
import { checkDisplayName, codePoints, limits } from '@warmshower/core/protocol';
import { h, setText, uid } from './dom.js';

/** The name as core will count it (normalised, trimmed), in code points. */
const nameLength = (value: string): number => {
  const checked = checkDisplayName(value);
  return checked.ok ? codePoints(checked.value ?? '') : codePoints(value.trim());
};

/** A labelled name input with its hint (`hint` first, then the limit) and a count while it is not empty. */
export function nameField(hint: string, describedBy: string[] = []): { element: HTMLElement; input: HTMLInputElement } {
  const id = uid('name');
  const hintId = uid('hint');
  const counterId = uid('counter');
  // The limit counts code points, maxlength UTF-16 units: twice as many lets 40 emoji in; core
  // refuses a longer name with its sentence, and the count below shows it beforehand.
  const input = h('input', {
    id, name: 'displayName', autocomplete: 'nickname', maxlength: limits.maxDisplayName * 2,
    'aria-describedby': [hintId, counterId, ...describedBy].join(' '),
  });
  const counter = h('p', { class: 'counter', id: counterId, hidden: true });
  input.addEventListener('input', () => {
    const used = nameLength(input.value);
    counter.hidden = input.value === '';
    setText(counter, `${used} / ${limits.maxDisplayName}`);
    counter.classList.toggle('over', used > limits.maxDisplayName);
  });
  const element = h('div', { class: 'field' },
    h('label', { for: id }, 'Your name ', h('span', { class: 'optional' }, '(optional)')),
    input,
    h('p', { class: 'hint', id: hintId }, `${hint}${hint ? ' ' : ''}Up to ${limits.maxDisplayName} characters.`),
    counter,
  );
  return { element, input };
}
