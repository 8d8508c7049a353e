/**
 * A list reused as scratch space by the parsers: items go in at `n`, and `take` copies them out at
 * their exact length or hands out the shared empty list. Parsing a 1 MB request file builds
 * thousands of small lists; a push-grown array reserves 17 slots on its first push, and the tree
 * keeps those lists alive for the garbage collector to copy. Resetting keeps the storage: an array
 * whose length is set to 0 drops its backing store, and the next push allocates again.
 */
export class Scratch<T> {
  items: T[] = [];
  n = 0;

  add(x: T): void {
    this.items[this.n++] = x;
  }

  /** The collected items as a new exact-length list (or the shared empty one); the scratch is reset. */
  take(): T[] {
    const n = this.n;
    this.n = 0;
    return n === 0 ? (EMPTY_LIST as unknown as T[]) : this.items.slice(0, n);
  }
}

/** The one empty list the parsers hand out (not frozen: `for…of` over a frozen array is slower in V8). */
export const EMPTY_LIST: readonly never[] = [];

/**
 * A growable list of 32-bit integers, reused by the request-file parser for the offsets it keeps
 * (`done` copies them out as an exact-length typed array, which the garbage collector never scans).
 */
export class IntList {
  private a = new Int32Array(256);
  n = 0;

  push2(x: number, y: number): void {
    if (this.n + 2 > this.a.length) this.grow();
    this.a[this.n++] = x;
    this.a[this.n++] = y;
  }

  at(i: number): number {
    return this.a[i];
  }

  /**
   * Makes room for `count` more values and returns the storage to write them into, from the old `n`
   * on. The caller writes every one of them: they are not cleared.
   */
  reserve(count: number): Int32Array {
    while (this.n + count > this.a.length) this.grow();
    this.n += count;
    return this.a;
  }

  push(x: number): void {
    if (this.n === this.a.length) this.grow();
    this.a[this.n++] = x;
  }

  private grow(): void {
    const b = new Int32Array(this.a.length * 2);
    b.set(this.a);
    this.a = b;
  }

  /** The values as an exact-length array (a copy, so that the scratch can be reused). */
  done(): Int32Array {
    const out = this.a.slice(0, this.n);
    this.n = 0;
    return out;
  }
}
