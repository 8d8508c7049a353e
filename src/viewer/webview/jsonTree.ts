/**
 * The JSON tab: a pretty-printed tree that folds. The visible lines live in one flat array; folding
 * splices lines in or out, and only the lines on screen are in the DOM (virtualized with
 * @tanstack/virtual-core), so a 50,000-record body opens as 50,000 folded lines, not 7 million.
 */
import { Virtualizer, elementScroll, observeElementOffset, observeElementRect } from '@tanstack/virtual-core';
import { plural } from '../../core/viewer/strings';
import { el, escapeBidi, clip, frameScheduler } from './dom';
import { S } from './strings';

const LINE_H = 20;
/** Bodies with fewer nodes than this open fully expanded. */
const EXPAND_ALL_NODES = 5000;
const MAX_STRING = 2000;

interface Line {
  depth: number;
  key?: string | number;
  value: unknown;
  /** 'open' and 'folded' lines belong to containers; 'close' ends an open one. */
  kind: 'leaf' | 'open' | 'folded' | 'close';
  /** The value's place among its siblings (1-based) and their number, for aria-posinset/-setsize. */
  pos: number;
  size: number;
}

/** A comma follows every value but the last of its container (after its closing bracket, if open). */
const hasComma = (line: Line) => line.kind !== 'open' && line.pos < line.size;

function isContainer(v: unknown): v is object {
  return v !== null && typeof v === 'object';
}

function countNodes(v: unknown, limit: number): number {
  let n = 0;
  const stack: unknown[] = [v];
  while (stack.length && n < limit) {
    const x = stack.pop();
    n++;
    if (isContainer(x)) for (const c of Object.values(x)) stack.push(c);
  }
  return n;
}

export class JsonTree {
  readonly root: HTMLElement;
  private readonly scrollEl: HTMLDivElement;
  private readonly sizer: HTMLDivElement;
  private readonly v: Virtualizer<HTMLDivElement, HTMLDivElement>;
  private lines: Line[] = [];
  private mounted = false;
  private cursor = -1;
  private cleanups: (() => void)[] = [];
  readonly schedule: () => void;

  constructor(label = S.jsonLabel) {
    this.schedule = frameScheduler(() => this.render());
    this.sizer = el('div', { class: 'tree-sizer' });
    this.scrollEl = el('div', { class: 'tree-scroll', role: 'tree', attrs: { tabindex: '0', 'aria-label': label } }, this.sizer);
    this.root = el('div', { class: 'json-view' }, this.scrollEl);
    this.v = new Virtualizer<HTMLDivElement, HTMLDivElement>({
      count: 0,
      getScrollElement: () => this.scrollEl,
      estimateSize: () => LINE_H,
      observeElementRect,
      observeElementOffset,
      scrollToFn: elementScroll,
      // Scroll notifications are already frame-aligned: render at once so no blank rows show.
      onChange: (_v: unknown, sync: boolean) => (sync ? this.render() : this.schedule()),
      overscan: 20,
      initialRect: { width: 1200, height: 800 },
    });
    this.sizer.addEventListener('click', (e) => {
      const line = (e.target as HTMLElement).closest<HTMLElement>('.tree-line');
      if (!line) return;
      const i = Number(line.dataset.i);
      this.cursor = i;
      if ((e.target as HTMLElement).classList.contains('toggle')) this.toggle(i);
      else this.schedule();
    });
    this.scrollEl.addEventListener('keydown', (e) => this.onKey(e));
  }

  mount(): void {
    if (this.mounted) return;
    this.mounted = true;
    this.cleanups.push(this.v._didMount());
    this.v._willUpdate();
    this.schedule();
  }

  setValue(value: unknown): void {
    const expandAll = countNodes(value, EXPAND_ALL_NODES + 1) <= EXPAND_ALL_NODES;
    this.lines = [];
    this.emit(value, 0, undefined, 1, 1, expandAll ? Infinity : 1, this.lines);
    this.cursor = 0;
    this.update();
  }

