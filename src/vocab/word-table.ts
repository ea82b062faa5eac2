// A counting hash table of words, keyed by their UTF-16 code units, that gives each new word the next id
// (first-seen order, as WordCounter's Map keeps it). Pass 1's fast path (corpus/id-scan.ts) adds a word
// straight from a range of the corpus bytes, so no string is made for each token: a string per token
// and a Map lookup were most of what pass 1 cost. An ASCII word's bytes are its code units.
import type { WordCounts } from './vocabulary.js';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Spreads FNV-1a's weak low bits over the slot index. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}

const RECENT_BITS = 12;
const RECENT_SHIFT = 32 - RECENT_BITS;

function grown<T extends Int32Array | Float64Array | Uint16Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  let n = a.length * 2;
  while (n < need) n *= 2;
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

/** Renumbering after a prune: old id → new id, or -1 for a word dropped. */
export type IdMap = Int32Array;

export class WordTable implements WordCounts {
  /** The word being looked up. */
  private key = new Uint16Array(64);
  /** Every word's code units, one after another. */
  private units = new Uint16Array(1 << 16);
  private unitsUsed = 0;
  /** Per id: where its units start, and how many. */
  private spans = new Int32Array(1 << 13);
  private counts = new Float64Array(1 << 12);
  /**
   * Open addressing with linear probing, two ints a slot: the word's hash, and its id + 1 (0: empty).
   * The hash beside the id means a probe that misses touches nothing else. Kept at most half full.
   */
  private slots = new Int32Array(1 << 14);
  /**
   * The last word seen for each of 4096 hash values, as [hash, id + 1]: 32 KB that stay in cache, where
   * the frequent words (most tokens) are found without a probe of the big slot table, whose lines a
   * token would otherwise fetch from memory (the 100 MB corpus has 220k distinct words: 4 MB of slots).
   */
  private recent = new Int32Array(2 << RECENT_BITS);
  /** Words in the table; ids are 0 … size-1. */
  size = 0;
  /** Tokens added (with the words a prune dropped). */
  tokens = 0;

  /** Makes room for a key of n code units. */
  private keyOf(n: number): Uint16Array {
    if (n > this.key.length) this.key = new Uint16Array(Math.max(n, this.key.length * 2));
    return this.key;
  }

  /** Hashes key[0, n) after filling it from text[from, to). */
  private keyFromText(text: string, from: number, to: number): number {
    const key = this.keyOf(to - from);
    let h = FNV_OFFSET;
    for (let i = from; i < to; i++) h = Math.imul(h ^ (key[i - from] = text.charCodeAt(i)), FNV_PRIME);
    return h;
  }

  /** Hashes key[0, n) after filling it from ASCII bytes[from, to) (lowercased when `lowercase`). */
  private keyFromBytes(bytes: Uint8Array, from: number, to: number, lowercase: boolean): number {
    const key = this.keyOf(to - from);
    let h = FNV_OFFSET;
    for (let i = from; i < to; i++) {
      let c = bytes[i];
      if (lowercase && c >= 65 && c <= 90) c |= 32;
      key[i - from] = c;
      h = Math.imul(h ^ c, FNV_PRIME);
    }
    return h;
  }

  /** The slot of key[0, n) with hash h: where its id is, or the empty slot where it would go. */
  private find(n: number, h: number): number {
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    for (let s = mix(h) & mask; ; s = (s + 1) & mask) {
      const e = slots[2 * s + 1];
      if (e === 0 || (slots[2 * s] === h && this.matches(e - 1, n))) return s;
    }
  }

  private matches(id: number, n: number): boolean {
    if (this.spans[2 * id + 1] !== n) return false;
    const u = this.units;
    const key = this.key;
    const start = this.spans[2 * id];
    for (let i = 0; i < n; i++) if (u[start + i] !== key[i]) return false;
    return true;
  }

  /** Counts key[0, n) (hash h) and returns its id. */
  private count(n: number, h: number): number {
    this.tokens++;
    const r = (h >>> RECENT_SHIFT) << 1;
    const recent = this.recent;
    if (recent[r] === h && recent[r + 1] !== 0 && this.matches(recent[r + 1] - 1, n)) {
      this.counts[recent[r + 1] - 1]++;
      return recent[r + 1] - 1;
    }
    const s = this.find(n, h);
    const e = this.slots[2 * s + 1];
    const id = e === 0 ? this.insert(s, n, h) : e - 1;
    if (e !== 0) this.counts[id]++;
    recent[r] = h;
    recent[r + 1] = id + 1;
    return id;
  }

