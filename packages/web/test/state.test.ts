import { joinLink, type ReadyData, type StreamEvent } from '@warmshower/core/protocol';
import { describe, expect, it } from 'vitest';
import { allWritten, apply, held, initialState, newestFirst, others, type Action, type SessionState } from '../src/state.js';

const ana = { id: 'ana', displayName: 'Ana', online: true };
const bo = { id: 'bo', displayName: 'Bo', online: false };
const cy = { id: 'cy', displayName: 'Cy', online: true };

const ready = (extra: Partial<ReadyData> = {}): StreamEvent => ({
  event: 'ready',
  data: {
    you: { id: 'ana' },
    participants: [ana, bo],
    sentTo: [],
    complete: false,
    expiresAt: '2026-01-01T11:00:00.000Z',
    delivery: 'live',
    revealed: false,
    encryption: 'none',
    ...extra,
  },
});

const event = (e: StreamEvent, source: 'participant' | 'host' = 'participant'): Action => ({ type: 'event', source, event: e });
const run = (state: SessionState, ...actions: Action[]) => actions.reduce(apply, state);
const participant = () =>
  run(initialState({ code: '042917', expiresAt: '2026-01-01T10:00:00.000Z', host: false, me: { id: 'ana', displayName: 'Ana' } }), event(ready()));
const host = () => run(initialState({ code: '042917', expiresAt: '2026-01-01T10:00:00.000Z', host: true }), event(ready({ you: { host: true } }), 'host'));
const message = (id: string, receivedAt: string, extra: object = {}): StreamEvent =>
  ({ event: 'message', id, data: { id, text: `text ${id}`, receivedAt, ...extra } }) as StreamEvent;

