/**
 * The cells' look: the colours and fonts the stylesheet gives cells (VS Code's theme variables),
 * read from probe elements once the grid is laid out and again when the theme or font changes, and
 * text measuring in those fonts.
 */
import type { PaintTheme } from './cellPaint';

/** A cell's horizontal padding plus its right border (media/webview.css, `.grid-cell`). */
export const CELL_INSET_X = 17;
/** Printable ASCII: the characters whose width the monospace check covers. */
const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

/** The computed values `read` takes from a probe element. */
type ProbedStyle = Pick<CSSStyleDeclaration, 'color' | 'backgroundColor' | 'borderRightColor' | 'fontStyle' | 'fontWeight' | 'fontSize' | 'fontFamily'>;

export class CellTheme {
  /** Read since the last change: the painter has it. */
  themeRead = false;
  private fontMeasured = false;
  /**
   * The width of one character of the cells' font when that font is monospaced for printable
   * ASCII (upright and italic), else 0. It lets `fits` tell, without measuring, which cells' text
   * surely fits: only the others are measured (once per text and width) and cut with an ellipsis.
   */
  private charW = 0;
  private fonts = { cell: '', head: '' };
  private ctx: CanvasRenderingContext2D | null = null;

  /**
   * `probeParent` is where probe elements are laid out; `grid` gives the background. `changed`
   * runs when the theme is read with other fonts than before (measured widths are stale).
   */
  constructor(
    private readonly probeParent: HTMLElement,
    private readonly grid: HTMLElement,
    private readonly apply: (theme: PaintTheme) => void,
    private readonly fontsChanged: () => void,
  ) {}

  /** Reads what is not read yet; only once laid out (`laidOut`: the grid has a width). */
  refresh(laidOut: boolean): void {
    if (!laidOut) return;
    if (!this.fontMeasured) this.measureFont();
    if (!this.themeRead) this.read();
  }

  /** The font or theme may have changed: read both again on the next frame. */
  invalidate(): void {
    this.fontMeasured = false;
    this.themeRead = false;
    this.charW = 0;
  }

  /** The width of text in the header's font. */
  headerWidth(text: string): number {
    const ctx = this.context();
    if (!ctx) return 0;
    ctx.font = this.fonts.head;
    return ctx.measureText(text).width;
  }

  /** The width of a cell's text: counted for the ASCII of a monospace font, else measured. */
  textWidth(text: string): number {
    if (this.charW && isPrintableAscii(text)) return text.length * this.charW;
    const ctx = this.context();
    if (!ctx) return 0;
    ctx.font = this.fonts.cell;
    return ctx.measureText(text).width;
  }

  /**
   * Whether `text` surely fits in the content box of a cell `width` wide, in the cells' monospace
   * font: printable ASCII only (no tabs, line breaks, wide or combining characters), a little margin.
   */
  fits(text: string, width: number): boolean {
    return !!this.charW && text.length * this.charW <= width - CELL_INSET_X - 1 && isPrintableAscii(text);
  }

  private context(): CanvasRenderingContext2D | null {
    return (this.ctx ??= document.createElement('canvas').getContext('2d'));
  }

  /** Sets `charW` (see there). Reads layout once, when the grid is first shown or the font changes. */
  private measureFont(): void {
    const probe = document.createElement('div');
    probe.className = 'grid-cell';
    probe.style.position = 'absolute';
    probe.style.visibility = 'hidden';
    const span = (text: string, italic: boolean) => {
      const e = document.createElement('span');
      e.textContent = text;
      if (italic) e.style.fontStyle = 'italic';
      probe.append(e);
      return e;
    };
    const m = span('M'.repeat(ASCII.length), false);
    const upright = span(ASCII, false);
    const italic = span(ASCII, true);
    this.probeParent.append(probe);
    const [w, wu, wi] = [m, upright, italic].map((e) => e.getBoundingClientRect().width);
    probe.remove();
    if (w <= 0) return; // not laid out yet (hidden tab): measure again on the next frame
    this.fontMeasured = true;
    this.charW = Math.abs(wu - w) < 0.5 && Math.abs(wi - w) < 0.5 ? w / ASCII.length : 0;
  }

  private read(): void {
    const probe = (cls: string, tag = 'div'): ProbedStyle => {
      const e = document.createElement(tag);
      e.className = cls;
      e.style.position = 'absolute';
      e.style.visibility = 'hidden';
      this.probeParent.append(e);
      const cs = getComputedStyle(e);
      // A snapshot: the live declaration empties once the probe is removed.
      const copy: ProbedStyle = { color: cs.color, backgroundColor: cs.backgroundColor, borderRightColor: cs.borderRightColor, fontStyle: cs.fontStyle, fontWeight: cs.fontWeight, fontSize: cs.fontSize, fontFamily: cs.fontFamily };
      e.remove();
      return copy;
    };
    const cell = probe('grid-cell');
    if (!cell.fontSize) return; // not laid out yet: read again on the next frame
    const head = probe('grid-hcell');
    const odd = probe('grid-row odd');
    const num = probe('grid-cell k-number');
    const bool = probe('grid-cell k-boolean');
    const nul = probe('grid-cell k-null');
    const nested = probe('nested', 'button');
    const hover = getComputedStyle(document.documentElement).getPropertyValue('--hover').trim();
    const selected = getComputedStyle(document.documentElement).getPropertyValue('--selection').trim();
    const font = (s: ProbedStyle, italic: boolean) => `${italic ? 'italic' : 'normal'} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
    const theme: PaintTheme = {
      font: font(cell, false),
      italicFont: font(nul, nul.fontStyle === 'italic'),
      bg: getComputedStyle(this.grid).backgroundColor,
      fg: cell.color,
      odd: odd.backgroundColor,
      hover: hover || odd.backgroundColor,
      selected: selected || hover || odd.backgroundColor,
      border: cell.borderRightColor,
      number: num.color,
      boolean: bool.color,
      nullFg: nul.color,
      nestedBg: nested.backgroundColor,
      nestedFg: nested.color,
    };
    this.themeRead = true;
    this.apply(theme);
    const fonts = { cell: theme.font, head: font(head, false) };
    if (fonts.cell !== this.fonts.cell || fonts.head !== this.fonts.head) {
      this.fonts = fonts;
      this.fontsChanged();
    }
  }
}

export function isPrintableAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}
