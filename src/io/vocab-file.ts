// A native model's vocab.tsv ("word<TAB>count" lines, row order) kept as the file's bytes: one pass
// finds where each line and its last tab are (and checks the shape the loader promises), and a word or
// count is decoded only when asked for. A cold query on a million-word model looks up a few words and
// names ten; making a million strings and counts first cost more than the whole similarity scan
// (bench/MEASUREMENTS.md, "Cold start").
import fs from 'node:fs';
import type { WordSource } from '../vectors/keyed-vectors.js';
import { scanKernel } from '../vectors/scan-kernel.js';

/** Every 2^SHIFT-th line's start is noted; a line between is found from the mark before it. */
const SHIFT = 6;

export class TsvWords implements WordSource {
  /** Where the bytes are in the scan kernel's memory (kept: nothing else is laid out there). */
  private readonly at: number;
  private view: Buffer;
  /** marks[m]: byte offset of line m × 2^SHIFT. */
  private readonly marks: Uint32Array;

  /**
   * Reads vocab.tsv (`bytes` bytes, open as `fd`) into the scan kernel's memory, where one SIMD pass
   * checks that it holds exactly `size` lines, each with a tab, and notes every 64th line's start. No
   * per-line table: fresh memory costs about 2.7 ms a megabyte to touch on our machines, more than the
   * pass itself, so a 1M-word vocabulary keeps 62 KB of marks instead of 8 MB of offsets. Throws
   * `bad(why)`.
   */
  constructor(
    fd: number,
    private readonly n: number,
    readonly size: number,
    bad: (why: string) => Error,
  ) {
    const K = scanKernel();
    this.at = K.keep(n, this);
    const into = new Uint8Array(K.memory.buffer, this.at, n);
    for (let done = 0; done < n;) {
      const got = fs.readSync(fd, into, done, n - done, done);
      if (got === 0) throw bad(`vocab.tsv is shorter than its ${n} bytes`);
      done += got;
    }
    const nMarks = (size >> SHIFT) + 1;
    const [pMarks] = K.layout([nMarks * 4]);
    const lines = K.lineMarks(this.at, n, size, SHIFT, pMarks);
    if (lines > size) throw bad(`vocab.tsv has more than the ${size} lines meta.json declares`);
    if (lines < 0) throw bad(`vocab.tsv line ${-lines} has no count`);
    if (lines < size) throw bad(`vocab.tsv has ${lines} lines, expected ${size}`);
    if (n > 0 && new Uint8Array(K.memory.buffer, this.at, n)[n - 1] !== 10)
      throw bad(`vocab.tsv has more than the ${size} lines meta.json declares`);
    this.marks = new Uint32Array(K.memory.buffer, pMarks, nMarks).slice();
    this.view = Buffer.from(K.memory.buffer, this.at, n);
  }

  /** The bytes, through a view taken anew when the kernel's memory has grown (which detaches the old). */
  private get bytes(): Buffer {
    if (this.view.length !== this.n) this.view = Buffer.from(scanKernel().memory.buffer, this.at, this.n);
    return this.view;
  }

  /** Byte offset of line i's start. */
  private lineStart(i: number): number {
    const b = this.bytes;
    let p = this.marks[i >> SHIFT];
    for (let j = i & ((1 << SHIFT) - 1); j > 0; j--) p = b.indexOf(10, p) + 1;
    return p;
  }

  /** Line i's start, last tab and newline. */
  private line(i: number): { start: number; tab: number; end: number } {
    const b = this.bytes;
    const start = this.lineStart(i);
    const end = b.indexOf(10, start);
    return { start, tab: b.lastIndexOf(9, end), end };
  }

  word(i: number): string {
    const { start, tab } = this.line(i);
    return this.bytes.toString('utf8', start, tab);
  }

  find(word: string): number {
    // Words that the byte search could mistake (a tab inside, or bytes that decode to U+FFFD): compare strings.
    if (/[\t\n\uFFFD]/.test(word)) return this.all().indexOf(word);
    const b = this.bytes;
    const w = Buffer.from(word, 'utf8');
    if (this.size > 0 && this.line(0).tab === w.length && b.compare(w, 0, w.length, 0, w.length) === 0) return 0;
    const needle = Buffer.concat([Buffer.of(10), w, Buffer.of(9)]);
    for (let p = b.indexOf(needle); p >= 0; p = b.indexOf(needle, p + 1)) {
      const i = this.lineAt(p + 1);
      if (this.line(i).tab === p + 1 + w.length) return i;
    }
    return -1;
  }

  /** The line that starts at byte `at` (a line start). */
  private lineAt(at: number): number {
    const { marks } = this;
    let lo = 0,
      hi = marks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (marks[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    const b = this.bytes;
    let i = lo << SHIFT;
    for (let p = marks[lo]; p < at; p = b.indexOf(10, p) + 1) i++;
    return i;
  }

  /** Calls fn for each line in order, with its bounds. */
  private eachLine(fn: (i: number, start: number, tab: number, end: number) => void): void {
    const b = this.bytes;
    for (let i = 0, start = 0; i < this.size; i++) {
      const end = b.indexOf(10, start);
      fn(i, start, b.lastIndexOf(9, end), end);
      start = end + 1;
    }
  }

  all(): string[] {
    const out: string[] = new Array(this.size);
    const b = this.bytes;
    this.eachLine((i, start, tab) => (out[i] = b.toString('utf8', start, tab)));
    return out;
  }

  counts(): Float64Array {
    const out = new Float64Array(this.size);
    const b = this.bytes;
    this.eachLine((i, _start, tab, end) => (out[i] = Number(b.toString('utf8', tab + 1, end))));
    return out;
  }
}