describe('the page state: stream events', () => {
  it('ready describes the session: people, what I sent, completion, lifetime, delivery and encryption', () => {
    const state = run(
      initialState({ code: '042917', expiresAt: 'x', host: false, me: { id: 'ana', displayName: 'Ana' }, sent: [{ id: 'm1', to: 'bo', text: 'Thanks, Bo' }] }),
      event(ready({ sentTo: ['bo'], complete: true, delivery: 'reveal', encryption: 'e2e', sent: [{ id: 'm1', to: 'bo', thanked: true }] })),
    );
    expect(state).toMatchObject({ ready: true, sentTo: ['bo'], complete: true, delivery: 'reveal', encryption: 'e2e', expiresAt: '2026-01-01T11:00:00.000Z' });
    // After a reload: the server's receipts with the texts this tab kept, and their thanks.
    expect(state.sent).toEqual([{ id: 'm1', to: 'bo', text: 'Thanks, Bo', thanked: true }]);
    expect(others(state).map((p) => p.id)).toEqual(['bo']);
  });

  it('the host stream’s ready leaves my own progress alone', () => {
    const both = apply({ ...participant(), sentTo: ['bo'], complete: true }, event(ready({ you: { host: true } }), 'host'));
    expect(both.sentTo).toEqual(['bo']);
    expect(both.complete).toBe(true);
  });

  it('participant-joined adds someone once, offline until presence says otherwise', () => {
    const joined = event({ event: 'participant-joined', data: { id: 'cy', displayName: 'Cy', publicKey: 'key' } });
    const state = run(participant(), joined, joined);
    expect(state.participants).toEqual([ana, bo, { id: 'cy', displayName: 'Cy', online: false, publicKey: 'key' }]);
    const online = apply(state, event({ event: 'presence', data: { id: 'cy', online: true } }));
    expect(online.participants.find((p) => p.id === 'cy')?.online).toBe(true);
  });

  it('a message arrives once (a replay after a reconnection changes nothing) and the inbox reads newest first', () => {
    const first = message('m1', '2026-01-01T10:01:00.000Z');
    const state = run(participant(), event(first), event(message('m2', '2026-01-01T10:02:00.000Z')));
    expect(apply(state, event(first))).toBe(state);
    expect(newestFirst(state).map((m) => m.id)).toEqual(['m2', 'm1']);
    expect(state.inbox[0]).toEqual({ id: 'm1', text: 'text m1', receivedAt: '2026-01-01T10:01:00.000Z', thanked: false });
    // One I had thanked before a reload comes back thanked.
    expect(apply(state, event(message('m3', '2026-01-01T10:03:00.000Z', { thanked: true }))).inbox[2]!.thanked).toBe(true);
  });

  it('an end-to-end message takes its opened text, or shows as unreadable', () => {
    const sealed = { event: 'message', id: 'm1', data: { id: 'm1', ciphertext: 'xyz', receivedAt: '2026-01-01T10:01:00.000Z' } } as StreamEvent;
    expect(apply(participant(), { type: 'event', source: 'participant', event: sealed, opened: 'hello' }).inbox[0]!.text).toBe('hello');
    expect(apply(participant(), { type: 'event', source: 'participant', event: sealed, opened: null }).inbox[0]!.text).toBeNull();
  });

  it('complete, then a newcomer makes me incomplete again: core says so, the page does not count', () => {
    const complete = apply(participant(), event({ event: 'complete', data: { sentCount: 1 } }));
    expect(complete.complete).toBe(true);
    const again = run(complete,
      event({ event: 'participant-joined', data: { id: 'cy', displayName: 'Cy' } }),
      event({ event: 'incomplete', data: { sentCount: 1, remaining: 1 } }));
    expect(again.complete).toBe(false);
  });

  it('progress gives the host its figures, and says when everyone has written to everyone', () => {
    const state = apply(host(), event({ event: 'progress', data: { sent: 1, possible: 2 } }, 'host'));
    expect(state.progress).toEqual({ sent: 1, possible: 2 });
    expect(allWritten(state)).toBe(false);
    expect(allWritten(apply(state, event({ event: 'progress', data: { sent: 2, possible: 2 } }, 'host')))).toBe(true);
    expect(allWritten(apply(state, event({ event: 'progress', data: { sent: 0, possible: 0 } }, 'host')))).toBe(false);
  });

  it('revealed ends the wait of a reveal session', () => {
    const waiting = apply(participant(), event(ready({ delivery: 'reveal' })));
    expect(held(waiting)).toBe(true);
    expect(held(apply(waiting, event({ event: 'revealed', data: {} })))).toBe(false);
  });

  it('expiring warns and moves the end; expiry-changed moves it again and clears the warning', () => {
    const warned = apply(participant(), event({ event: 'expiring', data: { expiresAt: '2026-01-01T11:00:00.000Z' } }));
    expect(warned.warning).toEqual({ expiresAt: '2026-01-01T11:00:00.000Z' });
    const changed = apply(warned, event({ event: 'expiry-changed', data: { expiresAt: '2026-01-01T12:00:00.000Z' } }));
    expect(changed).toMatchObject({ warning: null, expiresAt: '2026-01-01T12:00:00.000Z' });
  });

  it('a reconnection keeps the warning for the same end, and drops it when the end moved while the tab was away', () => {
    const warned = apply(participant(), event({ event: 'expiring', data: { expiresAt: '2026-01-01T11:00:00.000Z' } }));
    expect(apply(warned, event(ready())).warning).toEqual({ expiresAt: '2026-01-01T11:00:00.000Z' });
    const extended = apply(warned, event(ready({ expiresAt: '2026-01-01T12:00:00.000Z' })));
    expect(extended).toMatchObject({ warning: null, expiresAt: '2026-01-01T12:00:00.000Z' });
  });

  it('a refused stream keeps the reason while it retries, and forgets it once a stream is open', () => {
    const why = 'This session is open in too many tabs or devices of yours. Close one and reload this page.';
    const refused = apply(participant(), { type: 'status', source: 'participant', status: 'reconnecting', refusal: why });
    expect(refused).toMatchObject({ streams: { participant: 'reconnecting' }, streamRefusal: why });
    expect(apply(refused, { type: 'status', source: 'participant', status: 'open' }).streamRefusal).toBeNull();
    expect(apply(refused, { type: 'status', source: 'participant', status: 'reconnecting' }).streamRefusal).toBeNull();
  });

  it('thanked marks what I wrote', () => {
    const state = run(participant(), { type: 'sent', receipt: { id: 'm1', to: 'bo', sentCount: 1, remaining: 0, complete: true }, text: 'Thanks, Bo' });
    const thanked = apply(state, event({ event: 'thanked', data: { id: 'm1' } }));
    expect(thanked.sent).toEqual([{ id: 'm1', to: 'bo', text: 'Thanks, Bo', thanked: true }]);
    expect(apply(state, event({ event: 'thanked', data: { id: 'unknown' } })).sent).toEqual(state.sent);
  });

  it('session-ended keeps the inbox and says how, and nothing changes it after', () => {
    const state = run(participant(), event(message('m1', '2026-01-01T10:01:00.000Z')));
    for (const reason of ['ended', 'expired', 'lost'] as const) {
      const ended = apply(state, event({ event: 'session-ended', data: { reason } }));
      expect(ended.ended).toBe(reason);
      expect(ended.inbox).toHaveLength(1);
      expect(apply(ended, event(message('m2', '2026-01-01T10:02:00.000Z')))).toBe(ended);
    }
  });

  it('stream statuses are kept per stream', () => {
    const state = run(participant(), { type: 'status', source: 'participant', status: 'reconnecting' }, { type: 'status', source: 'host', status: 'open' });
    expect(state.streams).toEqual({ participant: 'reconnecting', host: 'open' });
  });
});

