// The home page: start a session, join one, or go back to one this tab is in.
import { hasWebCrypto } from '@warmshower/client/e2e';
import { spacedCode } from '@warmshower/core/protocol';
import { comeBack } from './come-back.js';
import { busy, h, showText, uid } from './dom.js';
import { joinForm, noWebCryptoSentence } from './join-form.js';
import type { Shell } from './main.js';
import { clientFor } from './paths.js';
import { explain } from './sentences.js';
import { allPasses, keptPasses, samePerson, savePass, type Pass } from './storage.js';
import { durations } from './text.js';

/** A radio button with its label and, under it, a sentence that says what it means. */
function choice(name: string, value: string, label: string, hint: string, checked = false): HTMLElement {
  const id = uid(name);
  const hintId = uid('hint');
  return h('div', { class: 'choice' },
    h('input', { type: 'radio', id, name, value, checked, 'aria-describedby': hintId }),
    h('label', { for: id }, label),
    h('p', { class: 'hint', id: hintId }, hint),
  );
}

function createForm(shell: Shell, headingId: string): HTMLFormElement {
  const lifetimeId = uid('lifetime');
  const e2eId = uid('e2e');
  const e2eHint = uid('hint');
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const select = h('select', { id: lifetimeId, name: 'ttlSeconds' },
    ...durations.map(([seconds, label]) => h('option', { value: seconds, selected: seconds === 3600 }, label)),
  );
  const canEncrypt = hasWebCrypto();
  const e2e = h('input', { type: 'checkbox', id: e2eId, name: 'e2e', disabled: !canEncrypt, 'aria-describedby': e2eHint });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Create a session');
  const form = h('form', { class: 'card stack', 'aria-labelledby': headingId },
    h('div', { class: 'field' }, h('label', { for: lifetimeId }, 'It lasts'), select,
      h('p', { class: 'hint' }, 'When it ends, every message and name is deleted.')),
    h('fieldset', { class: 'choices' },
      h('legend', null, 'Warm showers arrive'),
      choice('delivery', 'live', 'as they are written', 'Each one reaches its reader the moment it is sent, so in one room its arrival can give its writer away; held ones do not.', true),
      choice('delivery', 'reveal', 'held until you reveal them',
        'No one learns anything, not even that something arrived, until you reveal; then everyone receives theirs at once, shuffled.'),
    ),
    h('div', { class: 'choice' },
      e2e,
      h('label', { for: e2eId }, 'End-to-end encrypted'),
      h('p', { class: 'hint', id: e2eHint }, canEncrypt
        ? 'The server never sees what anyone writes: each message is encrypted on the writer’s device for its reader. It still sees who wrote to whom, and when.'
        : noWebCryptoSentence),
    ),
    error,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showText(error, null);
    busy(submit, 'Creating…');
    const reveal = form.querySelector<HTMLInputElement>('input[name="delivery"][value="reveal"]')?.checked ?? false;
    try {
      const created = await clientFor().createSession({
        ttlSeconds: Number(select.value),
        delivery: reveal ? 'reveal' : 'live',
        encryption: e2e.checked ? 'e2e' : 'none',
      });
      const pass: Pass = { code: created.code, expiresAt: created.expiresAt, hostToken: created.hostToken };
      savePass(pass);
      shell.enter(pass);
    } catch (failure) {
      busy(submit, null);
      showText(error, explain(failure));
    }
  });
  return form;
}

/**
 * "You are in session 123 456 [Go back to it]" for each live session this tab holds a pass for,
 * and for each person this browser kept from a tab that has closed since.
 */
function resumeCards(shell: Shell): HTMLElement[] {
  const live = (pass: Pass) => Date.parse(pass.expiresAt) > Date.now();
  const mine = allPasses().filter(live);
  const kept = keptPasses().filter((pass) => live(pass) && !mine.some((other) => samePerson(other, pass)));
  return [...mine.map((pass) => ({ pass, kept: false })), ...kept.map((pass) => ({ pass, kept: true }))].map(({ pass, kept }) => {
    const back = h('button', { type: 'button', class: 'primary' }, 'Go back to it');
    back.addEventListener('click', async () => {
      if (!kept) return shell.enter(pass);
      busy(back, 'Checking…');
      const outcome = await comeBack(pass);
      if ('pass' in outcome) shell.enter(outcome.pass);
      else shell.join(pass.code, outcome.refused);
    });
    const role = pass.participant ? `as ${pass.participant.displayName}` : 'as its host';
    return h('div', { class: 'card resume' },
      h('p', null, 'You are in session ', h('strong', null, spacedCode(pass.code)), ` ${role}.`),
      back);
  });
}

export function homeView(shell: Shell): void {
  const createHeading = uid('h');
  const joinHeading = uid('h');
  shell.show('Warm Shower',
    h('div', { class: 'home' },
      ...resumeCards(shell),
      h('div', { class: 'intro' },
        h('h1', { tabindex: -1 }, 'Warm words for your team'),
        h('p', { class: 'lead' },
          'Everyone writes one anonymous, appreciative message to each teammate. Messages arrive signed “Anonymous”, and everything is deleted when the session ends.'),
      ),
      h('div', { class: 'columns' },
        h('section', { class: 'stack' }, h('h2', { id: createHeading }, 'Start a session'), createForm(shell, createHeading)),
        h('section', { class: 'stack' }, h('h2', { id: joinHeading }, 'Join a session'), joinForm(shell, '', joinHeading)),
      ),
    ),
  );
}
