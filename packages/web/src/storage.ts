import { isSessionCode } from '@warmshower/core/protocol';

/**
 * What one person holds for one session. The tab's copy is in sessionStorage: it is the tab's
 * identity, so two tabs of one browser can be two people. A kept copy per person (the host, or a
 * participant's id) is in localStorage, so that this browser can come back after the tab closes.
 * Both go as soon as the session is known to be over; kept copies also once past `expiresAt`.
 * Private keys never leave this browser's storage.
 */
export interface Pass {
  code: string;
  expiresAt: string;
  hostToken?: string;
  participant?: {
    id: string;
    token: string;
    displayName: string;
    /** End-to-end sessions: my X25519 private key, base64url. */
    privateKey?: string;
  };
  /** My own warm showers (receipt id → recipient and text), to show their thanks beside them. */
  sent?: Array<{ id: string; to: string; text: string | null }>;
}

const prefix = 'warmshower:';
const key = (code: string) => `${prefix}${code}`;
const keptPrefix = `${prefix}kept:`;
const keptKey = (code: string, person: string) => `${keptPrefix}${code}:${person}`;

/** Who a pass is: its participant (who may also hold the host token), or the host alone. */
const personOf = (pass: Pass): string => pass.participant?.id ?? 'host';

/** The two passes are the same person in the same session. */
export const samePerson = (a: Pass, b: Pass): boolean => a.code === b.code && personOf(a) === personOf(b);

function tabStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage disabled: the page still works until a reload
  }
}

function browserStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // disabled: nothing is kept past the tab, as before
  }
}

function parsePass(raw: string | null | undefined, code: string | null): Pass | null {
  if (!raw) return null;
  try {
    const pass = JSON.parse(raw) as Pass;
    const matches = code === null ? isSessionCode(pass.code) : pass.code === code;
    return matches && typeof pass.expiresAt === 'string' && (pass.hostToken || pass.participant) ? pass : null;
  } catch {
    return null;
  }
}

function write(store: Storage | null, name: string, pass: Pass): void {
  try {
    store?.setItem(name, JSON.stringify(pass));
  } catch {
    // full or disabled: this tab still works until a reload
  }
}

/** The names under which `store` holds something starting with `start`. */
function namesIn(store: Storage | null, start: string): string[] {
  const names: string[] = [];
  for (let i = 0; i < (store?.length ?? 0); i++) {
    const name = store?.key(i);
    if (name?.startsWith(start)) names.push(name);
  }
  return names;
}

export function loadPass(code: string): Pass | null {
  return parsePass(tabStorage()?.getItem(key(code)), code);
}

/** Makes `pass` this tab's, and keeps a copy of it for this browser. */
export function savePass(pass: Pass): void {
  write(tabStorage(), key(pass.code), pass);
  keep(pass);
}

function keep(pass: Pass): void {
  const store = browserStorage();
  if (!store) return;
  write(store, keptKey(pass.code, personOf(pass)), pass);
  for (const other of keptPasses(pass.code)) {
    if (!other.participant && pass.participant && other.hostToken === pass.hostToken) {
      // The host joined too: kept from now on as that participant, who holds the host token.
      store.removeItem(keptKey(pass.code, 'host'));
    } else if (other.expiresAt !== pass.expiresAt) {
      // The session ends once for everyone in it: an extension moves every kept copy's end.
      write(store, keptKey(other.code, personOf(other)), { ...other, expiresAt: pass.expiresAt });
    }
  }
}

/** Changes a stored pass, if this tab still has it (and its kept copy with it). */
export function updatePass(code: string, change: (pass: Pass) => Pass): void {
  const pass = loadPass(code);
  if (pass) savePass(change(pass));
}

/** The session is over: this tab's pass and every kept one of that code go. */
export function forgetPass(code: string): void {
  tabStorage()?.removeItem(key(code));
  const store = browserStorage();
  for (const name of namesIn(store, keptKey(code, ''))) store?.removeItem(name);
}

/** This person can no longer come back (the server refused their token). */
export function forgetKept(pass: Pass): void {
  browserStorage()?.removeItem(keptKey(pass.code, personOf(pass)));
}

/** Every session this tab holds a pass for (normally one). */
export function allPasses(): Pass[] {
  const store = tabStorage();
  return namesIn(store, prefix)
    .map((name) => name.slice(prefix.length))
    .filter(isSessionCode)
    .map((code) => loadPass(code))
    .filter((pass): pass is Pass => pass !== null);
}

/** The passes this browser keeps (of one session, or of all): by code, the host first, then by name. */
export function keptPasses(code?: string): Pass[] {
  const store = browserStorage();
  return namesIn(store, code ? keptKey(code, '') : keptPrefix)
    .map((name) => parsePass(store?.getItem(name), code ?? null))
    .filter((pass): pass is Pass => pass !== null)
    .sort((a, b) => a.code.localeCompare(b.code) || (a.participant?.displayName ?? '').localeCompare(b.participant?.displayName ?? ''));
}

/** Drops kept passes of sessions that have expired by `now` (and any that no longer parse). */
export function purgeKept(now: number): void {
  const store = browserStorage();
  for (const name of namesIn(store, keptPrefix)) {
    const pass = parsePass(store?.getItem(name), null);
    if (!pass || !(Date.parse(pass.expiresAt) > now)) store?.removeItem(name);
  }
}

const themeKey = 'warmshower:theme';
export type Theme = 'light' | 'dark';

export function loadTheme(): Theme | null {
  try {
    const value = localStorage.getItem(themeKey);
    return value === 'light' || value === 'dark' ? value : null;
  } catch {
    return null;
  }
}

export function saveTheme(theme: Theme): void {
  try {
    localStorage.setItem(themeKey, theme);
  } catch {
    // not remembered; the toggle still works for this page
  }
}
