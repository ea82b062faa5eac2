// The tokenised corpus as a compact file of word ids, streamed once per epoch, so memory does not grow
// with the corpus. Layout: little-endian int32; each sentence is its ids (>= 0) followed by -1.
// Sentences are at most maxSentenceLength ids long (longer lines were split when the cache was written).
import fs from 'node:fs';

export const SENTENCE_END = -1;

export interface TokenCache {
  path: string;
  /** Word tokens in the file (not counting sentence ends): the words one epoch processes. */
  tokenCount: number;
  sentenceCount: number;
  byteLength: number;
}

/** Appends id sentences to a cache file through a fixed buffer. */
export class TokenCacheWriter {
  private fd: number;
  private buf = new Int32Array(1 << 16);
  private n = 0;
  /** Ids in the sentence being written (not yet ended). */
  private open = 0;
  tokenCount = 0;
  sentenceCount = 0;
  constructor(
    readonly path: string,
    private maxSentenceLength: number,
  ) {
    this.fd = fs.openSync(path, 'w');
  }
  private push(id: number): void {
    if (this.n === this.buf.length) this.flush();
    this.buf[this.n++] = id;
  }
  private flush(): void {
    if (this.n) fs.writeSync(this.fd, new Uint8Array(this.buf.buffer, 0, this.n * 4));
    this.n = 0;
  }
  /** Adds one id to the current line; a line is cut into sentences of at most maxSentenceLength ids. */
  addId(id: number): void {
    this.push(id);
    this.tokenCount++;
    if (++this.open === this.maxSentenceLength) this.endLine();
  }
  /** Ends the current line (an empty line writes nothing). */
  endLine(): void {
    if (this.open === 0) return;
    this.push(SENTENCE_END);
    this.sentenceCount++;
    this.open = 0;
  }
  /** Writes one whole line's ids (see addId). */
  addSentence(ids: ArrayLike<number>, length = ids.length): void {
    for (let i = 0; i < length; i++) this.addId(ids[i]);
    this.endLine();
  }
  close(): TokenCache {
    this.endLine();
    this.flush();
    fs.closeSync(this.fd);
    return { path: this.path, tokenCount: this.tokenCount, sentenceCount: this.sentenceCount, byteLength: fs.statSync(this.path).size };
  }
}

/**
 * Splits the cache into `parts` byte ranges of about equal size, each starting at a sentence
 * boundary (word2vec.c shards its corpus by byte offset the same way). Returns id offsets.
 */
export function shardCache(cache: TokenCache, parts: number): { start: number; end: number }[] {
  const totalIds = cache.byteLength / 4;
  const fd = fs.openSync(cache.path, 'r');
  const one = new Int32Array(1);
  const bounds = [0];
  try {
    for (let p = 1; p < parts; p++) {
      let pos = Math.max(bounds[bounds.length - 1], Math.floor((totalIds * p) / parts));
      // Move forward to just after the next sentence end.
      while (pos < totalIds) {
        fs.readSync(fd, new Uint8Array(one.buffer), 0, 4, pos * 4);
        pos++;
        if (one[0] === SENTENCE_END) break;
      }
      bounds.push(pos);
    }
  } finally {
    fs.closeSync(fd);
  }
  bounds.push(totalIds);
  const out = [];
  for (let p = 0; p < parts; p++) out.push({ start: bounds[p], end: bounds[p + 1] });
  return out;
}

/**
 * Yields the sentences of ids in [start, end) (default: the whole file), read chunk by chunk, as
 * views into one reused buffer: copy what you keep.
 */
export function* readSentences(path: string, range?: { start: number; end: number }, chunkIds = 1 << 20): Generator<Int32Array> {
  const fd = fs.openSync(path, 'r');
  const buf = new Int32Array(chunkIds);
  const bytes = new Uint8Array(buf.buffer);
  const end = range ? range.end : fs.fstatSync(fd).size / 4;
  try {
    let pos = range ? range.start : 0;
    let carry = 0; // ids of an unfinished sentence kept at the front of buf
    while (pos < end) {
      const want = Math.min(chunkIds - carry, end - pos);
      const got = fs.readSync(fd, bytes, carry * 4, want * 4, pos * 4) / 4;
      if (got <= 0) break;
      pos += got;
      const n = carry + got;
      let from = 0;
      for (let i = 0; i < n; i++) {
        if (buf[i] === SENTENCE_END) {
          yield buf.subarray(from, i);
          from = i + 1;
        }
      }
      carry = n - from;
      if (carry === chunkIds) throw new Error('token cache sentence longer than the read buffer');
      buf.copyWithin(0, from, n);
    }
    if (carry > 0) yield buf.subarray(0, carry);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Calls onSentence(ids, from, to) for each sentence in the id range, where ids[from..to) are its word
 * ids (a reused buffer). Returns false if onSentence returned false (stop requested).
 */
export function forEachSentence(
  path: string,
  range: { start: number; end: number },
  onSentence: (ids: Int32Array, from: number, to: number) => boolean | void,
): boolean {
  for (const s of readSentences(path, range)) if (onSentence(s, 0, s.length) === false) return false;
  return true;
}
