// Counts of word pairs (a, m, b) — word a, the connector words between (m, 0 for none), word b — in an
// open-addressing hash table over typed arrays: 16 bytes a slot, where a Map with string keys costs
// several times that. Memory is bounded: above maxEntries the rarest pairs are dropped, as word2phrase.c
// prunes its vocabulary (count <= minReduce, minReduce rising by one each time).

const EMPTY = 0; // a slot with count 0 is free

export class PairTable {
  private a: Int32Array;
  private m: Int32Array;
  private b: Int32Array;
  private n: Int32Array;
  private mask: number;
  size = 0;
  /** Pairs seen at most this many times were dropped (1 = nothing dropped yet). */
  minReduce = 1;
  /** How many times pairs were dropped. */
  prunes = 0;

  constructor(
    /** Most pairs kept before the rarest are dropped. */
    readonly maxEntries: number,
    initialCapacity = 1 << 16,
  ) {
    const cap = 1 << Math.ceil(Math.log2(Math.max(16, initialCapacity)));
    this.a = new Int32Array(cap);
    this.m = new Int32Array(cap);
    this.b = new Int32Array(cap);
    this.n = new Int32Array(cap);
    this.mask = cap - 1;
  }

  private slot(a: number, m: number, b: number): number {
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77) ^ Math.imul(m, 0xc2b2ae3d);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 13;
    let i = h & this.mask;
    while (this.n[i] !== EMPTY && (this.a[i] !== a || this.b[i] !== b || this.m[i] !== m)) i = (i + 1) & this.mask;
    return i;
  }

  add(a: number, m: number, b: number): void {
    const i = this.slot(a, m, b);
    if (this.n[i] !== EMPTY) {
      this.n[i]++;
      return;
    }
    this.a[i] = a;
    this.m[i] = m;
    this.b[i] = b;
    this.n[i] = 1;
    this.size++;
    if (this.size > this.maxEntries) this.prune();
    else if (this.size > this.n.length * 0.7) this.rehash(this.n.length * 2, 0);
  }

  get(a: number, m: number, b: number): number {
    return this.n[this.slot(a, m, b)];
  }

  /** Drops every pair seen at most minReduce times, then raises minReduce, until a quarter of the room is free. */
  prune(): void {
    do {
      this.rehash(this.n.length, this.minReduce);
      this.minReduce++;
      this.prunes++;
    } while (this.size > this.maxEntries * 0.75);
  }

  /** Rebuilds with `capacity` slots, keeping the pairs seen more than `dropAtMost` times. */
  private rehash(capacity: number, dropAtMost: number): void {
    const { a, m, b, n } = this;
    this.a = new Int32Array(capacity);
    this.m = new Int32Array(capacity);
    this.b = new Int32Array(capacity);
    this.n = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.size = 0;
    for (let i = 0; i < n.length; i++) {
      if (n[i] <= dropAtMost) continue; // also skips free slots (0)
      const j = this.slot(a[i], m[i], b[i]);
      this.a[j] = a[i];
      this.m[j] = m[i];
      this.b[j] = b[i];
      this.n[j] = n[i];
      this.size++;
    }
  }

  /** Calls f for every pair kept. */
  forEach(f: (a: number, m: number, b: number, count: number) => void): void {
    for (let i = 0; i < this.n.length; i++) if (this.n[i] !== EMPTY) f(this.a[i], this.m[i], this.b[i], this.n[i]);
  }
}
