import { ApiError, api, explain } from './api.js';
import { h, setText } from './dom.js';
import { allPasses, forgetPass, loadPass, savePass, type Pass } from './storage.js';
import { limits } from './text.js';

/** What a view needs from the page around it. */
export interface Shell {
  /** Shows a view in <main>; `cleanup` runs when the next view replaces it. */
  show(title: string, content: Node, cleanup?: () => void): void;
  /** Enters a session this tab holds a pass for. */
  enter(pass: Pass): void;
  home(): void;
  join(code: string): void;
  ended(code: string, reason: 'ended' | 'expired' | 'gone'): void;
}

const lifetimes: Array<[seconds: number, label: string]> = [
  [900, '15 minutes'],
  [1800, '30 minutes'],
  [3600, '1 hour'],
  [7200, '2 hours'],
  [14400, '4 hours'],
  [86400, '1 day'],
];

let ids = 0;
const uid = (prefix: string) => `${prefix}-${++ids}`;

/** A six-digit code from what a person typed ("123 456", "123-456"), or null. */
export function normaliseCode(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/** A form's error line: `role="alert"` so it is read out when it appears. */
function errorLine(): { element: HTMLParagraphElement; set(text: string | null): void } {
  const element = h('p', { class: 'form-error', id: uid('error'), role: 'alert' });
  return {
    element,
    set(text) {
      setText(element, text ?? '');
      element.hidden = !text;
    },
  };
}

function busy(button: HTMLButtonElement, label: string | null): void {
  if (label) {
    button.dataset.label = button.textContent ?? '';
    button.textContent = label;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
  } else {
    button.textContent = button.dataset.label ?? button.textContent;
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

/** Joins `code` with an optional name, keeping any host pass this tab already holds. */
export async function joinSession(code: string, name: string): Promise<Pass> {
  const joined = await api.join(code, name);
  const pass: Pass = {
    ...(loadPass(code) ?? {}),
    code,
    expiresAt: joined.expiresAt,
    participant: { id: joined.id, token: joined.token, displayName: joined.displayName },
  };
  savePass(pass);
  return pass;
}

/** The join form: code (prefilled from the link) and an optional name. */
function joinForm(shell: Shell, code: string, headingId: string): HTMLFormElement {
  const codeId = uid('code');
  const nameId = uid('name');
  const nameHint = uid('hint');
  const error = errorLine();
  error.set(null);
  const codeInput = h('input', {
    id: codeId, name: 'code', inputmode: 'numeric', autocomplete: 'off', required: true,
    maxlength: 9, class: 'code-input', value: code, 'aria-describedby': error.element.id, spellcheck: 'false',
  });
  const nameInput = h('input', {
    id: nameId, name: 'displayName', autocomplete: 'nickname', maxlength: limits.maxDisplayName, 'aria-describedby': `${nameHint} ${error.element.id}`,
  });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Join');
  const form = h('form', { class: 'card stack', 'aria-labelledby': headingId, novalidate: true },
    h('div', { class: 'field' }, h('label', { for: codeId }, 'Session code'), codeInput),
    h('div', { class: 'field' },
      h('label', { for: nameId }, 'Your name ', h('span', { class: 'optional' }, '(optional)')),
      nameInput,
      h('p', { class: 'hint', id: nameHint }, 'Others see it so they can write to you. Leave it empty for a friendly made-up name.'),
    ),
    error.element,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const normalised = normaliseCode(codeInput.value);
    codeInput.removeAttribute('aria-invalid');
    nameInput.removeAttribute('aria-invalid');
    if (!normalised) {
      error.set('A session code is six digits, like 042917.');
      codeInput.setAttribute('aria-invalid', 'true');
      codeInput.focus();
      return;
    }
    error.set(null);
    busy(submit, 'Joining…');
    try {
      shell.enter(await joinSession(normalised, nameInput.value));
    } catch (failure) {
      busy(submit, null);
      const name = nameInput.value.trim();
      error.set(explain(failure, { code: normalised, name }));
      if (failure instanceof ApiError && failure.code === 'NAME_TAKEN') {
        nameInput.setAttribute('aria-invalid', 'true');
        nameInput.focus();
      } else if (failure instanceof ApiError && failure.sessionGone) {
        codeInput.setAttribute('aria-invalid', 'true');
        codeInput.focus();
      }
    }
  });
  return form;
}

function createForm(shell: Shell, headingId: string): HTMLFormElement {
  const lifetimeId = uid('lifetime');
  const error = errorLine();
  error.set(null);
  const select = h('select', { id: lifetimeId, name: 'ttlSeconds' },
    ...lifetimes.map(([seconds, label]) => h('option', { value: seconds, selected: seconds === 3600 }, label)),
  );
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Create a session');
  const form = h('form', { class: 'card stack', 'aria-labelledby': headingId },
    h('div', { class: 'field' }, h('label', { for: lifetimeId }, 'It lasts'), select,
      h('p', { class: 'hint' }, 'When it ends, every message and name is deleted.')),
    error.element,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.set(null);
    busy(submit, 'Creating…');
    try {
      const created = await api.createSession(Number(select.value));
      const pass: Pass = { code: created.code, expiresAt: created.expiresAt, hostToken: created.hostToken };
      savePass(pass);
      shell.enter(pass);
    } catch (failure) {
      busy(submit, null);
      error.set(explain(failure));
    }
  });
  return form;
}

/** "You are in session 123 456 [Go back]" for each session this tab still holds a pass for. */
function resumeCards(shell: Shell): HTMLElement[] {
  return allPasses()
    .filter((pass) => Date.parse(pass.expiresAt) > Date.now())
    .map((pass) => {
      const back = h('button', { type: 'button', class: 'primary' }, 'Go back to it');
      back.addEventListener('click', () => shell.enter(pass));
      const role = pass.participant ? `as ${pass.participant.displayName}` : 'as its host';
      return h('div', { class: 'card resume' },
        h('p', null, 'You are in session ', h('strong', null, `${pass.code.slice(0, 3)} ${pass.code.slice(3)}`), ` ${role}.`),
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
          'Everyone writes one anonymous, appreciative message to each teammate. Messages arrive live, signed “Anonymous”, and everything is deleted when the session ends.'),
      ),
      h('div', { class: 'columns' },
        h('section', { class: 'stack' }, h('h2', { id: createHeading }, 'Start a session'), createForm(shell, createHeading)),
        h('section', { class: 'stack' }, h('h2', { id: joinHeading }, 'Join a session'), joinForm(shell, '', joinHeading)),
      ),
    ),
  );
}

