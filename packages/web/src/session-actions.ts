// What the session view asks of the server, each call turned into actions for the reducer.
import { seal } from '@warmshower/client/e2e';
import { checkText, limits, WarmshowerError, type SendBody } from '@warmshower/core/protocol';
import { clientFor } from './paths.js';
import { codeOf, explain, sessionGone } from './sentences.js';
import type { Action, SessionState, Task } from './state.js';
import { FormProblem, joinSession } from './join-form.js';
import type { Pass } from './storage.js';
import { formatTime } from './text.js';

export interface Requests {
  write(to: string, text: string): Promise<boolean>;
  thank(id: string): Promise<void>;
  reveal(): Promise<void>;
  /** Keeps the session open `moreSeconds` longer than it would have been (up to the longest lifetime). */
  extend(moreSeconds: number): Promise<void>;
  end(): Promise<void>;
  joinToo(name: string): Promise<Pass | null>;
}

/** The requests of one session view, over the tokens of `pass`. */
export function sessionRequests(
  pass: Pass,
  state: () => SessionState,
  dispatch: (action: Action) => void,
  say: (sentence: string) => void,
): Requests {
  const code = pass.code;
  const host = clientFor(pass.hostToken);
  const member = () => clientFor(pass.participant?.token);

  /** Runs one request; a vanished session ends the view, any other failure is the task's problem. */
  async function run<T>(task: Task, step: () => Promise<T>, context: { name?: string } = {}): Promise<T | undefined> {
    dispatch({ type: 'request', task });
    try {
      return await step();
    } catch (failure) {
      if (sessionGone(failure)) dispatch({ type: 'gone', now: Date.now() });
      else dispatch({ type: 'failed', task, sentence: failure instanceof FormProblem ? failure.message : explain(failure, context) });
      return undefined;
    }
  }

  return {
    async write(to, text) {
      const name = state().participants.find((p) => p.id === to)?.displayName ?? '';
      const checked = checkText(text);
      if (!checked.ok) {
        dispatch({ type: 'failed', task: 'write', sentence: checked.sentence });
        return false;
      }
      let sent = false;
      await run('write', async () => {
        try {
          const receipt = await member().send(code, await sendBody(state(), to, checked.value));
          dispatch({ type: 'sent', receipt, text: checked.value });
          say(receipt.complete ? `Sent to ${name}. You have written to everyone: thank you!` : `Sent to ${name}.`);
          sent = true;
        } catch (failure) {
          if (codeOf(failure) !== 'ALREADY_SENT') throw failure;
          dispatch({ type: 'already-sent', to });
          say(explain(failure, { name }));
          sent = true;
        }
      }, { name });
      return sent;
    },
    async thank(id) {
      await run('thank', async () => {
        try {
          await member().thank(code, id);
        } catch (failure) {
          if (codeOf(failure) !== 'ALREADY_THANKED') throw failure;
        }
        dispatch({ type: 'thanked-it', id });
        say('Thanked. The writer will know their words landed, and still nobody knows who they are.');
      });
    },
    async reveal() {
      await run('reveal', async () => {
        try {
          await host.reveal(code);
        } catch (failure) {
          if (codeOf(failure) !== 'ALREADY_REVEALED') throw failure;
        }
        dispatch({ type: 'revealed-it' });
      });
    },
    async extend(moreSeconds) {
      await run('extend', async () => {
        // The server sets a lifetime from now (rule 10); "another 15 minutes" adds to what is left,
        // so that Extend never shortens a session with more than that to go.
        const left = Math.max(0, Math.ceil((Date.parse(state().expiresAt) - Date.now()) / 1000));
        const changed = await host.extendSession(code, Math.min(limits.maxTtlSeconds, left + moreSeconds));
        dispatch({ type: 'extended', expiresAt: changed.expiresAt });
        say(`The session now ends at ${formatTime(changed.expiresAt)}.`);
      });
    },
    async end() {
      await run('end', async () => {
        await host.endSession(code);
        dispatch({ type: 'ended-it' });
      });
    },
    async joinToo(name) {
      return (await run('join', () => joinSession(code, name), { name: name.trim() })) ?? null;
    },
  };
}

/** The body of a send: the text, or in an end-to-end session the text sealed to its reader. */
async function sendBody(state: SessionState, to: string, text: string): Promise<SendBody> {
  if (state.encryption !== 'e2e') return { to, text };
  const recipient = state.participants.find((p) => p.id === to);
  if (!recipient?.publicKey) throw new WarmshowerError('INVALID_INPUT', 'This person joined without a key, so nothing can be encrypted for them.');
  return { to, ciphertext: await seal({ code: state.code, recipientId: to, recipientPublicKey: recipient.publicKey, text }) };
}
