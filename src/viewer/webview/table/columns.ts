/**
 * The table's columns and their sizes: which are shown (the user hides some, and flattens or folds
 * nested objects), and how wide each is: the width the user dragged it to, else one measured from
 * its content, else a default by kind.
 */
import { ColumnInfo, TableColumn, layoutColumns } from '../../../core/viewer/columns';

export const MIN_W = 40;
/** Columns size to their content up to this width, so that one long value does not push the rest away. */
const AUTO_MAX_W = 320;
/** The records a column's width is measured on (the first ones: the rest seldom differ). */
const AUTO_SAMPLE = 200;
/** Room in a header beside its label: padding, border and the sort mark. */
const HEAD_EXTRA_X = 17 + 16;
/** Room for the flatten / fold button in a header. */
const HEAD_BUTTON_X = 22;
/** Room a nested value's chip takes beside its text. */
const CHIP_X = 8;

export interface ColumnState {
  hiddenColumns: string[];
  columnWidths: Record<string, number>;
  /** The user's choice per nested object column: shown as columns (true) or as one (false). */
  flatten: Record<string, boolean>;
}

/** Measures text for `fit`: a header's label, and a cell's content as the painter would show it. */
export interface TextMeasure {
  header(text: string): number;
  /** The cell's text width plus its padding and border. */
  cell(record: unknown, column: TableColumn): { width: number; nested: boolean };
}

/** A column's width until its content is measured (see `fit`). */
function defaultWidth(c: TableColumn): number {
  if (c.key === 'id') return 80;
  switch (c.kind) {
    case 'number':
      return 110;
    case 'boolean':
      return 80;
    case 'object':
    case 'array':
      return 96;
    default:
      return Math.min(260, Math.max(120, c.key.length * 8 + 24));
  }
}

export class ColumnSet {
  /** Every column the records have (nested objects laid out as chosen), and the shown ones. */
  all: TableColumn[] = [];
  visible: TableColumn[] = [];
  private inferred: ColumnInfo[] = [];
  private select: readonly string[] = [];
  private hidden = new Set<string>();
  private flatten: Record<string, boolean> = {};
  /** Widths the user set (kept in the state), and widths measured from the content. */
  private widths: Record<string, number> = {};
  private readonly autoWidths = new Map<string, number>();

  applyState(s: Partial<ColumnState>): void {
    if (s.hiddenColumns) this.hidden = new Set(s.hiddenColumns);
    if (s.columnWidths) this.widths = { ...s.columnWidths };
    if (s.flatten) this.flatten = { ...s.flatten };
  }

  state(): ColumnState {
    return { hiddenColumns: [...this.hidden], columnWidths: { ...this.widths }, flatten: { ...this.flatten } };
  }

  /** New data: `columns` is the list inferred from the records (it grows with them), `select` the request's `$select`. */
  setSource(columns: ColumnInfo[], select: readonly string[]): void {
    this.inferred = columns;
    this.select = select;
    this.autoWidths.clear();
  }

  /** Lays the columns out again (after new columns, a flatten or a hide). */
  refresh(): void {
    this.all = layoutColumns(this.inferred, { select: this.select, flatten: this.flatten });
    this.visible = this.all.filter((c) => !this.hidden.has(c.key));
  }

  get keys(): string[] {
    return this.visible.map((c) => c.key);
  }

  isHidden(key: string): boolean {
    return this.hidden.has(key);
  }

  setHidden(key: string, hidden: boolean): void {
    if (hidden) this.hidden.add(key);
    else this.hidden.delete(key);
    this.refresh();
  }

  showAll(): void {
    this.hidden.clear();
    this.refresh();
  }

  hideAll(): void {
    this.hidden = new Set(this.all.map((c) => c.key));
    this.refresh();
  }

  setFlatten(key: string, flat: boolean): void {
    this.flatten[key] = flat;
    this.refresh();
  }

  widthOf(c: TableColumn | undefined): number {
    if (!c) return 100;
    return this.widths[c.key] ?? this.autoWidths.get(c.key) ?? defaultWidth(c);
  }

  /** The user resized a column. */
  resize(key: string, width: number): void {
    this.widths[key] = Math.max(MIN_W, Math.round(width));
  }

  /** Widths measured in another font no longer fit their content. */
  forgetMeasured(): void {
    this.autoWidths.clear();
  }

  /**
   * Gives each visible column without a width one from its content: its header and its first
   * AUTO_SAMPLE cells, at most AUTO_MAX_W (longer values are cut, in full on hover). A column
   * measured once keeps its width while more records arrive. Returns whether any width changed.
   */
  fit(records: readonly unknown[], measure: TextMeasure): boolean {
    const n = Math.min(AUTO_SAMPLE, records.length);
    let changed = false;
    for (const c of this.visible) {
      if (this.autoWidths.has(c.key) || this.widths[c.key] !== undefined) continue;
      let w = measure.header(c.key) + HEAD_EXTRA_X + (c.fields !== undefined || c.parent ? HEAD_BUTTON_X : 0);
      for (let i = 0; i < n && w < AUTO_MAX_W; i++) {
        const cell = measure.cell(records[i], c);
        w = Math.max(w, cell.width + (cell.nested ? CHIP_X : 0) + 1);
      }
      this.autoWidths.set(c.key, Math.min(AUTO_MAX_W, Math.max(MIN_W, Math.ceil(w))));
      changed = true;
    }
    return changed;
  }
}
