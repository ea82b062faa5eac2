// GloVe's co-occurrence counts in bounded memory (Stanford GloVe's cooccur.c, reshaped): every pair of
// word ids within --window of each other on one line adds 1/distance to (i, j) and to (j, i).
// Frequent pairs — ids are ranks by frequency, so pairs whose (i+1)(j+1) is small — go to a dense table;
// the rest accumulate in an open-addressing hash (which, unlike cooccur.c's flat buffer, adds up
// repeats before spilling), spilled as sorted runs to files in the work directory when it fills, and
// merged with the dense table into one sorted file of records at the end; when nothing was spilled the
// two are written as they stand (writeUnmerged). --memory caps both.
//
// Record file layout (also what shuffle.ts and the GloVe engines read): 16 bytes per record,
// little-endian int32 i, int32 j, float64 x.
import fs from 'node:fs';
import path from 'node:path';
import { EmbedError, checkAborted, quote } from '../errors.js';
import { readSentences, type TokenCache } from './token-cache.js';

export const RECORD_BYTES = 16;

export interface CooccurFile {
  path: string;
  /** Records in the file (distinct (i, j) pairs with x > 0). */
  records: number;
}

export interface CooccurStats {
  /** Pairs counted in the dense table / in the hash. */
  denseEntries: number;
  /** Sorted runs written to disk (0: everything fitted in memory). */
  runs: number;
  /** The (i+1)(j+1) bound under which a pair goes to the dense table. */
  maxProduct: number;
  /** Bytes of the dense table and of the hash. */
  denseBytes: number;
  hashBytes: number;
}

/** Counting progress: tokens done of the token-id file's total, and runs spilled so far. */
export type CooccurEvent = { phase: 'cooccur'; done: number; total: number; runs: number };

export interface CooccurOptions {
  window: number;
  vocabSize: number;
  /** Bytes for the dense table plus the hash (--memory). */
  memoryBytes: number;
  /** Where runs and the result go (a directory removed by the caller on success, failure and signals). */
  dir: string;
  signal?: AbortSignal;
  onEvent?: (e: CooccurEvent) => void;
}

/** Columns j ≥ i of dense row i: those with (i+1)(j+1) ≤ P (the table holds one triangle). */
function rowCells(i: number, vocabSize: number, p: number): number {
  return Math.max(0, Math.min(vocabSize, Math.floor(p / (i + 1))) - i);
}

/**
 * Chooses the dense table's product bound: the largest P whose table, sum over rows i of
 * rowCells(i) float64 cells, fits in `bytes`.
 */