  private update(): void {
    this.v.setOptions({ ...this.v.options, count: this.lines.length });
    this.v.measure();
    this.schedule();
  }

  /** Appends the lines of `value`, expanded `expandDepth` levels deep. */
  private emit(value: unknown, depth: number, key: string | number | undefined, pos: number, size: number, expandDepth: number, out: Line[]): void {
    if (!isContainer(value)) {
      out.push({ depth, key, value, kind: 'leaf', pos, size });
      return;
    }
    if (expandDepth <= 0) {
      out.push({ depth, key, value, kind: 'folded', pos, size });
      return;
    }
    out.push({ depth, key, value, kind: 'open', pos, size });
    if (Array.isArray(value)) {
      const n = value.length;
      for (let i = 0; i < n; i++) this.emit(value[i], depth + 1, i, i + 1, n, expandDepth - 1, out);
    } else {
      const entries = Object.entries(value);
      entries.forEach(([k, x], i) => this.emit(x, depth + 1, k, i + 1, entries.length, expandDepth - 1, out));
    }
    // The closing bracket ends the same value: same level and place, so it is read as part of it.
    out.push({ depth, value, kind: 'close', pos, size });
  }

  private endOf(i: number): number {
    const depth = this.lines[i].depth;
    let j = i + 1;
    while (j < this.lines.length && !(this.lines[j].kind === 'close' && this.lines[j].depth === depth)) j++;
    return j;
  }

  toggle(i: number, open?: boolean): void {
    const line = this.lines[i];
    if (!line) return;
    if (line.kind === 'folded' && open !== false) {
      const repl: Line[] = [];
      const small = countNodes(line.value, 500) < 500;
      this.emit(line.value, line.depth, line.key, line.pos, line.size, small ? Infinity : 1, repl);
      this.lines.splice(i, 1, ...repl);
    } else if (line.kind === 'open' && open !== true) {
      const end = this.endOf(i);
      this.lines.splice(i, end - i + 1, { depth: line.depth, key: line.key, value: line.value, kind: 'folded', pos: line.pos, size: line.size });
    } else {
      return;
    }
    this.update();
  }

  /** Finds the next line whose text contains `q` (case-insensitive), unfolding what hides a match. */
  findNext(q: string): boolean {
    const needle = q.toLowerCase();
    if (!needle || !this.lines.length) return false;
    const n = this.lines.length;
    for (let step = 1; step <= n; step++) {
      const i = (this.cursor + step) % n;
      const line = this.lines[i];
      if (lineText(line).toLowerCase().includes(needle)) {
        this.cursor = i;
        this.reveal(i);
        return true;
      }
      if (line.kind === 'folded' && JSON.stringify(line.value).toLowerCase().includes(needle)) {
        this.toggle(i, true);
        // Continue inside the opened value: its own lines come next.
        this.cursor = i;
        return this.findNext(q);
      }
    }
    return false;
  }

  private reveal(i: number): void {
    this.v.scrollToIndex(i, { align: 'center' });
    this.schedule();
    requestAnimationFrame(() => this.sizer.querySelector<HTMLElement>(`.tree-line[data-i="${i}"]`)?.focus({ preventScroll: true }));
  }

  private onKey(e: KeyboardEvent): void {
    const n = this.lines.length;
    if (!n) return;
    let i = Math.max(0, this.cursor);
    switch (e.key) {
      case 'ArrowDown':
        i = Math.min(n - 1, i + 1);
        break;
      case 'ArrowUp':
        i = Math.max(0, i - 1);
        break;
      case 'PageDown':
        i = Math.min(n - 1, i + Math.floor(this.scrollEl.clientHeight / LINE_H));
        break;
      case 'PageUp':
        i = Math.max(0, i - Math.floor(this.scrollEl.clientHeight / LINE_H));
        break;
      case 'Home':
        i = 0;
        break;
      case 'End':
        i = n - 1;
        break;
      case 'ArrowRight':
      case 'Enter':
        if (this.lines[i].kind === 'folded') this.toggle(i, true);
        break;
      case 'ArrowLeft':
        if (this.lines[i].kind === 'open') this.toggle(i, false);
        else {
          // Go to the parent line.
          const d = this.lines[i].depth;
          while (i > 0 && !(this.lines[i].kind === 'open' && this.lines[i].depth < d)) i--;
        }
        break;
      default:
        return;
    }
    e.preventDefault();
    this.cursor = i;
    this.reveal(i);
  }