export function joinView(shell: Shell, code: string): void {
  const heading = uid('h');
  const back = h('a', { href: '/' }, 'start your own session');
  back.addEventListener('click', (event) => {
    event.preventDefault();
    shell.home();
  });
  shell.show(`Join ${code} · Warm Shower`,
    h('div', { class: 'narrow stack' },
      h('h1', { id: heading, tabindex: -1 }, 'Join the warm shower'),
      h('p', { class: 'lead' }, 'You will write one short, anonymous, appreciative message to each person here, and receive theirs.'),
      joinForm(shell, code, heading),
      h('p', { class: 'muted' }, 'Or ', back, '.'),
    ),
  );
}

export function endedView(shell: Shell, code: string, reason: 'ended' | 'expired' | 'gone'): void {
  forgetPass(code);
  const again = h('button', { type: 'button', class: 'primary' }, 'Start a new session');
  again.addEventListener('click', () => shell.home());
  const title = reason === 'expired' ? 'This session has expired' : 'This session has ended';
  shell.show(`${title} · Warm Shower`,
    h('div', { class: 'narrow stack ended', 'data-view': 'ended' },
      h('h1', { tabindex: -1 }, title),
      h('p', { class: 'lead' },
        reason === 'expired'
          ? 'Its time ran out. Everything in it has been deleted: the messages, the names and the code.'
          : reason === 'ended'
            ? 'The host ended it. Everything in it has been deleted: the messages, the names and the code.'
            : 'It is no longer on the server: it ended or expired, and everything in it was deleted.'),
      h('p', null, 'Thank you for the warm words.'),
      again,
    ),
  );
}