describe('the page state: replies', () => {
  it('a send receipt marks the person, records the text and takes completion from the reply', () => {
    const busy = apply(participant(), { type: 'request', task: 'write' });
    expect(busy.busy.write).toBe(true);
    const state = apply(busy, { type: 'sent', receipt: { id: 'm1', to: 'bo', sentCount: 1, remaining: 0, complete: true }, text: 'Hi' });
    expect(state).toMatchObject({ sentTo: ['bo'], complete: true, busy: {}, sent: [{ id: 'm1', to: 'bo', text: 'Hi', thanked: false }] });
  });

  it('a failure keeps its sentence until the request is tried again', () => {
    const failed = run(participant(), { type: 'request', task: 'write' }, { type: 'failed', task: 'write', sentence: 'Refused: it uses a word.' });
    expect(failed).toMatchObject({ busy: {}, problems: { write: 'Refused: it uses a word.' } });
    expect(apply(failed, { type: 'request', task: 'write' }).problems).toEqual({});
  });

  it('already sent (409) marks the person without a receipt', () => {
    expect(apply(participant(), { type: 'already-sent', to: 'bo' }).sentTo).toEqual(['bo']);
  });

  it('joining too gives the host a participant identity', () => {
    expect(apply(host(), { type: 'joined', me: { id: 'h', displayName: 'Host' } }).me).toEqual({ id: 'h', displayName: 'Host' });
  });

  it('a thank-you marks the message thanked', () => {
    const state = run(participant(), event(message('m1', '2026-01-01T10:01:00.000Z')), { type: 'thanked-it', id: 'm1' });
    expect(state.inbox[0]!.thanked).toBe(true);
  });

  it('reveal, extend and end replies', () => {
    expect(apply(host(), { type: 'revealed-it' }).revealed).toBe(true);
    const warned = apply(host(), event({ event: 'expiring', data: { expiresAt: '2026-01-01T11:00:00.000Z' } }, 'host'));
    expect(apply(warned, { type: 'extended', expiresAt: '2026-01-01T12:00:00.000Z' })).toMatchObject({ warning: null, expiresAt: '2026-01-01T12:00:00.000Z' });
    expect(apply(host(), { type: 'ended-it' }).ended).toBe('ended');
  });

  it('a 404 on any request ends the view: expired past its time, else lost', () => {
    const state = participant(); // expires 11:00
    expect(apply(state, { type: 'gone', now: Date.parse('2026-01-01T10:30:00.000Z') }).ended).toBe('lost');
    expect(apply(state, { type: 'gone', now: Date.parse('2026-01-01T11:00:01.000Z') }).ended).toBe('expired');
  });

  it('the join link comes from /api/info', () => {
    const state = apply(host(), { type: 'info', info: { joinUrl: 'http://shower.test:4455/ws/', joinUrlIsLoopback: false } });
    expect(joinLink(state.joinUrl!, state.code)).toBe('http://shower.test:4455/ws/?code=042917');
  });

  it('messages that arrive while the tab is hidden count as unread until it is seen', () => {
    const hidden = apply(participant(), { type: 'visibility', visible: false });
    const state = run(hidden, event(message('m1', '2026-01-01T10:01:00.000Z')), event(message('m2', '2026-01-01T10:02:00.000Z')));
    expect(state.unread).toBe(2);
    expect(apply(state, { type: 'visibility', visible: true }).unread).toBe(0);
  });
});
