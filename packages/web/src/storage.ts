import { isSessionCode } from '@warmshower/core/protocol';

/**
 * What this tab holds for one session, in sessionStorage only (one tab; gone when the tab closes,
 * and forgotten as soon as the session is over). Private keys never leave it.
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

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage disabled: the page still works until a reload
  }
}

export function loadPass(code: string): Pass | null {
  const raw = storage()?.getItem(key(code));
  if (!raw) return null;
  try {
    const pass = JSON.parse(raw) as Pass;
    return pass.code === code && (pass.hostToken || pass.participant) ? pass : null;
  } catch {
    return null;
  }
}

export function savePass(pass: Pass): void {
  try {
    storage()?.setItem(key(pass.code), JSON.stringify(pass));
  } catch {
    // full or disabled: this tab still works until a reload
  }
}

/** Changes a stored pass, if this tab still has it. */
export function updatePass(code: string, change: (pass: Pass) => Pass): void {
  const pass = loadPass(code);
  if (pass) savePass(change(pass));
}

export function forgetPass(code: string): void {
  storage()?.removeItem(key(code));
}

/** Every session this tab holds a pass for (normally one). */
export function allPasses(): Pass[] {
  const store = storage();
  if (!store) return [];
  const passes: Pass[] = [];
  for (let i = 0; i < store.length; i++) {
    const name = store.key(i);
    const code = name?.startsWith(prefix) ? name.slice(prefix.length) : null;
    const pass = isSessionCode(code) ? loadPass(code) : null;
    if (pass) passes.push(pass);
  }
  return passes;
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
