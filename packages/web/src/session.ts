// The session view: holds the state, feeds it every stream event and reply through `apply`, and
// renders each panel from the result. Panels ask for things through `Actions`; nothing else
// changes the state.
import { announcer } from './announcer.js';
import { confirmEndDialog } from './confirm-end.js';
import { h } from './dom.js';
import { endedView } from './ended.js';
import { headerPanel } from './header.js';
import { hostPanel } from './host.js';
import { inboxPanel } from './inbox.js';
import type { Shell } from './main.js';
import { connectionPanel, warningPanel } from './notices.js';
import type { Actions, Panel } from './panel.js';
import { clientFor, pageBase, setUrl } from './paths.js';
import { peoplePanel } from './people.js';
import { presenterView } from './presenter.js';
import { safetyPanel } from './safety.js';
import { downloadMarkdown } from './save.js';
import { sentPanel } from './sent.js';
import { endingSentence } from './sentences.js';
import { sessionRequests } from './session-actions.js';
import { apply, initialState, nameOf, type Action, type SessionState } from './state.js';
import { forgetPass, updatePass, type Pass } from './storage.js';
import { SessionStreams } from './streams.js';
import { writeDialog } from './write-dialog.js';

const loopbackHost = (host: string) => host === 'localhost' || host === '[::1]' || /^127\./.test(host);

