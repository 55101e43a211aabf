// "What you wrote": my own warm showers, kept in this tab, with "Bo thanked you" once Bo has.
import { h, replace, setText, uid } from './dom.js';
import type { Panel } from './panel.js';
import { held, nameOf, type SessionState } from './state.js';

export function sentPanel(): Panel {
  const headingId = uid('h');
  const list = h('ul', { class: 'sent-list', 'aria-labelledby': headingId });
  const hint = h('p', { class: 'hint' });
  const element = h('section', { class: 'card sent-panel', 'aria-labelledby': headingId, hidden: true },
    h('h2', { id: headingId }, 'What you wrote'),
    hint,
    list,
  );
  let shown = '';
  return {
    element,
    render(state: SessionState) {
      const rows = state.sent.map((s) => ({ ...s, name: nameOf(state, s.to) })).sort((a, b) => a.name.localeCompare(b.name));
      const key = JSON.stringify(rows);
      element.hidden = rows.length === 0;
      setText(hint, held(state)
        ? 'Only you see this list. Nobody has received these yet: they wait until the host reveals them, then each reaches its reader. A thank-you tells you your words landed; it never tells anyone who wrote them.'
        : 'Only you see this list. A thank-you tells you your words landed; it never tells anyone who wrote them.');
      if (key === shown) return;
      shown = key;
      replace(list, ...rows.map((s) =>
        h('li', { class: `sent-item${s.thanked ? ' thanked' : ''}`, 'data-to': s.to },
          h('p', { class: 'sent-to' }, h('strong', null, `To ${s.name}`),
            s.thanked ? h('span', { class: 'thanked-badge' }, h('span', { 'aria-hidden': 'true' }, '☀ '), `${s.name} thanked you`) : null),
          s.text === null ? h('p', { class: 'muted' }, 'Written from another tab or device.') : h('p', { class: 'message-text' }, s.text),
        )));
    },
  };
}
