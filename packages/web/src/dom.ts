/**
 * The one way this page builds DOM. Strings always become text nodes, so nothing a person typed
 * (a name, a message) is ever parsed as HTML.
 */
export type Child = Node | string | number | null | undefined | false;

export interface Props {
  [attribute: string]: string | number | boolean | null | undefined | EventListener;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props) {
    for (const [name, value] of Object.entries(props)) {
      if (value === null || value === undefined || value === false) continue;
      if (name.startsWith('on') && typeof value === 'function') {
        element.addEventListener(name.slice(2), value);
      } else if (value === true) {
        element.setAttribute(name, '');
      } else {
        element.setAttribute(name, String(value));
      }
    }
  }
  append(element, ...children);
  return element;
}

/** Appends children, strings as text. */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** Replaces all children of `parent`. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** Sets text (never HTML) and returns the element. */
export function setText<T extends Element>(element: T, text: string): T {
  element.textContent = text;
  return element;
}

/** Builds an SVG element (for the QR code); attributes only, no markup strings. */
export function svg(tag: string, attributes: Record<string, string | number>, ...children: SVGElement[]): SVGElement {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  for (const child of children) element.appendChild(child);
  return element;
}

let ids = 0;
/** An id unique in this page, for label and aria references. */
export const uid = (prefix: string): string => `${prefix}-${++ids}`;

/** A button's busy state: a label saying what is happening, and no second click meanwhile. */
export function busy(button: HTMLButtonElement, label: string | null): void {
  if (label) {
    if (button.getAttribute('aria-busy') !== 'true') button.dataset.label = button.textContent ?? '';
    button.textContent = label;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
  } else if (button.getAttribute('aria-busy') === 'true') {
    button.textContent = button.dataset.label ?? button.textContent;
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

/** Shows a sentence in an element, or hides it when there is none. */
export function showText(element: HTMLElement, text: string | null | undefined): void {
  if ((element.textContent ?? '') !== (text ?? '')) element.textContent = text ?? '';
  element.hidden = !text;
}