export function denseBound(vocabSize: number, bytes: number): number {
  const cells = Math.floor(bytes / 8);
  const size = (p: number) => {
    let s = 0;
    for (let i = 0; i < vocabSize; i++) {
      const n = rowCells(i, vocabSize, p);
      if (n === 0) break;
      s += n;
      if (s > cells) return s;
    }
    return s;
  };
  let lo = 0,
    hi = Math.max(1, vocabSize * vocabSize);
  while (lo < hi) {
    const mid = Math.floor((lo + hi + 1) / 2);
    if (size(mid) <= cells) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Fails with a clear message before writing `bytes` more to `dir` if the disk cannot hold them. */
export function checkDiskSpace(dir: string, bytes: number, what: string): void {
  let free: number;
  try {
    const s = fs.statfsSync(dir);
    free = s.bavail * s.bsize;
  } catch {
    return; // no statfs (unusual filesystems): the write itself reports ENOSPC
  }
  if (bytes + (64 << 20) > free)
    throw new EmbedError(
      `not enough disk space in ${quote(dir)} for ${what}: need ${(bytes / 2 ** 20).toFixed(0)} MiB, ${(free / 2 ** 20).toFixed(0)} MiB free; free some space or raise --memory`,
    );
}

/** Turns ENOSPC from a write into the same clear error. */
function diskError(e: unknown, dir: string, what: string): never {
  if ((e as NodeJS.ErrnoException).code === 'ENOSPC')
    throw new EmbedError(`the disk holding ${quote(dir)} filled up while writing ${what}: free some space or raise --memory`);
  throw e;
}

/** Buffered writer of records. */
export class RecordWriter {
  private fd: number;
  private buf = Buffer.alloc(RECORD_BYTES * 65536);
  private n = 0;
  records = 0;
  constructor(
    readonly path: string,
    private what: string,
  ) {
    this.fd = fs.openSync(path, 'w');
  }
  add(i: number, j: number, x: number): void {
    const at = this.n * RECORD_BYTES;
    this.buf.writeInt32LE(i, at);
    this.buf.writeInt32LE(j, at + 4);
    this.buf.writeDoubleLE(x, at + 8);
    if (++this.n === 65536) this.flush();
    this.records++;
  }
  flush(): void {
    if (!this.n) return;
    try {
      fs.writeSync(this.fd, this.buf, 0, this.n * RECORD_BYTES);
    } catch (e) {
      diskError(e, path.dirname(this.path), this.what);
    }
    this.n = 0;
  }
  close(): CooccurFile {
    this.flush();
    fs.closeSync(this.fd);
    return { path: this.path, records: this.records };
  }
}

/** Reads records in order through a buffer; `i`, `j`, `x` hold the current record until next(). */
export class RecordReader {
  private fd: number;
  private buf: Buffer;
  private n = 0;
  private at = 0;
  private pos: number;
  private end: number;
  i = 0;
  j = 0;
  x = 0;
  constructor(file: string, bufRecords = 65536, start = 0, end = -1) {
    this.fd = fs.openSync(file, 'r');
    this.buf = Buffer.alloc(RECORD_BYTES * bufRecords);
    this.pos = start * RECORD_BYTES;
    this.end = end < 0 ? fs.fstatSync(this.fd).size : end * RECORD_BYTES;
  }
  /** Moves to the next record; false at the end (the file is then closed). */
  next(): boolean {
    if (this.at === this.n) {
      const want = Math.min(this.buf.length, this.end - this.pos);
      const got = want > 0 ? fs.readSync(this.fd, this.buf, 0, want, this.pos) : 0;
      this.pos += got;
      this.n = Math.floor(got / RECORD_BYTES);
      this.at = 0;
      if (this.n === 0) {
        this.close();
        return false;
      }
    }
    const o = this.at++ * RECORD_BYTES;
    this.i = this.buf.readInt32LE(o);
    this.j = this.buf.readInt32LE(o + 4);
    this.x = this.buf.readDoubleLE(o + 8);
    return true;
  }
  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }
}

/** Open addressing with linear probing over (i, j) int32 pairs; i = -1 marks an empty slot. */
class PairHash {
  readonly ki: Int32Array;
  readonly kj: Int32Array;
  readonly val: Float64Array;
  readonly mask: number;
  readonly limit: number;
  size = 0;
  constructor(capacity: number) {
    this.ki = new Int32Array(capacity).fill(-1);
    this.kj = new Int32Array(capacity);
    this.val = new Float64Array(capacity);
    this.mask = capacity - 1;
    this.limit = Math.floor(capacity * 0.7);
  }
  private slot(i: number, j: number): number {
    let h = Math.imul(i, 0x9e3779b1) ^ Math.imul(j + 0x7f4a7c15, 0x85ebca77);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 13;
    return h & this.mask;
  }
  add(i: number, j: number, v: number): void {
    const { ki, kj, mask } = this;
    let s = this.slot(i, j);
    for (;;) {
      const a = ki[s];
      if (a === -1) {
        ki[s] = i;
        kj[s] = j;
        this.val[s] = v;
        this.size++;
        return;
      }
      if (a === i && kj[s] === j) {
        this.val[s] += v;
        return;
      }
      s = (s + 1) & mask;
    }
  }
  get(i: number, j: number): number {
    let s = this.slot(i, j);
    for (;;) {
      const a = this.ki[s];
      if (a === -1) return 0;
      if (a === i && this.kj[s] === j) return this.val[s];
      s = (s + 1) & this.mask;
    }
  }
  clear(): void {
    this.ki.fill(-1);
    this.size = 0;
  }
}

/**
 * The dense table: one triangle of the symmetric counts. Row i holds columns i ≤ j < rowEnd[i], cell
 * (i, j) at offset[i] + j (offset already less i); a row with rowEnd[i] ≤ i is empty.
 */
class DenseTable {
  readonly offset: Float64Array;
  readonly rowEnd: Int32Array;
  readonly cells: Float64Array;
  constructor(vocabSize: number, maxProduct: number) {
    this.offset = new Float64Array(vocabSize + 1);
    this.rowEnd = new Int32Array(vocabSize);
    let s = 0;
    for (let i = 0; i < vocabSize; i++) {
      const n = rowCells(i, vocabSize, maxProduct);
      this.offset[i] = s - i;
      this.rowEnd[i] = n > 0 ? i + n : 0;
      s += n;
    }
    this.offset[vocabSize] = s;
    this.cells = new Float64Array(s);
  }
}

/** A source of sorted records for the merge. */
interface Source {
  i: number;
  j: number;
  x: number;
  next(): boolean;
}

/**
 * The dense table's non-zero counts over the whole matrix, both orders, as a source sorted by (i, j):
 * for row i, first the cells (j, i) of the rows above (column i of the triangle), then row i's own.
 */
function denseSource(t: DenseTable): Source {
  // No cell lies beyond column rowEnd[0] (rowEnd falls as rows go down), nor any row.
  const end = t.rowEnd.length ? t.rowEnd[0] : 0;
  let i = 0,
    j = 0; // the next column of row i to look at
  const src: Source = {
    i: 0,
    j: 0,
    x: 0,
    next() {
      const emit = (x: number) => {
        src.i = i;
        src.j = j++;
        src.x = x;
        return true;
      };
      for (; i < end; i++, j = 0) {
        for (; j < i; j++) {
          if (i >= t.rowEnd[j]) {
            j = i; // the rows below end before column i too
            break;
          }
          const x = t.cells[t.offset[j] + i];
          if (x !== 0) return emit(x);
        }
        for (const e = t.rowEnd[i]; j < e; j++) {
          const x = t.cells[t.offset[i] + j];
          if (x !== 0) return emit(x);
        }
      }
      return false;
    },
  };
  return src;
}

/** One turn of the event loop (signal handlers run), for long synchronous loops. */
export const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

const before = (a: Source, b: Source) => a.i < b.i || (a.i === b.i && a.j < b.j);

/**
 * Nothing was spilled: the dense table and the hash hold disjoint pairs (a pair's place follows from
 * (i+1)(j+1)), each counted in full, so they are written as they stand: the dense cells in (i, j)
 * order, then the hash's pairs in table order, each stored pair as (i, j) and (j, i). No sort and no
 * merge (on 20 MB of text they cost more than the counting did); the shuffle that follows gives the
 * fit its order anyway.
 */
function writeUnmerged(
  dense: DenseTable,
  hash: PairHash,
  out: string,
  sizes: { maxProduct: number; capacity: number },
): CooccurFile & CooccurStats {
  let denseUsed = 0;
  for (const x of dense.cells) if (x !== 0) denseUsed++;
  checkDiskSpace(path.dirname(out), 2 * (denseUsed + hash.size) * RECORD_BYTES, 'the co-occurrence records');
  const writer = new RecordWriter(out, 'the co-occurrence records');
  // Each stored (i ≤ j) is both (i, j) and (j, i) of the matrix.
  const both = (i: number, j: number, x: number) => {
    writer.add(i, j, x);
    if (i !== j) writer.add(j, i, x);
  };
  try {
    const { offset, rowEnd, cells } = dense;
    for (let i = 0; i < rowEnd.length; i++)
      for (let j = i; j < rowEnd[i]; j++) {
        const x = cells[offset[i] + j];
        if (x !== 0) both(i, j, x);
      }
    for (let s = 0; s < hash.ki.length; s++) if (hash.ki[s] !== -1) both(hash.ki[s], hash.kj[s], hash.val[s]);
  } finally {
    writer.close();
  }
  return result(out, writer.records, dense, 0, sizes);
}

function result(
  out: string,
  records: number,
  dense: DenseTable,
  runs: number,
  sizes: { maxProduct: number; capacity: number },
): CooccurFile & CooccurStats {
  if (records === 0)
    throw new EmbedError(
      'the co-occurrence matrix is empty: no two vocabulary words share a line within --window (one word per line, or everything under --min-count?)',
    );
  return {
    path: out,
    records,
    denseEntries: dense.cells.length,
    runs,
    maxProduct: sizes.maxProduct,
    denseBytes: dense.cells.byteLength,
    hashBytes: sizes.capacity * 16,
  };
}

/**
 * Counts the co-occurrences of a token-id file into dir/cooccur.bin, each distinct pair once: sorted by
 * (i, j) when the hash was spilled and merged, else as writeUnmerged writes them. At most about
 * opts.memoryBytes of tables (plus fixed buffers).
 */
export async function countCooccurrences(cache: TokenCache, opts: CooccurOptions): Promise<CooccurFile & CooccurStats> {
  const { window, vocabSize: V, dir, signal } = opts;
  // Both tables hold each unordered pair once (i ≤ j): the matrix is symmetric, and one add instead of
  // two halves the counting. A corpus has at most window × tokens distinct unordered pairs: neither
  // table is made larger than that needs, so a small corpus does not take (and touch) the whole --memory.
  const pairs = window * cache.tokenCount;
  const denseBytes = Math.floor(Math.min(opts.memoryBytes / 2, 8 * pairs));
  const maxProduct = denseBound(V, denseBytes);
  const dense = new DenseTable(V, maxProduct);
  // Hash: 16 bytes a slot, plus 16 bytes of sort keys (both orders) per used slot (70% of them) at spill time.
  let capacity = 1024;
  while (capacity * 2 * (16 + 0.7 * 16) <= opts.memoryBytes - dense.cells.byteLength && capacity * 0.7 < pairs) capacity *= 2;
  const hash = new PairHash(capacity);
  const runs: string[] = [];
  const cells = dense.cells,
    offset = dense.offset,
    rowEnd = dense.rowEnd;

  const spill = () => {
    if (hash.size === 0) return;
    // A run holds both orders of each pair, sorted, as the merge reads the matrix.
    const keys = new Float64Array(2 * hash.size);
    let n = 0;
    for (let s = 0; s < hash.ki.length; s++) {
      const i = hash.ki[s],
        j = hash.kj[s];
      if (i === -1) continue;
      keys[n++] = i * V + j;
      if (i !== j) keys[n++] = j * V + i;
    }
    keys.subarray(0, n).sort();
    const file = path.join(dir, `cooccur-run-${runs.length}.bin`);
    checkDiskSpace(dir, n * RECORD_BYTES, 'co-occurrence runs');
    const w = new RecordWriter(file, 'co-occurrence runs');
    for (let k = 0; k < n; k++) {
      const i = Math.floor(keys[k] / V),
        j = keys[k] - i * V;
      w.add(i, j, i <= j ? hash.get(i, j) : hash.get(j, i));
    }
    w.close();
    runs.push(file);
    hash.clear();
  };

  /** One occurrence of a and b within the window, v = 1/distance: adds v to (a, b) and to (b, a). */
  const add = (a: number, b: number, v: number) => {
    let i = a,
      j = b;
    if (a > b) {
      i = b;
      j = a;
    } else if (a === b) v += v; // (a, a) gets both halves
    if (j < rowEnd[i]) cells[offset[i] + j] += v;
    else {
      hash.add(i, j, v);
      if (hash.size >= hash.limit) spill();
    }
  };

  const total = cache.tokenCount;
  let done = 0,
    lastReport = 0;
  for (const s of readSentences(cache.path)) {
    const n = s.length;
    for (let k = 1; k < n; k++) {
      const b = s[k];
      const lo = Math.max(0, k - window);
      for (let m = k - 1; m >= lo; m--) {
        const a = s[m];
        add(a, b, 1 / (k - m));
      }
    }
    done += n;
    if (done - lastReport >= 1 << 20) {
      lastReport = done;
      // Let the event loop run: a signal handler (Ctrl-C) aborts `signal`, checked here.
      await yieldToEvents();
      checkAborted(signal);
      opts.onEvent?.({ phase: 'cooccur', done, total, runs: runs.length });
    }
  }
  opts.onEvent?.({ phase: 'cooccur', done: total, total, runs: runs.length });
  checkAborted(signal);

  if (runs.length === 0) return writeUnmerged(dense, hash, path.join(dir, 'cooccur.bin'), { maxProduct, capacity });
  // Merge: the dense table and the sorted runs (the hash spilled as the last one).
  spill();
  const sources: Source[] = [denseSource(dense)];
  const readers: RecordReader[] = [];
  for (const r of runs) {
    const reader = new RecordReader(r, 16384);
    readers.push(reader);
    sources.push(reader);
  }
  const out = path.join(dir, 'cooccur.bin');
  const runBytes = runs.reduce((a, r) => a + fs.statSync(r).size, 0);
  checkDiskSpace(dir, runBytes + hash.size * RECORD_BYTES, 'the merged co-occurrence records');
  const writer = new RecordWriter(out, 'the merged co-occurrence records');
  try {
    // A binary heap of the sources by their current (i, j).
    const heap: Source[] = [];
    const siftDown = (at: number) => {
      const n = heap.length;
      for (;;) {
        const l = 2 * at + 1,
          r = l + 1;
        let m = at;
        if (l < n && before(heap[l], heap[m])) m = l;
        if (r < n && before(heap[r], heap[m])) m = r;
        if (m === at) return;
        [heap[at], heap[m]] = [heap[m], heap[at]];
        at = m;
      }
    };
    for (const s of sources) if (s.next()) heap.push(s);
    for (let k = Math.floor(heap.length / 2) - 1; k >= 0; k--) siftDown(k);
    let ci = -1,
      cj = -1,
      cx = 0,
      merged = 0;
    while (heap.length) {
      const top = heap[0];
      if (top.i === ci && top.j === cj) cx += top.x;
      else {
        if (ci >= 0) writer.add(ci, cj, cx);
        ci = top.i;
        cj = top.j;
        cx = top.x;
      }
      if (!top.next()) {
        const last = heap.pop()!;
        if (heap.length) heap[0] = last;
      }
      if (heap.length) siftDown(0);
      if ((++merged & 0xfffff) === 0) {
        await yieldToEvents();
        checkAborted(signal);
      }
    }
    if (ci >= 0) writer.add(ci, cj, cx);
  } finally {
    for (const r of readers) r.close();
    writer.close();
    for (const r of runs) fs.rmSync(r, { force: true });
  }
  return result(out, writer.records, dense, runs.length, { maxProduct, capacity });
}

/** Reads a whole record file (tests, small files). */
export function readRecords(file: string): { i: Int32Array; j: Int32Array; x: Float64Array } {
  const size = fs.statSync(file).size / RECORD_BYTES;
  const out = { i: new Int32Array(size), j: new Int32Array(size), x: new Float64Array(size) };
  const r = new RecordReader(file);
  let k = 0;
  while (r.next()) {
    out.i[k] = r.i;
    out.j[k] = r.j;
    out.x[k++] = r.x;
  }
  return out;
}
