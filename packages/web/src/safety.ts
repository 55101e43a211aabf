// The safety number of an end-to-end session (SPEC §10), for everyone to read aloud.
import { safetyNumber } from '@warmshower/client/e2e';
import { h, setText } from './dom.js';
import type { Panel } from './panel.js';
import type { SessionState } from './state.js';

export function safetyPanel(): Panel {
  const number = h('p', { class: 'safety-number' });
  const element = h('section', { class: 'card safety', 'aria-label': 'Safety number', hidden: true },
    h('h2', null, 'Safety number'),
    number,
    h('p', { class: 'hint' },
      'Once everyone has joined, one person reads it aloud and the others check their screens. The same number everywhere means nobody’s key was swapped: only each reader can open their warm showers. It changes when someone joins, so compare again after a latecomer.'),
    h('p', { class: 'hint' },
      'A different number on any screen: write nothing yet, and tell the host, who can end this session and start a new one.'),
  );
  let keys = '';
  let turn = 0;
  return {
    element,
    render(state: SessionState) {
      element.hidden = state.encryption !== 'e2e';
      if (element.hidden) return;
      const keyed = state.participants.filter((p) => p.publicKey).map((p) => ({ id: p.id, publicKey: p.publicKey! }));
      const next = JSON.stringify(keyed);
      if (next === keys) return;
      keys = next;
      const mine = ++turn;
      if (keyed.length === 0) return void setText(number, 'Nobody has joined yet.');
      safetyNumber(keyed).then(
        (value) => mine === turn && setText(number, value),
        () => mine === turn && setText(number, 'The safety number cannot be computed here.'),
      );
    },
  };
}
