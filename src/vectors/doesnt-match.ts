// gensim's doesnt_match / rank_by_centrality: the word furthest from the mean of the words' unit vectors.
import { UsageError } from '../errors.js';
import type { KeyedVectors } from './keyed-vectors.js';

/** The words ranked by cosine to the (normalised) mean of their unit vectors, most central first.
 *  Words resolve as in every query (kv.resolve): a composed word takes part like any other. */
export function rankByCentrality(kv: KeyedVectors, words: string[]): { word: string; score: number }[] {
  if (words.length < 2) throw new UsageError(`give at least two words to compare, got ${words.length}`);
  const dim = kv.dim;
  const units = words.map((w) => kv.unit(kv.resolve(w)));
  const mean = new Float64Array(dim);
  for (const u of units) for (let d = 0; d < dim; d++) mean[d] += u[d] / units.length;
  const norm = Math.hypot(...mean) || 1;
  const ranked = units.map((u, i) => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += u[d] * mean[d];
    return { word: words[i], score: s / norm };
  });
  return ranked.sort((a, b) => b.score - a.score);
}

export function doesntMatch(kv: KeyedVectors, words: string[]): string {
  const ranked = rankByCentrality(kv, words);
  return ranked[ranked.length - 1].word;
}
