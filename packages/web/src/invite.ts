// The host's invitation: the code, the join link from GET /api/info with a copy button and its QR
// code, and a plain warning when that link points at this computer only.
import { h, replace, setText, uid } from './dom.js';
import type { Panel } from './panel.js';
import { qrSvg } from './qr.js';
import { joinLink, spacedCode } from '@warmshower/core/protocol';
import type { SessionState } from './state.js';
import { spokenCode } from './text.js';

/** The port a URL is served on: its own, or its scheme's default when it names none. */
export function portOf(url: string): string {
  const parsed = new URL(url);
  return parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
}

/**
 * Why other devices cannot use a loopback link, and the three ways out. The `--public-url`
 * example carries the port the page is served on (the join link's, else the page's own).
 */
export function loopbackWarning(): { element: HTMLElement; render(joinUrl: string | null): void } {
  const port = h('span');
  const element = h('div', { class: 'loopback', role: 'note' },
    h('p', null, h('strong', null, 'Other devices cannot open this link: '), 'it points at this computer only.'),
    h('p', null, 'To invite others, start the server with ',
      h('code', null, h('span', { class: 'flag' }, '--public-url'), ' http://<this computer’s address>:', port),
      ' or ', h('code', { class: 'flag' }, '--host 0.0.0.0'), ', or open this page through the computer’s network address.'),
  );
  return {
    element,
    render(joinUrl) {
      setText(port, portOf(joinUrl ?? location.href));
    },
  };
}

export function invitePanel(): Panel {
  const headingId = uid('h');
  const copied = h('span', { class: 'copied', role: 'status' });
  // A read-only textarea, not an input: the whole link stays readable, wrapping where it must.
  const linkField = h('textarea', { class: 'link-field', readonly: true, rows: 1, spellcheck: 'false', 'aria-label': 'Join link' });
  const copy = h('button', { type: 'button' }, 'Copy link');
  const qrBox = h('div', { class: 'qr-box' });
  const loopback = loopbackWarning();
  const warning = h('div', { hidden: true }, loopback.element);
  const codeDisplay = h('span', { class: 'code-display', 'aria-hidden': 'true' });
  const codeSpoken = h('span', { class: 'sr-only' });
  let timer: number | undefined;
  copy.addEventListener('click', async () => {
    let ok = false;
    try {
      await navigator.clipboard.writeText(linkField.value);
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
    window.clearTimeout(timer);
    timer = window.setTimeout(() => setText(copied, ''), 4000);
  });
  const element = h('div', { class: 'invite', 'aria-labelledby': headingId, role: 'group' },
    h('div', { class: 'stack' },
      h('h2', { id: headingId }, 'Invite your team'),
      h('p', { class: 'muted' }, 'Share this code or link, or let people scan the QR code.'),
      h('p', null, codeDisplay, codeSpoken),
      h('div', { class: 'link-row' }, linkField, copy),
      copied,
      warning,
    ),
    qrBox,
  );
  let shown = '';
  return {
    element,
    render(state: SessionState) {
      setText(codeDisplay, spacedCode(state.code));
      setText(codeSpoken, `Code: ${spokenCode(state.code)}`);
      warning.hidden = !state.joinUrlIsLoopback;
      loopback.render(state.joinUrl);
      const link = state.joinUrl ? joinLink(state.joinUrl, state.code) : '';
      if (link === shown) return;
      shown = link;
      linkField.value = link;
      copy.disabled = !link;
      replace(qrBox, link ? qrSvg(link, `QR code of the join link for session ${state.code}`) : h('p', { class: 'muted' }, 'Finding the join link…'));
      setText(copied, '');
    },
  };
}
