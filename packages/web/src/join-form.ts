// Joining: the code (prefilled from the link) and an optional name. An end-to-end session makes
// this device's key pair first and sends only the public key.
import { generateKeyPair, hasWebCrypto } from '@warmshower/client/e2e';
import { checkDisplayName, normaliseCode, spacedCode } from '@warmshower/core/protocol';
import { comeBack, personName } from './come-back.js';
import { busy, h, replace, showText, uid } from './dom.js';
import type { Shell } from './main.js';
import { nameField } from './name-field.js';
import { clientFor, pageBase } from './paths.js';
import { codeOf, explain, sessionGone } from './sentences.js';
import { forgetPass, keptPasses, loadPass, savePass, type Pass } from './storage.js';

/** Why this page cannot take part in an end-to-end session here, in one sentence. */
export const noWebCryptoSentence =
  'This browser cannot encrypt on a page served over plain http from another computer’s address. Open the page over https, or on localhost, to take part in an end-to-end encrypted session.';

/** A problem with what the person typed, as the field it concerns and a sentence. */
export class FormProblem extends Error {
  constructor(
    readonly field: 'code' | 'name',
    message: string,
  ) {
    super(message);
  }
}

/** Joins `code` with an optional name, keeping any host pass this tab already holds. */
export async function joinSession(code: string, name: string): Promise<Pass> {
  const checked = checkDisplayName(name);
  if (!checked.ok) throw new FormProblem('name', checked.sentence);
  const anyone = clientFor();
  const { encryption } = await anyone.getSession(code);
  let keys: { publicKey: string; privateKey: string } | null = null;
  if (encryption === 'e2e') {
    if (!hasWebCrypto()) throw new FormProblem('code', noWebCryptoSentence);
    keys = await generateKeyPair();
  }
  const joined = await anyone.join(code, {
    ...(checked.value ? { displayName: checked.value } : {}),
    ...(keys ? { publicKey: keys.publicKey } : {}),
  });
  const pass: Pass = {
    ...(loadPass(code) ?? {}),
    code,
    expiresAt: joined.expiresAt,
    participant: {
      id: joined.id,
      token: joined.token,
      displayName: joined.displayName,
      ...(keys ? { privateKey: keys.privateKey } : {}),
    },
  };
  savePass(pass);
  return pass;
}

/** The join form. */
export function joinForm(shell: Shell, code: string, headingId: string): HTMLFormElement {
  const codeId = uid('code');
  const error = h('p', { class: 'form-error', id: uid('error'), role: 'alert', hidden: true });
  const codeInput = h('input', {
    id: codeId, name: 'code', inputmode: 'numeric', autocomplete: 'off', required: true,
    maxlength: 9, class: 'code-input', value: code, 'aria-describedby': error.id, spellcheck: 'false',
  });
  const name = nameField('Others see it so they can write to you. Leave it empty for a friendly made-up name.', [error.id]);
  const nameInput = name.input;
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Join');
  const form = h('form', { class: 'card stack', 'aria-labelledby': headingId, novalidate: true },
    h('div', { class: 'field' }, h('label', { for: codeId }, 'Session code'), codeInput),
    name.element,
    error,
    submit,
  );
  const problem = (field: 'code' | 'name', sentence: string) => {
    showText(error, sentence);
    const input = field === 'code' ? codeInput : nameInput;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const normalised = normaliseCode(codeInput.value);
    codeInput.removeAttribute('aria-invalid');
    nameInput.removeAttribute('aria-invalid');
    if (!normalised) return problem('code', 'A session code is six digits, like 042917.');
    showText(error, null);
    busy(submit, 'Joining…');
    try {
      shell.enter(await joinSession(normalised, nameInput.value));
    } catch (failure) {
      busy(submit, null);
      if (failure instanceof FormProblem) return problem(failure.field, failure.message);
      const sentence = explain(failure, { code: normalised, name: nameInput.value.trim() });
      const code = codeOf(failure);
      if (code === 'NAME_TAKEN' || code === 'INVALID_INPUT') problem('name', sentence);
      else if (code === 'SESSION_NOT_FOUND') problem('code', sentence);
      else showText(error, sentence);
    }
  });
  return form;
}

/** The sentence for a join link whose session is not there (ended, expired, or a wrong code). */
export const staleLinkSentence = (code: string): string =>
  `There is no live session with the code ${spacedCode(code)}: it has ended or the code is wrong. Check the code, or type another below.`;

/**
 * The join view for `code`. When this browser kept passes of that session and this tab holds none,
 * it first offers to continue as each of them; `notice` says why an earlier visit could not be.
 */
export function joinView(shell: Shell, code: string, notice?: string): void {
  const heading = uid('h');
  const newHeading = uid('h');
  const back = h('a', { href: pageBase() }, 'start your own session');
  back.addEventListener('click', (event) => {
    event.preventDefault();
    shell.home();
  });
  const stale = h('p', { class: 'banner stale-link', hidden: true });
  const refused = h('p', { class: 'banner come-back-refused', hidden: true });
  const form = joinForm(shell, code, heading);
  const nameInput = form.querySelector<HTMLInputElement>('input[name="displayName"]');
  const comeBackCard = h('div', { class: 'card stack come-back' });
  const someoneNew = h('h2', { id: newHeading }, 'Or join as someone new');

  /** The Continue buttons for what this browser still keeps of `code`, or nothing. */
  function offer(): void {
    const kept = keptPasses(code);
    comeBackCard.hidden = someoneNew.hidden = kept.length === 0;
    form.setAttribute('aria-labelledby', kept.length ? newHeading : heading);
    replace(comeBackCard,
      h('p', null, 'You joined this session in this browser before.'),
      ...kept.map((pass) => {
        const button = h('button', { type: 'button', class: 'primary' }, `Continue as ${personName(pass)}`);
        button.addEventListener('click', async () => {
          busy(button, 'Checking…');
          const outcome = await comeBack(pass);
          if ('pass' in outcome) return shell.enter(outcome.pass);
          showText(refused, outcome.refused);
          offer();
          nameInput?.focus(); // the button is gone: the way on is a new join
        });
        return button;
      }),
    );
  }

  // Offered once the server has said the session is there (below): a session that ended while
  // the tab was closed would otherwise offer Continue for a moment, and refuse it.
  comeBackCard.hidden = someoneNew.hidden = true;
  shell.show(`Join ${code} · Warm Shower`,
    h('div', { class: 'narrow stack' },
      h('h1', { id: heading, tabindex: -1 }, 'Join the warm shower'),
      h('p', { class: 'lead' }, 'You will write one short, anonymous, appreciative message to each person here, and receive theirs.'),
      h('div', { role: 'status' }, refused, stale), // a live region present from the start, so the sentence is read out
      comeBackCard,
      someoneNew,
      form,
      h('p', { class: 'muted' }, 'Or ', back, '.'),
    ),
  );
  // Set once the live region is on screen, so that a screen reader reads it out.
  if (notice) window.setTimeout(() => showText(refused, notice), 50);
  // After the form is on screen: a link to a session that is gone says so before anyone types, and
  // this browser forgets what it kept of it. Any other failure (the network, an older server) says
  // nothing, offers what is kept, and leaves joining as it was.
  const codeInput = form.querySelector<HTMLInputElement>('input[name="code"]');
  codeInput?.addEventListener('input', () => showText(stale, null), { once: true });
  clientFor().getSession(code).then(
    () => offer(),
    (failure) => {
      if (!sessionGone(failure)) return offer();
      forgetPass(code);
      offer();
      if (codeInput && normaliseCode(codeInput.value) === code) showText(stale, staleLinkSentence(code));
    },
  );
}
