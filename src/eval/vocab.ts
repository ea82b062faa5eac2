// The vocabulary an evaluation may use, picked exactly as gensim's evaluate_word_analogies /
// evaluate_word_pairs do: the first `restrict` words of the model (most frequent first), and in
// case-insensitive mode every word uppercased, the first (most frequent) variant winning.
// Deliberately not KeyedVectors.resolve(): gensim's evaluations skip a word outside those rows, and a
// vector composed for it (subword models) would change which questions count and break the agreement.
import type { KeyedVectors } from '../vectors/keyed-vectors.js';

export interface EvalVocab {
  /** Number of rows searched: min(restrict, model size). */
  limit: number;
  caseInsensitive: boolean;
  /** Key (uppercased in case-insensitive mode) → row index. */
  index: Map<string, number>;
  key(word: string): string;
}

export function evalVocab(kv: KeyedVectors, restrict: number, caseInsensitive: boolean): EvalVocab {
  const limit = restrict > 0 ? Math.min(restrict, kv.size) : kv.size;
  const key = caseInsensitive ? (w: string) => w.toUpperCase() : (w: string) => w;
  const index = new Map<string, number>();
  for (let i = 0; i < limit; i++) {
    const k = key(kv.word(i));
    if (!index.has(k)) index.set(k, i);
  }
  return { limit, caseInsensitive, index, key };
}

/** Unit-length copies of the first `limit` rows (zero rows stay zero), without touching the rest. */
export function unitRows(kv: KeyedVectors, limit: number): Float32Array {
  const { dim } = kv;
  const vectors = kv.rowRange(0, limit);
  const out = new Float32Array(limit * dim);
  for (let i = 0, o = 0; i < limit; i++, o += dim) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += vectors[o + d] * vectors[o + d];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let d = 0; d < dim; d++) out[o + d] = vectors[o + d] * inv;
  }
  return out;
}
