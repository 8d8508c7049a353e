/**
 * Tiny DOM helpers. Every piece of API data goes in through `textContent` or an attribute set by
 * `setAttribute` on a known-safe name: never `innerHTML`, so hostile text stays text.
 */
type Child = Node | string | null | undefined | false;

export interface Props {
  class?: string;
  text?: string;
  title?: string;
  role?: string;
  attrs?: Record<string, string>;
  on?: Partial<{ [K in keyof HTMLElementEventMap]: (ev: HTMLElementEventMap[K]) => void }>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (props.class) e.className = props.class;
  if (props.text !== undefined) e.textContent = props.text;
  if (props.title !== undefined) e.title = props.title;
  if (props.role) e.setAttribute('role', props.role);
  if (props.attrs) for (const [k, v] of Object.entries(props.attrs)) e.setAttribute(k, v);
  if (props.on) {
    for (const [k, f] of Object.entries(props.on)) e.addEventListener(k, f as EventListener);
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return e;
}

export function button(label: string, onClick: () => void, props: Props = {}): HTMLButtonElement {
  const b = el('button', { ...props, text: label });
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

/** Bidirectional control characters: shown as visible escapes where text is shown as code. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function escapeBidi(s: string): string {
  return s.replace(BIDI, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** Shortens huge strings for display; the full value is a copy away. */
export function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}… (${s.length.toLocaleString()} characters)` : s;
}

/** Runs `f` once in the next animation frame, however often it is asked for before then. */
export function frameScheduler(f: () => void): () => void {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      f();
    });
  };
}

/** Drops the absent parts of a list of optional children. */
export function present(...nodes: (Node | null | undefined | false)[]): Node[] {
  return nodes.filter((n): n is Node => !!n);
}
