/**
 * Building the pages' DOM: elements with attributes set one by one and children added as text
 * nodes, so no text (a model's answer, a name, a comment) is ever parsed as markup, and handlers
 * added as listeners, never as inline `on...` attributes (the CSP would block those anyway).
 */

export type Child = Node | string | number | null | undefined | false | Child[];
export type Attrs = Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>;

/** Element builder: attributes via setAttribute, children as text nodes (never parsed as HTML). */
export function h(tag: string, attrs: Attrs | null, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  if (attrs) {
    for (const key of Object.keys(attrs)) {
      const v = attrs[key];
      if (v === null || v === undefined || v === false) continue;
      if (key === 'class') el.className = String(v);
      else if (key.slice(0, 2) === 'on') {
        // Handlers are functions added as listeners; an `on...` attribute (inline code) is never set.
        if (typeof v !== 'function') throw new Error('h(' + tag + '): ' + key + ' must be a function, not an attribute');
        el.addEventListener(key.slice(2), v);
      } else if (typeof v === 'function') {
        throw new Error('h(' + tag + '): ' + key + ' is not an event');
      } else el.setAttribute(key, v === true ? '' : String(v));
    }
  }
  for (const child of children) append(el, child);
  return el;
}

export function append(el: Node, child: Child): void {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) {
    child.forEach((c) => append(el, c));
    return;
  }
  el.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
}

export function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error('the page has no element #' + id);
  return el;
}

export function clear(el: Node): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}