  private render(): void {
    if (!this.mounted) return;
    this.v._willUpdate();
    const items = this.v.getVirtualItems();
    this.sizer.style.height = `${this.v.getTotalSize()}px`;
    const rows: HTMLElement[] = [];
    for (const it of items) {
      const line = this.lines[it.index];
      if (!line) continue;
      const row = renderLine(line, it.index, it.index === this.cursor);
      row.style.top = `${it.start}px`;
      rows.push(row);
    }
    this.sizer.replaceChildren(...rows);
  }

  dispose(): void {
    for (const c of this.cleanups) c();
  }
}

function keyPart(line: Line): string {
  if (line.key === undefined || typeof line.key === 'number') return '';
  return JSON.stringify(escapeBidi(line.key)) + ': ';
}

/** What a folded value holds: "3 items", "12 keys". */
function summary(v: object): string {
  return Array.isArray(v) ? plural(v.length, S.itemCountOne, S.itemCount) : plural(Object.keys(v).length, S.keyCountOne, S.keyCount);
}

function leafText(v: unknown): string {
  if (typeof v === 'string') return clip(JSON.stringify(escapeBidi(v)), MAX_STRING);
  return v === undefined ? 'null' : String(v);
}

function lineText(line: Line): string {
  const k = keyPart(line);
  switch (line.kind) {
    case 'leaf':
      return k + leafText(line.value);
    case 'folded':
      return `${k}${Array.isArray(line.value) ? '[…]' : '{…}'} ${summary(line.value as object)}`;
    default:
      return k;
  }
}

function renderLine(line: Line, index: number, current: boolean): HTMLElement {
  const row = el('div', {
    class: current ? 'tree-line current' : 'tree-line',
    role: 'treeitem',
    attrs: {
      'data-i': String(index),
      'aria-level': String(line.depth + 1),
      'aria-posinset': String(line.pos),
      'aria-setsize': String(line.size),
      'aria-selected': String(current),
      tabindex: current ? '0' : '-1',
    },
  });
  row.style.paddingLeft = `${line.depth * 16 + 18}px`;
  if (line.kind === 'open' || line.kind === 'folded') {
    row.setAttribute('aria-expanded', String(line.kind === 'open'));
    row.append(el('span', { class: 'toggle', text: line.kind === 'open' ? '▾' : '▸', attrs: { 'aria-hidden': 'true' } }));
  }
  if (line.key !== undefined && typeof line.key === 'string') {
    row.append(el('span', { class: 'j-key', text: JSON.stringify(escapeBidi(line.key)) }), el('span', { class: 'j-punct', text: ': ' }));
  }
  const isArr = Array.isArray(line.value);
  switch (line.kind) {
    case 'leaf': {
      const v = line.value;
      const cls = v === null ? 'j-null' : typeof v === 'string' ? 'j-string' : typeof v === 'number' ? 'j-number' : 'j-bool';
      row.append(el('span', { class: cls, text: leafText(v) }));
      break;
    }
    case 'open':
      row.append(el('span', { class: 'j-punct', text: isArr ? '[' : '{' }));
      break;
    case 'folded':
      row.append(el('span', { class: 'j-punct', text: isArr ? '[' : '{' }), el('span', { class: 'j-summary', text: summary(line.value as object) }), el('span', { class: 'j-punct', text: isArr ? ']' : '}' }));
      break;
    case 'close':
      row.append(el('span', { class: 'j-punct', text: isArr ? ']' : '}' }));
      break;
  }
  if (hasComma(line)) row.append(el('span', { class: 'j-punct', text: ',' }));
  return row;
}
