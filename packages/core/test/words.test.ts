import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkDisplayName, checkText, MemoryStore, nameKey, parseSend, sendBody, Warmshower } from '../src/index.js';
import { ManualClock } from '../src/testing/index.js';

const setup = (options: Partial<ConstructorParameters<typeof Warmshower>[0]> = {}) => {
  const clock = new ManualClock();
  const store = new MemoryStore({ clock });
  return { clock, store, ws: new Warmshower({ store, clock, ...options }) };
};

const refusal = (input: unknown) => {
  const result = checkDisplayName(input);
  return result.ok ? null : result.sentence;
};

describe('display names (rule 2)', () => {
  it('are NFKC, with runs of white space as one space', () => {
    expect(checkDisplayName('  Ａｄａ\u00a0\u00a0 Lovelace ')).toEqual({ ok: true, value: 'Ada Lovelace' });
    expect(checkDisplayName('ﬁona')).toEqual({ ok: true, value: 'fiona' });
    expect(checkDisplayName('Ｉ')).toEqual({ ok: true, value: 'I' });
    expect(checkDisplayName('   ')).toEqual({ ok: true, value: null });
    expect(checkDisplayName(undefined)).toEqual({ ok: true, value: null });
  });

  it('refuse zero-width and bidi characters, controls, lone surrogates and private use, each with its sentence', () => {
    expect(refusal('Al\u200Bice')).toMatch(/invisible formatting characters/);
    expect(refusal('\u202Eevil')).toMatch(/invisible formatting characters/);
    expect(refusal('\u200B\u200B')).toMatch(/invisible formatting characters/);
    expect(refusal('two\nlines')).toMatch(/control characters/);
    expect(refusal('bell\u0007')).toMatch(/control characters/);
    expect(refusal('half\uD800')).toMatch(/lone surrogate/);
    expect(refusal('\uE000x')).toMatch(/private-use or unassigned/);
    expect(refusal('\u0378a')).toMatch(/private-use or unassigned/);
    expect(refusal('\u3164')).toMatch(/visible/);
    expect(refusal('\u0301\u0301')).toMatch(/visible/);
    expect(refusal(42)).toMatch(/must be a string/);
  });

  it('an accepted name never holds a format character and is its own NFKC form', () => {
    const weird = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: fc.constantFrom('a', ' ', '\u00a0', '\u200b', '\u202e', '\ufeff', '\u0301', 'ﬁ', '\ud800', '\udc00', '\t', '😀') }),
    );
    fc.assert(
      fc.property(weird, (input) => {
        const result = checkDisplayName(input);
        if (!result.ok || result.value === null) return;
        expect(result.value).not.toMatch(/\p{Cf}/u);
        expect(result.value.normalize('NFKC')).toBe(result.value);
        expect(result.value).toBe(result.value.trim());
        expect(result.value).not.toMatch(/\s\s/u);
      }),
      { numRuns: 2000 },
    );
  });

  it('a look-alike with a zero-width space is refused, so "Alice" cannot be joined twice that way', async () => {
    const { ws } = setup();
    const { code } = await ws.createSession({});
    await ws.join(code, { displayName: 'Alice' });
    await expect(ws.join(code, { displayName: 'Al\u200Bice' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(ws.join(code, { displayName: 'Ａｌｉｃｅ' })).rejects.toMatchObject({ code: 'NAME_TAKEN' });
    expect(nameKey('ÅSA')).toBe('åsa');
  });
});

describe('warm shower texts (rule 3)', () => {
  it('keep line feeds and tabs, turn CRLF into LF, and refuse other controls and lone surrogates', () => {
    expect(checkText(' one\r\ntwo\tthree\r ')).toEqual({ ok: true, value: 'one\ntwo\tthree' });
    expect(checkText('family 👨‍👩‍👧 joined by zero-width joiners')).toMatchObject({ ok: true });
    expect(checkText('nul\u0000')).toMatchObject({ ok: false, sentence: expect.stringMatching(/control characters/) });
    expect(checkText('bell\u0007')).toMatchObject({ ok: false });
    expect(checkText('half\uDC00')).toMatchObject({ ok: false, sentence: expect.stringMatching(/lone surrogate/) });
    expect(checkText('')).toMatchObject({ ok: false, sentence: 'A warm shower needs some text.' });
  });

  it('a send body reads the same on the fast path as through the schema: every value, every refusal', () => {
    const value = fc.oneof(fc.string(), fc.constant(''), fc.constant(' \r\n'), fc.constant('nul\u0000'), fc.integer(), fc.constant(null), fc.constant(undefined));
    const body = fc.record({ to: value, text: value, ciphertext: fc.oneof(fc.constant(undefined), value), from: value }, { requiredKeys: [] });
    fc.assert(
      fc.property(body, (input) => {
        const schema = sendBody.safeParse(input);
        const parsed = parseSend(input);
        if (schema.success) expect(parsed).toEqual({ ok: true, value: schema.data });
        else expect(parsed).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: schema.error.issues[0]!.message } });
      }),
      { numRuns: 500 },
    );
  });
});

