import { h } from './dom.js';
import { loadTheme, saveTheme, type Theme } from './storage.js';

const dark = () => window.matchMedia('(prefers-color-scheme: dark)');

/** The theme in effect: the remembered choice, else the system's. */
export function currentTheme(): Theme {
  return loadTheme() ?? (dark().matches ? 'dark' : 'light');
}

export function applyTheme(theme: Theme | null): void {
  if (theme) document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
}

/** A "Dark theme" toggle button (aria-pressed) that remembers the choice in localStorage. */
export function themeToggle(): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'theme-toggle', 'aria-pressed': 'false' },
    h('span', { class: 'theme-icon', 'aria-hidden': 'true' }),
    h('span', { class: 'theme-label' }, 'Dark theme'),
  );
  const sync = () => button.setAttribute('aria-pressed', String(currentTheme() === 'dark'));
  button.addEventListener('click', () => {
    const next: Theme = currentTheme() === 'dark' ? 'light' : 'dark';
    saveTheme(next);
    applyTheme(next);
    sync();
  });
  dark().addEventListener('change', sync);
  sync();
  return button;
}
