import type { InboxMessage, ParticipantView, Progress, ReadyData } from './api-types.js';
import { ApiError, api, explain } from './api.js';
import { h, replace, setText } from './dom.js';
import { qrSvg } from './qr.js';
import { savePass, type Pass } from './storage.js';
import { LiveStream, type StreamState } from './stream.js';
import { MAX_MESSAGE, codePoints, describeRemaining, limits, formatRemaining, formatTime, inboxAsMarkdown } from './text.js';
import { joinSession, type Shell } from './views.js';

let ids = 0;
const uid = (prefix: string) => `s-${prefix}-${++ids}`;

/** "123 456": easier to read out in a meeting. */
const spacedCode = (code: string) => `${code.slice(0, 3)} ${code.slice(3)}`;

/**
 * The session page for a tab holding a pass: the host panel (invite, progress, End) when it has the
 * host token, the participant panel (write, receive) when it has a participant token, or both.
 */
export function sessionView(shell: Shell, pass: Pass, resumed = false): void {
  const code = pass.code;
  const me = pass.participant ?? null;
  const isHost = Boolean(pass.hostToken);
  const participants = new Map<string, ParticipantView>();
  const sentTo = new Set<string>();
  const messages = new Map<string, InboxMessage>();
  const drafts = new Map<string, string>();
  let complete = false;
  let progress: Progress | null = null;
  let expiresAt = Date.parse(pass.expiresAt);
  let finished = false;
  let unread = 0;
  const timers: number[] = [];
  const streams: LiveStream[] = [];
  const streamStates = new Map<LiveStream, StreamState>();
  const title = me ? `Session ${code} · Warm Shower` : `Hosting ${code} · Warm Shower`;

  // ---- shared bits --------------------------------------------------------------------------
  const announcer = h('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
  const announce = (text: string) => {
    // Clearing first makes a repeated sentence be read again.
    setText(announcer, '');
    window.setTimeout(() => setText(announcer, text), 50);
  };
  const connection = h('p', { class: 'banner', role: 'status', hidden: true });
  const countdown = h('time', { class: 'countdown-value' });
  const countdownLabel = h('span', { class: 'sr-only' });
  const countdownBox = h('span', { class: 'countdown' }, h('span', { 'aria-hidden': 'true' }, 'Ends in '), h('span', { 'aria-hidden': 'true' }, countdown), countdownLabel);

  const finish = (reason: 'ended' | 'expired' | 'gone') => {
    if (finished) return;
    finished = true;
    shell.ended(code, reason);
  };

  /** A request failed: a gone session ends the page; anything else is for the caller to say. */
  const gone = (failure: unknown): boolean => {
    if (failure instanceof ApiError && failure.sessionGone) {
      finish('gone');
      return true;
    }
    return false;
  };

  // ---- header -------------------------------------------------------------------------------
  const heading = h('h1', { tabindex: -1 }, me ? `Hello, ${me.displayName}` : 'Your session is open');
  const bar = h('div', { class: 'session-bar' },
    heading,
    h('p', { class: 'session-meta' },
      h('span', { class: 'chip' }, 'Session ', h('strong', { class: 'session-code' }, spacedCode(code))),
      countdownBox,
    ),
  );

  // ---- host panel ---------------------------------------------------------------------------
  const progressText = h('p', { class: 'big-number' }, '…');
  const progressBar = h('progress', { max: 1, value: 0, 'aria-label': 'Warm showers sent' });
  const presenceText = h('p', { class: 'muted' });
  const hostPeople = h('ul', { class: 'chips', 'aria-label': 'People in the session' });
  let hostPanel: HTMLElement | null = null;
  if (isHost) {
    const link = `${location.origin}/?code=${code}`;
    const inviteHeading = uid('h');
    const copied = h('span', { class: 'copied', role: 'status' });
    const linkField = h('input', { class: 'link-field', readonly: true, value: link, 'aria-label': 'Join link' });
    const copy = h('button', { type: 'button' }, 'Copy link');
    copy.addEventListener('click', async () => {
      let ok = false;
      try {
        await navigator.clipboard.writeText(link);
        ok = true;
      } catch {
        linkField.select(); // no clipboard API (plain http on a LAN): select it for Ctrl+C
        try {
          ok = document.execCommand('copy');
        } catch {
          ok = false;
        }
      }
      setText(copied, ok ? 'Link copied' : 'Selected: press Ctrl+C to copy');
      timers.push(window.setTimeout(() => setText(copied, ''), 4000));
    });
    const endButton = h('button', { type: 'button', class: 'danger' }, 'End session');
    endButton.addEventListener('click', () => confirmEnd.showModal());
    const joinToo = me ? null : joinTooForm();
    hostPanel = h('section', { class: 'card host', 'aria-labelledby': inviteHeading },
      h('div', { class: 'invite' },
        h('div', { class: 'stack' },
          h('h2', { id: inviteHeading }, 'Invite your team'),
          h('p', { class: 'muted' }, 'Share this code or link, or let people scan the QR code.'),
          h('p', null,
            h('span', { class: 'code-display', 'aria-hidden': 'true' }, spacedCode(code)),
            // Read digit by digit, as people will type it.
            h('span', { class: 'sr-only' }, `Code: ${code.split('').join(' ')}`)),
          h('div', { class: 'link-row' }, linkField, copy),
          copied,
        ),
        h('div', { class: 'qr-box' }, qrSvg(link, `QR code of the join link for session ${code}`)),
      ),
      h('div', { class: 'host-status stack' },
        h('h2', null, 'Progress'),
        progressText,
        progressBar,
        presenceText,
        me ? null : hostPeople,
        joinToo,
        h('div', { class: 'end-row' }, endButton, h('span', { class: 'hint' }, 'Deletes everything, for everyone.')),
      ),
    );
  }

  function joinTooForm(): HTMLElement {
    const nameId = uid('name');
    const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const nameInput = h('input', { id: nameId, autocomplete: 'nickname', maxlength: limits.maxDisplayName });
    const submit = h('button', { type: 'submit', class: 'primary' }, 'Join as a participant too');
    const form = h('form', { class: 'join-too stack' },
      h('p', { class: 'muted' }, 'Hosting is not taking part. To write and receive warm showers yourself, join too.'),
      h('div', { class: 'field' }, h('label', { for: nameId }, 'Your name ', h('span', { class: 'optional' }, '(optional)')), nameInput),
      error,
      submit,
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      submit.disabled = true;
      try {
        const next = await joinSession(code, nameInput.value);
        finished = true; // this view gives way to the same session with both passes
        shell.enter(next);
      } catch (failure) {
        submit.disabled = false;
        if (gone(failure)) return;
        setText(error, explain(failure, { name: nameInput.value.trim() }));
        error.hidden = false;
        nameInput.focus();
      }
    });
    return form;
  }

  const confirmEndHeading = uid('h');
  const confirmError = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const confirmKeep = h('button', { type: 'button', autofocus: true }, 'Keep it open');
  const confirmYes = h('button', { type: 'button', class: 'danger' }, 'End session for everyone');
  const confirmEnd = h('dialog', { class: 'dialog', 'aria-labelledby': confirmEndHeading },
    h('h2', { id: confirmEndHeading }, 'End this session for everyone?'),
    h('p', null, 'All messages, names and the code are deleted at once. Anyone who has not saved their warm showers will lose them.'),
    confirmError,
    h('div', { class: 'actions' }, confirmKeep, confirmYes),
  );
  confirmKeep.addEventListener('click', () => confirmEnd.close());
  confirmYes.addEventListener('click', async () => {
    confirmYes.disabled = true;
    try {
      await api.end(code, pass.hostToken ?? '');
      confirmEnd.close();
      finish('ended');
    } catch (failure) {
      confirmYes.disabled = false;
      if (gone(failure)) return;
      setText(confirmError, explain(failure));
      confirmError.hidden = false;
    }
  });

  // ---- participant panel --------------------------------------------------------------------
  const writeHeading = uid('h');
  const sentLine = h('p', { class: 'sent-line' });
  const sentBar = h('progress', { max: 1, value: 0, 'aria-hidden': 'true' });
  const thanksHeading = uid('h');
  const showList = h('button', { type: 'button', class: 'link-button' }, 'See who you wrote to');
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
  const people = h('ul', { class: 'people', 'aria-labelledby': writeHeading });
  const rows = new Map<string, { li: HTMLLIElement; dot: HTMLSpanElement; name: HTMLSpanElement; state: HTMLSpanElement; action: HTMLElement }>();
  let listOpen = true;
  let shownComplete = false;
  showList.addEventListener('click', () => {
    listOpen = !listOpen;
    renderPeople();
  });
  filterInput.addEventListener('input', () => renderPeople());

  const writePanel = me
    ? h('section', { class: 'card write', 'aria-labelledby': writeHeading },
        h('h2', { id: writeHeading }, 'Write to your team'),
        h('div', { class: 'sent-progress' }, sentLine, sentBar),
        thanks,
        filterBox,
        alone,
        people,
        noMatch,
      )
    : null;

  const others = () => [...participants.values()].filter((p) => p.id !== me?.id);

  function renderPeople(): void {
    if (!me) return;
    const list = others().sort((a, b) => a.displayName.localeCompare(b.displayName));
    const done = list.filter((p) => sentTo.has(p.id)).length;
    setText(sentLine, list.length === 0 ? 'Waiting for people to join' : `${done} of ${list.length} sent`);
    sentBar.max = Math.max(1, list.length);
    sentBar.value = done;
    const isComplete = complete && list.length > 0 && done === list.length;
    // Done: the thank-you takes the list's place. Someone new: the list opens again.
    if (isComplete !== shownComplete) listOpen = !isComplete;
    shownComplete = isComplete;
    thanks.hidden = !isComplete;
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
        const state = h('span', { class: 'sr-only' });
        const li = h('li', { class: 'person', 'data-id': person.id }, dot, h('span', { class: 'who' }, name, state));
        row = { li, dot, name, state, action: h('span') };
        rows.set(person.id, row);
      }
      const sent = sentTo.has(person.id);
      setText(row.name, person.displayName);
      row.dot.classList.toggle('online', person.online);
      setText(row.state, person.online ? ' (online)' : ' (offline)');
      row.li.classList.toggle('sent', sent);
      const wanted = sent ? 'sent' : 'write';
      if (row.action.dataset.kind !== wanted) {
        const action = sent
          ? h('span', { class: 'done', 'data-kind': 'sent' }, h('span', { 'aria-hidden': 'true' }, '✓ '), 'Sent')
          : writeButton(person.id);
        row.action.replaceWith(action);
        row.action = action;
        if (!row.action.parentNode) row.li.append(action);
      }
      const match = !query || person.displayName.toLowerCase().includes(query);
      row.li.hidden = !listOpen || !match;
      if (!row.li.hidden) visible++;
    }
    // Keep the DOM order (sorted by name) without moving a focused row more than needed.
    list.forEach((person, index) => {
      const li = rows.get(person.id)!.li;
      if (people.children[index] !== li) people.insertBefore(li, people.children[index] ?? null);
    });
    setText(noMatch, query && visible === 0 ? `No one here matches “${filterInput.value.trim()}”.` : '');
    noMatch.hidden = !(query && visible === 0);
  }

  function writeButton(id: string): HTMLButtonElement {
    const button = h('button', { type: 'button', class: 'write-button', 'data-kind': 'write' },
      'Write a warm shower', h('span', { class: 'sr-only' }, ` to ${participants.get(id)?.displayName ?? ''}`));
    button.addEventListener('click', () => openWrite(id));
    return button;
  }

  // ---- the write dialog ---------------------------------------------------------------------
  const dialogHeading = uid('h');
  const textId = uid('text');
  const counterId = uid('counter');
  const dialogErrorId = uid('error');
  const anonNote = h('p', { class: 'hint' });
  const textarea = h('textarea', { id: textId, rows: 7, 'aria-describedby': `${counterId} ${dialogErrorId}` });
  const counter = h('p', { class: 'counter', id: counterId });
  const dialogError = h('p', { class: 'form-error', id: dialogErrorId, role: 'alert', hidden: true });
  const cancelWrite = h('button', { type: 'button' }, 'Cancel');
  const send = h('button', { type: 'submit', class: 'primary' }, 'Send');
  const writeForm = h('form', { class: 'stack' },
    h('h2', { id: dialogHeading }),
    anonNote,
    h('div', { class: 'field' }, h('label', { for: textId }, 'Your message'), textarea, counter),
    dialogError,
    h('div', { class: 'actions' }, cancelWrite, send),
  );
  const writeDialog = h('dialog', { class: 'dialog write-dialog', 'aria-labelledby': dialogHeading }, writeForm);
  let writingTo: string | null = null;

  const updateCounter = () => {
    const used = codePoints(textarea.value.trim());
    setText(counter, `${used} / ${MAX_MESSAGE}`);
    counter.classList.toggle('over', used > MAX_MESSAGE);
    if (writingTo) drafts.set(writingTo, textarea.value);
  };
  textarea.addEventListener('input', updateCounter);
  cancelWrite.addEventListener('click', () => writeDialog.close());
  writeDialog.addEventListener('close', () => {
    const id = writingTo;
    writingTo = null;
    if (!id) return;
    // Give focus back to the row, or what comes after it once it is done.
    const row = rows.get(id);
    const target = row?.action instanceof HTMLButtonElement ? row.action : nextWriteButton() ?? (thanks.hidden ? people : thanks);
    (target as HTMLElement).focus?.();
  });

  function nextWriteButton(): HTMLButtonElement | null {
    for (const li of people.children) {
      const button = (li as HTMLElement).hidden ? null : li.querySelector<HTMLButtonElement>('button.write-button');
      if (button) return button;
    }
    return null;
  }

  function openWrite(id: string): void {
    const person = participants.get(id);
    if (!person) return;
    writingTo = id;
    setText(writeForm.querySelector('h2')!, `A warm shower for ${person.displayName}`);
    setText(anonNote, `${person.displayName} will see it signed “Anonymous”, never your name. One message each: say what you appreciate about them.`);
    textarea.value = drafts.get(id) ?? '';
    dialogError.hidden = true;
    send.disabled = false;
    updateCounter();
    writeDialog.showModal();
    textarea.focus();
  }

  writeForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const to = writingTo;
    if (!to || !me) return;
    const text = textarea.value.trim();
    const name = participants.get(to)?.displayName ?? '';
    const length = codePoints(text);
    const problem = length === 0 ? 'Write a few words first.' : length > MAX_MESSAGE ? `That is ${length} characters: the limit is ${MAX_MESSAGE}. Shorten it a little.` : null;
    if (problem) {
      setText(dialogError, problem);
      dialogError.hidden = false;
      textarea.focus();
      return;
    }
    send.disabled = true;
    setText(send, 'Sending…');
    try {
      const receipt = await api.send(code, me.token, to, text);
      sentTo.add(to);
      drafts.delete(to);
      complete = receipt.complete;
      writeDialog.close();
      renderPeople();
      announce(receipt.complete ? `Sent to ${name}. You have written to everyone: thank you!` : `Sent to ${name}.`);
      if (receipt.complete) thanks.focus();
    } catch (failure) {
      if (gone(failure)) return;
      if (failure instanceof ApiError && failure.code === 'ALREADY_SENT') {
        sentTo.add(to);
        drafts.delete(to);
        writeDialog.close();
        renderPeople();
        announce(explain(failure, { name }));
        return;
      }
      setText(dialogError, explain(failure, { name }));
      dialogError.hidden = false;
    } finally {
      send.disabled = false;
      setText(send, 'Send');
    }
  });

  // ---- inbox --------------------------------------------------------------------------------
  const inboxHeading = uid('h');
  const inboxCount = h('span', { class: 'count' });
  const inboxEmpty = h('p', { class: 'empty' }, 'Nothing yet. Warm showers appear here the moment someone writes them.');
  const inbox = h('ol', { class: 'inbox', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-labelledby': inboxHeading });
  const download = h('button', { type: 'button' }, 'Download');
  const print = h('button', { type: 'button' }, 'Print');
  download.addEventListener('click', () => {
    const sorted = [...messages.values()].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
    const blob = new Blob([inboxAsMarkdown(sorted, code)], { type: 'text/markdown;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: `warm-showers-${code}.md`, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    timers.push(window.setTimeout(() => URL.revokeObjectURL(url), 10_000));
  });
  print.addEventListener('click', () => window.print());
  const inboxPanel = me
    ? h('section', { class: 'card inbox-panel', 'aria-labelledby': inboxHeading },
        h('div', { class: 'inbox-head' },
          h('h2', { id: inboxHeading }, 'Your warm showers ', inboxCount),
          h('div', { class: 'save', role: 'group', 'aria-label': 'Save your warm showers' }, download, print),
        ),
        h('p', { class: 'hint' }, 'Only you can read these. Save them before the session ends: then everything is deleted.'),
        inboxEmpty,
        inbox,
      )
    : null;

  function addMessage(message: InboxMessage): void {
    if (messages.has(message.id)) return; // a replay after a reconnect
    messages.set(message.id, message);
    const item = h('li', { class: 'message', 'data-id': message.id },
      h('p', { class: 'message-text' }, message.text),
      h('p', { class: 'signature' }, '— Anonymous', h('span', { class: 'muted' }, ' · ', h('time', { datetime: message.receivedAt }, formatTime(message.receivedAt)))),
    );
    // Newest first: before the first one received earlier than this.
    const before = [...inbox.children].find((li) => (messages.get((li as HTMLElement).dataset.id ?? '')?.receivedAt ?? '') < message.receivedAt);
    inbox.insertBefore(item, before ?? null);
    setText(inboxCount, `(${messages.size})`);
    inboxEmpty.hidden = true;
    if (document.visibilityState === 'hidden') {
      unread++;
      updateTitle();
    }
  }

  const updateTitle = () => {
    document.title = unread > 0 ? `(${unread}) ${title}` : title;
  };
  const onVisible = () => {
    if (document.visibilityState === 'visible' && unread > 0) {
      unread = 0;
      updateTitle();
    }
  };
  document.addEventListener('visibilitychange', onVisible);

  // ---- host figures -------------------------------------------------------------------------
  function renderHost(): void {
    if (!isHost) return;
    if (progress) {
      setText(progressText, progress.possible === 0
        ? 'Warm showers can start once two people have joined.'
        : `${progress.sent} of ${progress.possible} warm showers sent`);
      progressBar.max = Math.max(1, progress.possible);
      progressBar.value = progress.sent;
      progressBar.hidden = progress.possible === 0;
      progressText.classList.toggle('big-number', progress.possible > 0);
    }
    const all = [...participants.values()].sort((a, b) => a.displayName.localeCompare(b.displayName));
    const online = all.filter((p) => p.online).length;
    setText(presenceText, all.length === 0 ? 'No one has joined yet.' : `${all.length} joined · ${online} online now`);
    replace(hostPeople, ...all.map((p) =>
      h('li', { class: 'chip' }, h('span', { class: `dot${p.online ? ' online' : ''}`, 'aria-hidden': 'true' }), p.displayName,
        h('span', { class: 'sr-only' }, p.online ? ' (online)' : ' (offline)'))));
  }

  const render = () => {
    renderPeople();
    renderHost();
  };

  // ---- countdown ----------------------------------------------------------------------------
  let warned = false;
  let checking = false;
  const tick = () => {
    const left = expiresAt - Date.now();
    setText(countdown, formatRemaining(left));
    countdown.setAttribute('datetime', new Date(expiresAt).toISOString());
    setText(countdownLabel, describeRemaining(left));
    countdownBox.classList.toggle('soon', left < 5 * 60_000);
    if (left < 5 * 60_000 && left > 0 && !warned) {
      warned = true;
      announce('Five minutes left: save your warm showers now if you want to keep them.');
    }
    // The server says `session-ended` itself; this covers a page whose stream is down.
    if (left < -3000 && !checking) {
      checking = true;
      api.getSession(code, me?.token ?? pass.hostToken).then(
        () => (checking = false),
        (failure) => {
          checking = false;
          gone(failure);
        },
      );
    }
  };
  timers.push(window.setInterval(tick, 1000));
  tick();

  // ---- streams ------------------------------------------------------------------------------
  const onReady = (data: ReadyData) => {
    expiresAt = Date.parse(data.expiresAt);
    participants.clear();
    for (const p of data.participants) participants.set(p.id, p);
    if ('id' in data.you) {
      sentTo.clear();
      for (const id of data.sentTo) sentTo.add(id);
      complete = data.complete;
    }
    savePass({ ...pass, expiresAt: data.expiresAt });
    tick();
    render();
  };
  const common = {
    ready: onReady,
    'participant-joined': (data: { id: string; displayName: string }) => {
      const known = participants.get(data.id);
      participants.set(data.id, { id: data.id, displayName: data.displayName, online: known?.online ?? false });
      if (me && data.id !== me.id) {
        if (complete) announce(`${data.displayName} joined: there is one more warm shower to write.`);
        complete = false;
      }
      render();
    },
    presence: (data: { id: string; online: boolean }) => {
      const known = participants.get(data.id);
      if (known) participants.set(data.id, { ...known, online: data.online });
      render();
    },
    'session-ended': (data: { reason: 'ended' | 'expired' | 'lost' }) => finish(data.reason === 'lost' ? 'gone' : data.reason),
  };

  const failures = new Map<LiveStream, number>();
  /** A problem that retrying will not fix; it stays on screen. */
  let stuck: string | null = null;
  const showConnection = () => {
    const down = [...streamStates.entries()].some(
      ([stream, state]) => state === 'reconnecting' || state === 'closed' || (state === 'connecting' && (failures.get(stream) ?? 0) > 0),
    );
    setText(connection, stuck ?? (down ? 'Connection lost. Reconnecting…' : ''));
    connection.hidden = !stuck && !down;
  };
  const giveUp = (sentence: string) => {
    stuck = sentence;
    for (const stream of streams) stream.stop();
    showConnection();
  };
  const setState = (stream: LiveStream, state: StreamState) => {
    streamStates.set(stream, state);
    if (state === 'open') failures.set(stream, 0);
    if (state === 'closed') recover(stream);
    showConnection();
  };

  /** The server refused the stream (no automatic retry): is the session gone, or is it us? */
  const recover = (stream: LiveStream) => {
    const attempt = (failures.get(stream) ?? 0) + 1;
    failures.set(stream, attempt);
    // With a token, so that this check never counts as a guess at a code.
    api.getSession(code, me?.token ?? pass.hostToken).then(
      () => retry(stream, attempt),
      (failure) => {
        if (gone(failure)) return;
        if (failure instanceof ApiError && failure.code === 'UNAUTHORIZED') giveUp(explain(failure));
        else retry(stream, attempt);
      },
    );
  };
  const retry = (stream: LiveStream, attempt: number) => {
    if (finished || stuck) return;
    if (attempt > 5) {
      giveUp('Live updates are not getting through. Reload the page to try again.');
      return;
    }
    timers.push(window.setTimeout(() => stream.open(), Math.min(30_000, 1000 * 2 ** attempt)));
  };

  if (me) {
    const stream: LiveStream = new LiveStream(api.eventsUrl(code, false), {
      ...common,
      ready: (data) => {
        // The stream knows us by a cookie that every tab of this browser shares: if this person
        // joined again in another tab, the stream is theirs now, and must not show here.
        if (!('id' in data.you) || data.you.id !== me.id) {
          giveUp('You joined this session again in another tab of this browser, so live updates now go to that tab. Carry on there.');
          return;
        }
        if (resumed && messages.size === 0) {
          // After a reload the whole inbox is replayed right after `ready`: show it, and say how
          // many there are once, rather than reading every old message aloud again.
          inbox.setAttribute('aria-live', 'off');
          timers.push(
            window.setTimeout(() => {
              inbox.setAttribute('aria-live', 'polite');
              if (messages.size > 0) announce(`You have ${messages.size} warm shower${messages.size === 1 ? '' : 's'}.`);
            }, 1000),
          );
        }
        onReady(data);
      },
      message: (data) => addMessage(data),
      complete: () => {
        complete = true;
        render();
      },
    }, (state) => setState(stream, state));
    streams.push(stream);
  }
  if (isHost) {
    const stream: LiveStream = new LiveStream(api.eventsUrl(code, true), {
      ...common,
      progress: (data) => {
        progress = data;
        renderHost();
      },
    }, (state) => setState(stream, state));
    streams.push(stream);
  }

  const layout = h('div', { class: 'session', 'data-view': 'session' },
    bar,
    connection,
    hostPanel,
    me ? h('div', { class: 'columns' }, writePanel, inboxPanel) : null,
    announcer,
    writeDialog,
    confirmEnd,
  );
  shell.show(title, layout, () => {
    finished = true;
    for (const stream of streams) stream.stop();
    for (const timer of timers) {
      window.clearTimeout(timer);
      window.clearInterval(timer);
    }
    document.removeEventListener('visibilitychange', onVisible);
    if (writeDialog.open) writeDialog.close();
    if (confirmEnd.open) confirmEnd.close();
  });
  render();
  for (const stream of streams) stream.open();
}
