/**
 * Virtualization: where rows and columns are. Rows have one height; columns have their own widths.
 * Two @tanstack/virtual-core virtualizers (one per axis, over the same scroll element) observe
 * scrolling and resizing, give the table's total size and scroll a cell into view. Which rows and
 * columns show is worked out from the scroll offsets read in the frame that paints them (`rowsIn`,
 * `columnsIn`), not from the virtualizers' last observation, which lags a frame when the tab is
 * shown again; so no overscan is needed.
 */
import { Virtualizer, elementScroll, observeElementOffset, observeElementRect } from '@tanstack/virtual-core';

export const ROW_H = 22;
export const HEADER_H = 26;
export const ROWNUM_W = 64;

/** A row or column on screen: its index and where it starts, in the grid's coordinates. */
export interface Span {
  readonly index: number;
  readonly start: number;
  readonly size: number;
}

/** A cell by view row (0 = the first row in view order) and visible column. */
export interface CellAt {
  readonly row: number;
  readonly col: number;
}

export interface GeometrySource {
  rowCount(): number;
  columnCount(): number;
  /** The width of visible column `i`. */
  widthOf(i: number): number;
}

export class GridGeometry {
  private readonly rowsV: Virtualizer<HTMLDivElement, HTMLDivElement>;
  private readonly colsV: Virtualizer<HTMLDivElement, HTMLDivElement>;

  /** `changed` runs on every scroll and resize (the owner schedules a frame). */
  constructor(private readonly scrollEl: HTMLDivElement, private readonly source: GeometrySource, changed: () => void) {
    const common = {
      getScrollElement: () => scrollEl,
      observeElementRect,
      observeElementOffset,
      scrollToFn: elementScroll,
      // Scroll events run just before the frame's animation callbacks, so a render scheduled with
      // requestAnimationFrame still lands in the same frame, and reads (scroll offsets) are never
      // interleaved with DOM writes, which would force extra layouts.
      onChange: changed,
      initialRect: { width: 1200, height: 800 },
    };
    this.rowsV = new Virtualizer<HTMLDivElement, HTMLDivElement>({ ...common, count: 0, estimateSize: () => ROW_H, paddingStart: HEADER_H, overscan: 0 });
    this.colsV = new Virtualizer<HTMLDivElement, HTMLDivElement>({
      ...common,
      horizontal: true,
      count: 0,
      estimateSize: (i) => source.widthOf(i),
      paddingStart: ROWNUM_W,
      overscan: 0,
    });
  }

  /** Starts observing; returns what stops it. Call once the grid is in the document. */
  mount(): () => void {
    const stopRows = this.rowsV._didMount();
    const stopCols = this.colsV._didMount();
    this.update();
    return () => {
      stopRows();
      stopCols();
    };
  }

  /** The row count changed. */
  rowsChanged(): void {
    this.rowsV.setOptions({ ...this.rowsV.options, count: this.source.rowCount() });
  }

  /** The columns or their widths changed. */
  columnsChanged(): void {
    this.colsV.setOptions({ ...this.colsV.options, count: this.source.columnCount() });
    this.colsV.measure();
  }

  /** Brings the virtualizers up to date before sizes are read. */
  update(): void {
    this.rowsV._willUpdate();
    this.colsV._willUpdate();
  }

  get totalWidth(): number {
    return this.colsV.getTotalSize();
  }

  get totalHeight(): number {
    return this.rowsV.getTotalSize();
  }

  scrollTo(cell: CellAt): void {
    this.rowsV.scrollToIndex(cell.row, { align: 'auto' });
    this.colsV.scrollToIndex(cell.col, { align: 'auto' });
  }

  /** View rows that show in a painted area `height` tall at scroll offset `top`. */
  rowsIn(top: number, height: number): Span[] {
    const out: Span[] = [];
    if (height <= 0) return out;
    const last = Math.min(this.source.rowCount() - 1, Math.floor((top + height - 1) / ROW_H));
    for (let i = Math.max(0, Math.floor(top / ROW_H)); i <= last; i++) out.push({ index: i, start: HEADER_H + i * ROW_H, size: ROW_H });
    return out;
  }

  /** Visible columns that show in a painted area `width` wide at scroll offset `left`. */
  columnsIn(left: number, width: number): Span[] {
    const out: Span[] = [];
    const from = left + ROWNUM_W;
    const to = from + width;
    let x = ROWNUM_W;
    const n = this.source.columnCount();
    for (let i = 0; i < n && x < to; i++) {
      const w = this.source.widthOf(i);
      if (x + w > from) out.push({ index: i, start: x, size: w });
      x += w;
    }
    return out;
  }

  /** Where visible column `col` starts, in the grid's coordinates. */
  columnStart(col: number): number {
    let start = ROWNUM_W;
    for (let i = 0; i < col; i++) start += this.source.widthOf(i);
    return start;
  }

  /**
   * The cell under a point (client coordinates), or undefined off the cells. `clamp` gives the
   * nearest cell instead, for a drag that leaves the cells.
   */
  cellAt(clientX: number, clientY: number, clamp = false): CellAt | undefined {
    const el = this.scrollEl;
    const rect = el.getBoundingClientRect();
    let vx = clientX - rect.left;
    let vy = clientY - rect.top;
    const rows = this.source.rowCount();
    const cols = this.source.columnCount();
    if (clamp) {
      if (!rows || !cols) return undefined;
      vx = Math.min(Math.max(vx, ROWNUM_W), el.clientWidth - 1);
      vy = Math.min(Math.max(vy, HEADER_H), el.clientHeight - 1);
    } else if (vx < ROWNUM_W || vy < HEADER_H || vx >= el.clientWidth || vy >= el.clientHeight) {
      return undefined;
    }
    let row = Math.floor((vy + el.scrollTop - HEADER_H) / ROW_H);
    const x = vx + el.scrollLeft;
    let col = this.columnsIn(x - ROWNUM_W, 1)[0]?.index;
    if (clamp) {
      row = Math.min(Math.max(row, 0), rows - 1);
      col ??= cols - 1;
    }
    if (col === undefined || row < 0 || row >= rows) return undefined;
    return { row, col };
  }

  /** Rows a Page Up or Page Down moves. */
  pageRows(): number {
    return Math.max(1, Math.floor(this.scrollEl.clientHeight / ROW_H) - 1);
  }
}
