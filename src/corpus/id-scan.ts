// Pass 1's fast path for every tokenizer but Chinese segmentation: each chunk is tokenised and counted in
// a WordTable, and written at once as first-seen word ids (a provisional id file), so pass 2 only
// renumbers ids into the vocabulary's instead of reading and tokenising text a second time. Pure ASCII
// chunks (most of an English corpus) are tokenised as ranges of the chunk, with no string per token.
// Measured in bench/MEASUREMENTS.md ("Pass 1").
import fs from 'node:fs';
import { asciiSpaceRanges, asciiWordRanges, isAscii, isAsciiSpace, isWordSeparator, type RangeTokenizer } from '../text/ascii-tokens.js';
import { createTokenizer, type ConcreteTokenizer, type Tokenizer } from '../text/tokenize.js';
import { WordTable, type IdMap } from '../vocab/word-table.js';
import type { Vocabulary } from '../vocab/vocabulary.js';
import { TokenCacheWriter, type TokenCache } from './token-cache.js';

const LINE_END = -1;
const NON_ASCII = /[^\x00-\x7f]/g;
const BLOCK_IDS = 1 << 18;

/** The provisional ids written before a prune renumbered the table: they are read through `map`. */
interface Generation {
  /** Ids in the file before the prune. */
  end: number;
  map: IdMap;
}

export class IdScan {
  readonly table = new WordTable();
  private fd: number;
  private buf = new Int32Array(BLOCK_IDS);
  private n = 0;
  private written = 0;
  private generations: Generation[] = [];
  private ranges: RangeTokenizer;
  /** Whether the tokenizer splits words at punctuation (en, char), not only at whitespace. */
  private wordSeparators: boolean;
  private tokenize: Tokenizer;
  /** The ASCII chunk being tokenised, as bytes. */
  private bytes = Buffer.alloc(1 << 16);
  private readonly push = (from: number, to: number) => this.pushId(this.table.addAscii(this.bytes, from, to, this.lowercase));

  constructor(
    readonly path: string,
    mode: Exclude<ConcreteTokenizer, 'zh'>,
    private lowercase: boolean,
  ) {
    this.wordSeparators = mode === 'en' || mode === 'char';
    this.ranges = this.wordSeparators ? asciiWordRanges : asciiSpaceRanges;
    this.tokenize = createTokenizer(mode, lowercase);
    this.fd = fs.openSync(path, 'w');
  }

  private pushId(id: number): void {
    if (this.n === BLOCK_IDS) this.flush();
    this.buf[this.n++] = id;
  }

  private flush(): void {
    if (this.n) fs.writeSync(this.fd, new Uint8Array(this.buf.buffer, 0, this.n * 4));
    this.written += this.n;
    this.n = 0;
  }

  /** Tokenises, counts and writes one chunk (lineEnd: the corpus line ends with it). */
  add(text: string, lineEnd: boolean): void {
    if (isAscii(text)) {
      // (Spelt out, not addAscii: on many short lines V8 then inlines the table lookup into push.)
      if (text.length > this.bytes.length) this.bytes = Buffer.alloc(Math.max(text.length, 2 * this.bytes.length));
      this.ranges(this.bytes, this.bytes.write(text, 0, 'latin1'), this.push);
    } else this.addMixed(text);
    if (lineEnd) this.pushId(LINE_END);
  }

  /** ASCII text[from, to), but for the word separators at `separators` (positions in text): those become spaces. */
  private addAscii(text: string, from: number, to: number, separators: number[]): void {
    const n = to - from;
    if (n > this.bytes.length) this.bytes = Buffer.alloc(Math.max(n, 2 * this.bytes.length));
    const bytes = this.bytes;
    bytes.write(from || to < text.length ? text.slice(from, to) : text, 0, 'latin1');
    for (const i of separators) bytes[i - from] = 32;
    this.ranges(bytes, n, this.push);
  }

  /**
   * Text with some non-ASCII characters (curly quotes, an accent: in English, most lines have one):
   * each stretch between ASCII whitespace that holds one goes to the general tokenizer, the ASCII
   * between them to the fast one. No token of any tokenizer spans ASCII whitespace, and NFKC and
   * lowercasing act within the stretch, so the tokens are those of the whole line. For 'en' and
   * 'char', the punctuation that only separates words (isWordSeparator) is a space to the fast path.
   */
  private addMixed(text: string): void {
    const n = text.length;
    let from = 0; // the text not yet tokenised starts here
    const separators: number[] = [];
    NON_ASCII.lastIndex = 0;
    for (let m = NON_ASCII.exec(text); m; m = NON_ASCII.exec(text)) {
      if (this.wordSeparators && isWordSeparator(text.charCodeAt(m.index))) {
        separators.push(m.index);
        continue;
      }
      let start = m.index;
      while (start > from && !isAsciiSpace(text.charCodeAt(start - 1))) start--;
      let end = m.index + 1;
      while (end < n && !isAsciiSpace(text.charCodeAt(end))) end++;
      // (Separators from `start` on are in the stretch: the general tokenizer sees them there.)
      while (separators.length && separators[separators.length - 1] >= start) separators.pop();
      if (start > from) this.addAscii(text, from, start, separators);
      for (const t of this.tokenize(text.slice(start, end))) this.pushId(this.table.addWord(t));
      from = end;
      separators.length = 0;
      NON_ASCII.lastIndex = end;
    }
    if (from < n) this.addAscii(text, from, n, separators);
  }

  /** WordCounter.prune's rule on the table; ids written so far are renumbered when pass 2 reads them. */
  prune(limit: number, minReduce: number): number {
    if (this.table.size <= limit) return minReduce;
    this.flush();
    this.generations.push({ end: this.written, map: this.table.prune(minReduce) });
    return minReduce + 1;
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }

  /**
   * Pass 2: the provisional ids as vocabulary ids in the token cache (words outside the vocabulary
   * dropped, lines cut into sentences), then the provisional file is removed.
   */
  writeTokenCache(vocab: Vocabulary, maxSentenceLength: number, cachePath: string): TokenCache {
    const last = new Int32Array(this.table.size).fill(-1);
    for (let v = 0; v < vocab.words.length; v++) {
      const id = this.table.idOf(vocab.words[v]);
      if (id >= 0) last[id] = v;
    }
    // Each generation's map goes straight to vocabulary ids (through the renumberings after it).
    const maps: IdMap[] = [];
    let next: IdMap = last;
    for (let g = this.generations.length - 1; g >= 0; g--) {
      const m = this.generations[g].map;
      for (let i = 0; i < m.length; i++) m[i] = m[i] < 0 ? -1 : next[m[i]];
      maps.unshift(m);
      next = m;
    }
    maps.push(last);
    const ends = [...this.generations.map((g) => g.end), Infinity];

    const writer = new TokenCacheWriter(cachePath, maxSentenceLength);
    const fd = fs.openSync(this.path, 'r');
    const ids = new Int32Array(BLOCK_IDS);
    const bytes = new Uint8Array(ids.buffer);
    try {
      let pos = 0;
      let g = 0;
      for (;;) {
        const got = fs.readSync(fd, bytes, 0, bytes.length, pos * 4) >> 2;
        if (got <= 0) break;
        for (let i = 0; i < got; i++, pos++) {
          while (pos >= ends[g]) g++;
          const id = ids[i];
          if (id === LINE_END) writer.endLine();
          else {
            const v = maps[g][id];
            if (v >= 0) writer.addId(v);
          }
        }
      }
    } finally {
      fs.closeSync(fd);
    }
    fs.rmSync(this.path);
    return writer.close();
  }
}
