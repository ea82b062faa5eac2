// The n-gram rows of a subword model (fastText) and the vector of a word without a row of its own:
// the mean over its n-grams (vocab/subwords.ts) of their rows, as fastText's getWordVector. Rows live
// wherever the format keeps them (a native model's ngrams.f32, a fastText .bin's input matrix), behind
// one lookup, so an unknown-word query reads only the rows it needs.
import { fasttextHash, subwordBytes, type SubwordSettings } from '../vocab/subwords.js';
import type { RowSource } from './row-source.js';

export interface NgramRows {
  /** Copies bucket b's row into out and returns true, or returns false if the bucket was never trained (no word has an n-gram there). */
  read(bucket: number, out: Float32Array): boolean;
}

export interface SubwordTable {
  settings: SubwordSettings;
  dim: number;
  rows: NgramRows;
  /**
   * fastText hashes (before % bucket) of every n-gram of the vocabulary's words, ascending: an n-gram
   * is known when it is here. Without it (a fastText .bin), an n-gram is known when its bucket has a row.
   * Buckets are shared by unrelated n-grams (a Chinese n-gram may hash into the bucket of an English
   * one), so "its bucket was trained" alone would embed a word that shares nothing with the vocabulary.
   */
  known?: Uint32Array;
  /** A native model's stored rows: the trained buckets (ascending) and their rows (for export). */
  stored?: { ids: Int32Array; rows: RowSource };
}

/** The buckets of a word's n-grams, in fastText's order (repeats kept: fastText averages over them all). */
export function bucketsOf(word: string, s: SubwordSettings): number[] {
  return hashesOf(word, s).map((h) => h % s.bucket);
}

/** fastText's hashes of a word's n-grams (before % bucket). */
export function hashesOf(word: string, s: SubwordSettings): number[] {
  if (s.bucket <= 0) return [];
  return subwordBytes(word, s.minn, s.maxn).map((g) => fasttextHash(g));
}

/** The distinct n-gram hashes of a vocabulary, ascending (SubwordTable.known). */
export function knownHashes(words: readonly string[], s: SubwordSettings): Uint32Array {
  const set = new Set<number>();
  for (const w of words) for (const h of hashesOf(w, s)) set.add(h);
  return Uint32Array.from(set).sort();
}

function includes(sorted: Uint32Array, v: number): boolean {
  let lo = 0,
    hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] === v) return true;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * The composer of a subword model: mean of the rows of all the word's n-grams (an untrained bucket
 * counts as a zero row, which is what a .bin written from the model holds there, so fastText computes
 * the same vector). A word none of whose n-grams has a trained row gets no vector (unknown word), never
 * a silent zero; with `known`, neither does a word none of whose n-grams occurs in a vocabulary word.
 */
export function subwordComposer(table: SubwordTable): (word: string) => Float32Array | null {
  const { dim } = table;
  return (word: string) => {
    const hashes = hashesOf(word, table.settings);
    const buckets = hashes.map((h) => h % table.settings.bucket);
    if (buckets.length === 0) return null;
    if (table.known && !hashes.some((h) => includes(table.known!, h))) return null;
    const sum = new Float32Array(dim);
    const row = new Float32Array(dim);
    let trained = 0;
    for (const b of buckets) {
      if (!table.rows.read(b, row)) continue;
      trained++;
      for (let d = 0; d < dim; d++) sum[d] += row[d];
    }
    if (trained === 0) return null;
    const inv = Math.fround(1 / buckets.length);
    for (let d = 0; d < dim; d++) sum[d] *= inv;
    return sum;
  };
}

/** N-gram rows held in memory: bucket ids (ascending) and their rows, one per id. */
export class SparseNgramRows implements NgramRows {
  private readonly at = new Map<number, number>();
  constructor(
    readonly ids: Int32Array,
    readonly values: Float32Array,
    readonly dim: number,
  ) {
    for (let i = 0; i < ids.length; i++) this.at.set(ids[i], i);
  }
  read(bucket: number, out: Float32Array): boolean {
    const i = this.at.get(bucket);
    if (i === undefined) return false;
    out.set(this.values.subarray(i * this.dim, (i + 1) * this.dim));
    return true;
  }
}