  /**
   * Counts the ASCII word bytes[from, to) (lowercased when `lowercase`) and returns its id: the fast
   * path's words, counted where they stand in a block of the corpus, with no string made for them.
   */
  addAscii(bytes: Uint8Array, from: number, to: number, lowercase: boolean): number {
    return this.count(to - from, this.keyFromBytes(bytes, from, to, lowercase));
  }

  /** Counts a whole token (the general tokenizers' output, already normalised). */
  addWord(word: string): number {
    return this.count(word.length, this.keyFromText(word, 0, word.length));
  }

  private insert(slot: number, n: number, h: number): number {
    const id = this.size++;
    this.spans = grown(this.spans, 2 * id + 2);
    this.counts = grown(this.counts, id + 1);
    this.units = grown(this.units, this.unitsUsed + n);
    const start = this.unitsUsed;
    this.units.set(this.key.subarray(0, n), start);
    this.unitsUsed += n;
    this.spans[2 * id] = start;
    this.spans[2 * id + 1] = n;
    this.counts[id] = 1;
    this.slots[2 * slot] = h;
    this.slots[2 * slot + 1] = id + 1;
    if (this.size * 4 > this.slots.length) this.rehash(this.slots.length * 2, null);
    return id;
  }

  /** Moves every entry into a table of `length` ints, renumbering ids through `map` (-1: dropped). */
  private rehash(length: number, map: IdMap | null): void {
    const old = this.slots;
    const slots = new Int32Array(length);
    const mask = (length >> 1) - 1;
    for (let o = 0; o < old.length; o += 2) {
      if (old[o + 1] === 0) continue;
      const id = map ? map[old[o + 1] - 1] : old[o + 1] - 1;
      if (id < 0) continue;
      let s = mix(old[o]) & mask;
      while (slots[2 * s + 1] !== 0) s = (s + 1) & mask;
      slots[2 * s] = old[o];
      slots[2 * s + 1] = id + 1;
    }
    this.slots = slots;
  }

  /** The id of `word`, or -1. */
  idOf(word: string): number {
    const h = this.keyFromText(word, 0, word.length);
    const e = this.slots[2 * this.find(word.length, h) + 1];
    return e - 1;
  }

  countOf(word: string): number {
    const id = this.idOf(word);
    return id < 0 ? 0 : this.counts[id];
  }

  wordAt(id: number): string {
    const start = this.spans[2 * id];
    const end = start + this.spans[2 * id + 1];
    // fromCharCode keeps every code unit as it is (a decoder would replace a lone surrogate).
    let s = '';
    for (let i = start; i < end; i += 4096)
      s += String.fromCharCode.apply(null, this.units.subarray(i, Math.min(end, i + 4096)) as unknown as number[]);
    return s;
  }

  *entries(minCount: number): IterableIterator<[string, number]> {
    for (let id = 0; id < this.size; id++) if (this.counts[id] >= minCount) yield [this.wordAt(id), this.counts[id]];
  }

  /**
   * Drops the words seen at most `minReduce` times (word2vec.c's ReduceVocab, as WordCounter.prune)
   * and renumbers the rest in order, so memory stays bounded. Returns the renumbering.
   */
  prune(minReduce: number): IdMap {
    const map = new Int32Array(this.size).fill(-1);
    const u = this.units;
    const spans = this.spans;
    let kept = 0;
    let used = 0;
    for (let id = 0; id < this.size; id++) {
      if (this.counts[id] <= minReduce) continue;
      const start = spans[2 * id];
      const n = spans[2 * id + 1];
      u.copyWithin(used, start, start + n);
      spans[2 * kept] = used;
      spans[2 * kept + 1] = n;
      this.counts[kept] = this.counts[id];
      map[id] = kept++;
      used += n;
    }
    this.size = kept;
    this.unitsUsed = used;
    this.recent.fill(0);
    this.rehash(this.slots.length, map);
    return map;
  }
}
