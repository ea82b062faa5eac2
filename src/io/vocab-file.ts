// A native model's vocab.tsv ("word<TAB>count" lines, row order) kept as the file's bytes: one pass
// finds where each line and its last tab are (and checks the shape the loader promises), and a word or
// count is decoded only when asked for. A cold query on a million-word model looks up a few words and
// names ten; making a million strings and counts first cost more than the whole similarity scan
// (bench/MEASUREMENTS.md, "Cold start").
import type { WordSource } from '../vectors/keyed-vectors.js';

export class TsvWords implements WordSource {
  /** Byte offset of each line's start; starts[size] is the end of the last line's newline. */
  private readonly starts: Uint32Array;
  /** Byte offset of each line's last tab (the word is before it, the count after). */
  private readonly tabs: Uint32Array;

  /** Throws `bad(why)` unless `bytes` holds exactly `size` lines, each with a tab. */
  constructor(
    private readonly bytes: Buffer,
    readonly size: number,
    bad: (why: string) => Error,
  ) {
    const starts = new Uint32Array(size + 1);
    const tabs = new Uint32Array(size);
    // Newlines are found by Buffer.indexOf (memchr: 5× faster than a byte loop on a 1M-word vocabulary);
    // each line's tab is then found from its end, a few bytes back past the count.
    const u = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    const n = u.length;
    let line = 0;
    for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) {
      if (line === size) throw bad(`vocab.tsv has more than the ${size} lines meta.json declares`);
      const start = starts[line];
      let t = i - 1;
      while (t >= start && u[t] !== 9) t--;
      if (t < start) throw bad(`vocab.tsv line ${line + 1} has no count`);
      tabs[line++] = t;
      starts[line] = i + 1;
    }
    if (line < size) throw bad(`vocab.tsv has ${line} lines, expected ${size}`);
    if (starts[size] < n) throw bad(`vocab.tsv has more than the ${size} lines meta.json declares`);
    this.starts = starts;
    this.tabs = tabs;
  }

  word(i: number): string {
    return this.bytes.toString('utf8', this.starts[i], this.tabs[i]);
  }

  find(word: string): number {
    // Words that the byte search could mistake (a tab inside, or bytes that decode to U+FFFD): compare strings.
    if (/[\t\n\uFFFD]/.test(word)) return this.all().indexOf(word);
    const w = Buffer.from(word, 'utf8');
    if (this.size > 0 && this.tabs[0] === w.length && this.bytes.compare(w, 0, w.length, 0, w.length) === 0) return 0;
    const needle = Buffer.concat([Buffer.of(10), w, Buffer.of(9)]);
    for (let p = this.bytes.indexOf(needle); p >= 0; p = this.bytes.indexOf(needle, p + 1)) {
      const line = this.lineAt(p + 1);
      if (this.tabs[line] === p + 1 + w.length) return line;
    }
    return -1;
  }

  /** The line that starts at byte `at` (a line start). */
  private lineAt(at: number): number {
    let lo = 0,
      hi = this.size - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.starts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  all(): string[] {
    const out: string[] = new Array(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.word(i);
    return out;
  }

  counts(): Float64Array {
    const out = new Float64Array(this.size);
    for (let i = 0; i < this.size; i++) out[i] = Number(this.bytes.toString('utf8', this.tabs[i] + 1, this.starts[i + 1] - 1));
    return out;
  }
}