describe('screening (rule 12)', () => {
  it('a refused warm shower is a 422 with the reason, and nothing is stored or sent', async () => {
    const { ws, store, clock } = setup({ screen: (text) => (/darn/i.test(text) ? 'it uses a word this team agreed not to use' : null) });
    const { code, hostToken } = await ws.createSession({});
    const a = await ws.join(code, { displayName: 'A' });
    const b = await ws.join(code, { displayName: 'B' });
    await expect(ws.send(code, a.token, { to: b.id, text: 'Darn good work' })).rejects.toMatchObject({
      code: 'MESSAGE_REFUSED',
      message: 'This warm shower was not sent: it uses a word this team agreed not to use.',
    });
    expect(await store.inbox(code, b.id, clock.now())).toEqual([]);
    expect((await ws.getSession(code, hostToken)).progress).toEqual({ sent: 0, possible: 2 });
    // The order of checks holds: a bad token is a 401 before any screening.
    await expect(ws.send(code, 'bad', { to: b.id, text: 'Darn' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(ws.send(code, a.token, { to: b.id, text: 'Great work' })).resolves.toMatchObject({ sentCount: 1 });
  });
});

describe('screening that fails', () => {
  it('a screen that throws refuses the text with a sentence (fails closed) and keeps the cause', async () => {
    const broken = new Error('the word list did not load');
    const { ws, store, clock } = setup({ screen: () => Promise.reject(broken) });
    const { code } = await ws.createSession({});
    const a = await ws.join(code, { displayName: 'A' });
    const b = await ws.join(code, { displayName: 'B' });
    const failure = await ws.send(code, a.token, { to: b.id, text: 'Great work' }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'MESSAGE_REFUSED', message: expect.stringMatching(/^This warm shower was not sent: it could not be checked/), cause: broken });
    expect(await store.inbox(code, b.id, clock.now())).toEqual([]);
  });

  it('a text in an end-to-end session is refused for its kind (400), not screened', async () => {
    let screened = 0;
    const { ws } = setup({ screen: () => (screened++, 'never') });
    const { code } = await ws.createSession({ encryption: 'e2e' });
    const key = (n: number) => Buffer.alloc(32, n).toString('base64url');
    const a = await ws.join(code, { displayName: 'A', publicKey: key(1) });
    const b = await ws.join(code, { displayName: 'B', publicKey: key(2) });
    await expect(ws.send(code, a.token, { to: b.id, text: 'Darn' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(screened).toBe(0);
  });
});

describe('bounds (rule 8)', () => {
  it('the most participants a session holds is configurable, from 2 to 1000', () => {
    const store = new MemoryStore();
    expect(() => new Warmshower({ store, maxParticipants: 1001 })).toThrow(/from 2 to 1000/);
    expect(() => new Warmshower({ store, maxParticipants: 1 })).toThrow(RangeError);
    expect(new Warmshower({ store }).maxParticipants).toBe(250);
  });
});
