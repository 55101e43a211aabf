import { h, replace } from './dom.js';
import { sessionView } from './session.js';
import { loadPass, type Pass } from './storage.js';
import { themeToggle } from './theme.js';
import { endedView, homeView, joinView, normaliseCode, type Shell } from './views.js';

const main = document.getElementById('main') as HTMLElement;
const header = document.getElementById('top') as HTMLElement;
let cleanup: (() => void) | undefined;
let first = true;

function setUrl(code: string | null): void {
  const url = code ? `/?code=${code}` : '/';
  if (location.pathname + location.search !== url) history.replaceState(null, '', url);
}

const shell: Shell = {
  show(title, content, onLeave) {
    const previous = cleanup;
    cleanup = onLeave;
    previous?.();
    document.title = title;
    replace(main, content);
    // Move focus to the new view's heading so keyboard and screen reader users start there.
    if (!first) main.querySelector<HTMLElement>('h1')?.focus();
    first = false;
  },
  enter(pass: Pass) {
    setUrl(pass.code);
    // The first view of a page load that is a session is a resume: a reload or a reopened tab.
    sessionView(shell, pass, first);
  },
  home() {
    setUrl(null);
    homeView(shell);
  },
  join(code: string) {
    setUrl(code);
    joinView(shell, code);
  },
  ended(code, reason) {
    setUrl(null);
    endedView(shell, code, reason);
  },
};

const brand = h('a', { href: '/', class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), 'Warm Shower');
brand.addEventListener('click', (event) => {
  // Leaving a session view keeps its pass: the link back (?code=) resumes it.
  event.preventDefault();
  shell.home();
});
replace(header, h('div', { class: 'top-inner' }, brand, themeToggle()));

const code = normaliseCode(new URLSearchParams(location.search).get('code') ?? '');
const pass = code ? loadPass(code) : null;
if (pass) shell.enter(pass);
else if (code) shell.join(code);
else shell.home();
