import { normaliseCode } from '@warmshower/core/protocol';
import { h, replace } from './dom.js';
import { homeView } from './home.js';
import { joinView } from './join-form.js';
import { pageBase, setUrl } from './paths.js';
import { sessionView } from './session.js';
import { loadPass, purgeKept, type Pass } from './storage.js';
import { themeToggle } from './theme.js';

/** What a view needs from the page around it. */
export interface Shell {
  /** Shows a view in <main>; `cleanup` runs when the next view replaces it. */
  show(title: string, content: Node, cleanup?: () => void): void;
  /** Enters a session this tab holds a pass for. */
  enter(pass: Pass): void;
  home(): void;
  /** The join view; `notice` says why an earlier visit could not be continued. */
  join(code: string, notice?: string): void;
}

const main = document.getElementById('main') as HTMLElement;
const header = document.getElementById('top') as HTMLElement;
let cleanup: (() => void) | undefined;
let first = true;

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
  enter(pass) {
    setUrl(pass.code);
    // Every session view starts with a replay of the inbox (a reload, a reopened tab, "Go back to
    // it" from the home page); a fresh join has nothing to replay. Each shows it without reading
    // every old message aloud again.
    sessionView(shell, pass);
  },
  home() {
    setUrl(null);
    homeView(shell);
  },
  join(code, notice) {
    setUrl(code);
    joinView(shell, code, notice);
  },
};

const brand = h('a', { href: pageBase(), class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), 'Warm Shower');
brand.addEventListener('click', (event) => {
  // Leaving a session view keeps its pass: the link back (?code=) resumes it.
  event.preventDefault();
  shell.home();
});
replace(header, h('div', { class: 'top-inner' }, brand, themeToggle()));

purgeKept(Date.now()); // what this browser kept of sessions that have expired since
const code = normaliseCode(new URLSearchParams(location.search).get('code') ?? '');
const pass = code ? loadPass(code) : null;
if (pass) shell.enter(pass);
else if (code) shell.join(code);
else shell.home();