/** The session page for a tab holding a pass: the host's panel, the participant's, or both. */
export function sessionView(shell: Shell, pass: Pass): void {
  const code = pass.code;
  const me = pass.participant ?? null;
  let state: SessionState = initialState({
    code,
    expiresAt: pass.expiresAt,
    host: Boolean(pass.hostToken),
    me: me ? { id: me.id, displayName: me.displayName } : null,
    sent: pass.sent,
  });
  const title = me ? `Session ${code} · Warm Shower` : `Hosting ${code} · Warm Shower`;
  let left = false;
  const timers: number[] = [];
  const say = announcer();
  const streams = new SessionStreams({ code, dispatch, onFailure: (sentence) => connection.fail(sentence) });
  const requests = sessionRequests(pass, () => state, dispatch, say.say);

  /** The send under way, if any: a session that ends meanwhile waits for its answer. */
  let writing: { to: string; sent: Promise<boolean> } | null = null;
  const actions: Actions = {
    write(to, text) {
      const sent = requests.write(to, text);
      writing = { to, sent };
      void sent.finally(() => {
        if (writing?.sent === sent) writing = null;
      });
      return sent;
    },
    openWrite: (to) => dialog.open(to),
    thank: (id) => void requests.thank(id),
    reveal: () => void requests.reveal(),
    extend: (moreSeconds) => void requests.extend(moreSeconds),
    confirmEnd: () => confirm.open(),
    end: () => requests.end(),
    async joinToo(name) {
      const next = await requests.joinToo(name);
      if (next) shell.enter(next); // the same session again, with both passes
    },
    save: () => downloadMarkdown(state.inbox, code),
    print: () => window.print(),
    presenter: () => presenter.open(),
    home: () => shell.home(),
  };

  const header = headerPanel();
  const connection = connectionPanel();
  const warning = warningPanel(actions);
  const host = pass.hostToken ? hostPanel(actions) : null;
  const safety = safetyPanel();
  const people = me ? peoplePanel(actions) : null;
  const sent = me ? sentPanel() : null;
  const inbox = me ? inboxPanel(actions, { say: say.say }) : null;
  const dialog = writeDialog(actions, (to) => people?.focusAfterWrite(to));
  const confirm = confirmEndDialog(actions);
  const presenter = presenterView(actions);
  const panels = [header, connection, warning, host, safety, people, sent, inbox, me ? dialog : null, host ? presenter : null, host ? confirm : null]
    .filter((panel): panel is Panel => panel !== null);

  function dispatch(action: Action): void {
    if (left) return;
    const previous = state;
    state = apply(state, action);
    if (state === previous) return;
    keep(previous, state);
    narrate(previous, state);
    if (state.ended) return finish();
    for (const panel of panels) panel.render(state, previous);
    document.title = state.unread > 0 ? `(${state.unread}) ${title}` : title;
  }

  /** What outlives a reload stays in sessionStorage: the lifetime, and my texts with their receipts. */
  function keep(previous: SessionState, next: SessionState): void {
    if (next.sent !== previous.sent || next.expiresAt !== previous.expiresAt) {
      updatePass(code, (p) => ({ ...p, expiresAt: next.expiresAt, sent: next.sent.map(({ id, to, text }) => ({ id, to, text })) }));
    }
  }

  /** Sentences for a screen reader about what changed without anyone asking. */
  function narrate(previous: SessionState, next: SessionState): void {
    if (previous.ready && previous.complete && !next.complete) say.say('Someone new joined: there is one more warm shower to write.');
    for (const s of next.sent) {
      if (s.thanked && previous.sent.some((p) => p.id === s.id && !p.thanked)) say.say(`${nameOf(next, s.to)} thanked you for your warm shower.`);
    }
    if (!previous.revealed && next.revealed && previous.ready) say.say('The warm showers are revealed.');
  }

  /**
   * Over: nothing of the session stays in the browser but what is on screen. A send under way is
   * answered first, so that the ended view can tell what never reached its reader: the drafts
   * of the write dialog, that one included if it failed, each with its recipient's name.
   */
  function finish(): void {
    streams.close();
    forgetPass(code);
    setUrl(null);
    const pending = writing;
    const ended = state;
    void (pending ? pending.sent.catch(() => false) : Promise.resolve(false)).then((sent) => {
      const delivered = new Set([...ended.sentTo, ...(sent && pending ? [pending.to] : [])]);
      const undelivered = dialog.unsent()
        .filter((draft) => !delivered.has(draft.to))
        .map((draft) => ({ name: nameOf(ended, draft.to), text: draft.text }));
      const view = endedView(ended, actions, undelivered);
      // Reloading an ended page (a pull to refresh) would lose what is only on screen: ask first.
      const keepsWords = ended.inbox.length > 0 || undelivered.length > 0;
      const askBeforeLeaving = (event: BeforeUnloadEvent) => {
        event.preventDefault();
        event.returnValue = ''; // older browsers want it set
      };
      if (keepsWords) window.addEventListener('beforeunload', askBeforeLeaving);
      shell.show(`${endingSentence(ended.ended ?? 'lost').title} · Warm Shower`, view, () =>
        window.removeEventListener('beforeunload', askBeforeLeaving),
      );
      view.querySelector<HTMLElement>('h1')?.focus();
    });
  }

  const onVisible = () => dispatch({ type: 'visibility', visible: document.visibilityState !== 'hidden' });
  document.addEventListener('visibilitychange', onVisible);
  timers.push(window.setInterval(() => header.tick(), 1000));

  const layout = h('div', { class: 'session', 'data-view': 'session' },
    header.element,
    connection.element,
    warning.element,
    host?.element,
    safety.element,
    people && sent && inbox ? h('div', { class: 'columns' }, h('div', { class: 'stack' }, people.element, sent.element), inbox.element) : null,
    say.element,
    me ? dialog.element : null,
    host ? confirm.element : null,
  );
  shell.show(title, layout, () => {
    left = true;
    streams.close();
    for (const panel of panels) panel.dispose?.();
    for (const timer of timers) window.clearInterval(timer);
    document.removeEventListener('visibilitychange', onVisible);
    if (dialog.element.open) dialog.element.close();
    if (confirm.element.open) confirm.element.close();
  });
  for (const panel of panels) panel.render(state, null);
  onVisible();

  if (pass.hostToken) {
    clientFor().info().then(
      (info) => dispatch({ type: 'info', info }),
      // An older server without /api/info: the page's own address is the best guess.
      () => dispatch({ type: 'info', info: { joinUrl: pageBase(), joinUrlIsLoopback: loopbackHost(location.hostname) } }),
    );
    streams.start('host', pass.hostToken);
  }
  if (me) streams.start('participant', me.token, me);
}
