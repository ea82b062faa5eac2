// Shared by the word2vec readers: collects rows into one Float32Array, decodes word bytes, and turns
// the problems every foreign file has (duplicate words, bad UTF-8, NaN) into warnings or one error.
import { EmbedError, quote } from '../errors.js';
import { KeyedVectors } from '../vectors/keyed-vectors.js';

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** A file we cannot load: one line that names the file and, where it helps, the line or row. */
export function badFile(file: string, why: string): EmbedError {
  return new EmbedError(`cannot load ${quote(file, 300)}: ${why}`);
}

/** What to do about a damaged vector file. */
export const REDO = 'copy, download or export it again';

export class RowCollector {
  readonly words: string[] = [];
  private data: Float32Array;
  private seen = new Map<string, number>();
  duplicates = 0;
  firstDuplicate = '';
  badUtf8 = 0;
  truncatedUtf8 = 0;
  firstBadUtf8 = '';

  constructor(
    readonly file: string,
    readonly dim: number,
    expectedRows: number,
  ) {
    this.data = new Float32Array(Math.max(1, expectedRows) * dim);
  }

  /** Decodes a word's bytes. Invalid UTF-8 is tolerated (as in GoogleNews-style files) and counted;
   *  a multi-byte character cut at the end of the word (word2vec.c truncates words bytewise) is dropped. */
  decodeWord(buf: Uint8Array, start: number, end: number): string {
    const w = utf8.decode(buf.subarray(start, end));
    if (!w.includes('\uFFFD')) return w;
    try {
      // Streaming mode keeps an incomplete trailing sequence pending instead of failing on it.
      const strict = new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(start, end), { stream: true });
      if (strict !== w) {
        this.truncatedUtf8++;
        return strict;
      }
      return w;
    } catch {
      if (this.badUtf8++ === 0) this.firstBadUtf8 = w;
      return w;
    }
  }

  /** Returns the row to fill for `word`, or null for a duplicate (the first occurrence wins, as in gensim). */
  row(word: string): Float32Array | null {
    if (this.seen.has(word)) {
      if (this.duplicates++ === 0) this.firstDuplicate = word;
      return null;
    }
    const i = this.words.length;
    this.seen.set(word, i);
    this.words.push(word);
    if ((i + 1) * this.dim > this.data.length) {
      const grown = new Float32Array(Math.max(this.data.length * 2, (i + 1) * this.dim));
      grown.set(this.data);
      this.data = grown;
    }
    return this.data.subarray(i * this.dim, (i + 1) * this.dim);
  }

  finish(warnings: string[], lowercase = false): KeyedVectors {
    const n = this.words.length;
    if (n === 0) throw badFile(this.file, `it holds no vectors: ${REDO}`);
    const vectors = this.data.length === n * this.dim ? this.data : this.data.slice(0, n * this.dim);
    // NaN or infinite values poison every cosine they touch: refuse the file, naming the first row.
    for (let i = 0; i < vectors.length; i++) {
      if (!Number.isFinite(vectors[i])) {
        const row = Math.floor(i / this.dim);
        let bad = 0;
        for (let r = 0; r < n; r++) {
          for (let d = 0; d < this.dim; d++)
            if (!Number.isFinite(vectors[r * this.dim + d])) {
              bad++;
              break;
            }
        }
        throw badFile(
          this.file,
          `${bad} of ${n} vectors contain NaN or infinite values (first: ${quote(this.words[row])}, row ${row + 1}): remove those rows or ${REDO}`,
        );
      }
    }
    if (this.duplicates)
      warnings.push(
        `${this.duplicates} duplicate word(s) in ${quote(this.file, 300)} (first: ${quote(this.firstDuplicate)}); kept the first occurrence of each`,
      );
    if (this.badUtf8)
      warnings.push(
        `${this.badUtf8} word(s) in ${quote(this.file, 300)} are not valid UTF-8 (first: ${quote(this.firstBadUtf8)}); bad bytes shown as U+FFFD`,
      );
    if (this.truncatedUtf8)
      warnings.push(
        `${this.truncatedUtf8} word(s) in ${quote(this.file, 300)} end inside a UTF-8 character (cut by word2vec.c); dropped the partial character`,
      );
    return new KeyedVectors(this.words, vectors, this.dim, null, lowercase);
  }
}
