import { h, setText } from './dom.js';
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

/** A button that names the theme in effect ("Theme: dark") and switches it, remembered in localStorage. */
export function themeToggle(): HTMLButtonElement {
  const label = h('span', { class: 'theme-label' });
  const button = h('button', { type: 'button', class: 'theme-toggle', title: 'Switch between the light and dark themes' },
    h('span', { class: 'theme-icon', 'aria-hidden': 'true' }),
    label,
  );
  const sync = () => {
    button.dataset.theme = currentTheme();
    setText(label, `Theme: ${currentTheme()}`);
  };
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
