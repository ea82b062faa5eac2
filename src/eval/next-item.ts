// Next-item prediction, the protocol of Caselles-Dupré, Lesaint & Royo-Letelier, "Word2vec applied to
// recommendation: hyperparameters matter" (RecSys 2018), as their code (deezer/w2v_reco_hyperparameters_matter,
// src/data.py and src/main.py) runs it: train on every sequence without its last item; for a sample of
// sequences, rank the last item among the k nearest neighbours of the one before it; report HR@k and
// NDCG@k. The split is NumPy's: RandomState(seed).permutation(lines)[:pairs], so seed 4 and 1,000 pairs
// give the paper's test set (README, "Items (recommendation)"; data: ../shared/data/README.md).
import { EmbedError, UsageError, quote } from '../errors.js';
import { readCorpus } from '../text/corpus.js';
import type { KeyedVectors } from '../vectors/keyed-vectors.js';

export type NextItemMetric = 'cosine' | 'euclidean';

/** One test pair: the last two items of sequence `line` (0-based). */
export interface NextItemPair {
  line: number;
  query: string;
  target: string;
}

export interface NextItemSplit {
  /** Every sequence without its last item (the training corpus), in file order. */
  train: string[][];
  test: NextItemPair[];
  /** Sequences with fewer than two items: they give no pair (they still train, minus their last item). */
  tooShort: number;
}

export interface NextItemScore {
  k: number;
  metric: NextItemMetric;
  pairs: number;
  /** Pairs whose query item equals the target (a hit at rank 1 by the protocol's rule). */
  repeats: number;
  /** Pairs whose query item is not in the model (scored as misses). */
  unknownQuery: number;
  /** Pairs whose target item is not in the model (misses). */
  unknownTarget: number;
  hits: number;
  /** Fraction of pairs with the target among the k neighbours (the paper reports it × 100). */
  hitRate: number;
  /** Mean of 1 / log2(rank + 1) over pairs, 0 when the target is not among the k. */
  ndcg: number;
  /** The expected hit rate of k items drawn at random from the other model items (repeats still hit), for comparison. */
  randomHitRate: number;
}

/**
 * MT19937 (Matsumoto & Nishimura), seeded with init_genrand as NumPy's legacy RandomState(seed) is,
 * for the paper's split. Not used anywhere else: training has its own generators (rng.ts).
 */
class MersenneTwister {
  private mt = new Uint32Array(624);
  private i = 624;
  constructor(seed: number) {
    this.mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const p = this.mt[i - 1] ^ (this.mt[i - 1] >>> 30);
      // 1812433253 * p + i, modulo 2^32, without losing bits to doubles
      this.mt[i] = ((((p >>> 16) * 1812433253) << 16) + (p & 0xffff) * 1812433253 + i) >>> 0;
    }
  }
  next(): number {
    const mt = this.mt;
    if (this.i >= 624) {
      for (let k = 0; k < 624; k++) {
        const y = (mt[k] & 0x80000000) | (mt[(k + 1) % 624] & 0x7fffffff);
        mt[k] = mt[(k + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.i = 0;
    }
    let y = mt[this.i++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }
}

/** NumPy's RandomState(seed).permutation(n) (legacy shuffle: masked rejection sampling, from the end). */
export function numpyPermutation(n: number, seed: number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  const rng = new MersenneTwister(seed);
  for (let i = n - 1; i > 0; i--) {
    let mask = i;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    let v: number;
    do v = (rng.next() & mask) >>> 0;
    while (v > i);
    const t = a[i];
    a[i] = a[v];
    a[v] = t;
  }
  return a;
}

/** The sequences of a file (plain or gzip): one per line, ids separated by whitespace, taken verbatim. */
export async function readSequences(file: string, signal?: AbortSignal): Promise<string[][]> {
  const seqs: string[][] = [];
  let cur: string[] = [];
  for await (const chunk of readCorpus(file, { signal })) {
    for (const id of chunk.text.split(/\s+/u)) if (id) cur.push(id);
    if (chunk.lineEnd) {
      seqs.push(cur);
      cur = [];
    }
  }
  if (cur.length) seqs.push(cur);
  // A trailing empty line is the file's last newline, not a sequence.
  while (seqs.length && seqs[seqs.length - 1].length === 0) seqs.pop();
  if (!seqs.some((s) => s.length >= 2))
    throw new EmbedError(`${quote(file, 300)} has no sequence of two or more items: one sequence per line, ids separated by spaces`);
  return seqs;
}

/**
 * The paper's split: training lines are the sequences without their last item; the test pairs are the
 * last two items of the first `pairs` sequences (of two items or more) in the permutation.
 */
export function splitNextItem(seqs: string[][], opts: { pairs: number; seed: number }): NextItemSplit {
  if (!Number.isSafeInteger(opts.pairs) || opts.pairs < 1) throw new UsageError(`--pairs must be an integer >= 1 (got ${opts.pairs})`);
  const test: NextItemPair[] = [];
  for (const line of numpyPermutation(seqs.length, opts.seed)) {
    if (test.length === opts.pairs) break;
    const s = seqs[line];
    if (s.length >= 2) test.push({ line, query: s[s.length - 2], target: s[s.length - 1] });
  }
  return {
    train: seqs.map((s) => s.slice(0, -1)),
    test,
    tooShort: seqs.filter((s) => s.length < 2).length,
  };
}

/**
 * Scores the pairs against the model: the k nearest items to the query item (itself excluded) by cosine
 * similarity, or by Euclidean distance on the raw vectors (the paper: scikit-learn's NearestNeighbors);
 * a pair whose query equals its target is a hit at rank 1, as in the paper's code. Exact search.
 */
export function scoreNextItem(
  kv: KeyedVectors,
  pairs: readonly NextItemPair[],
  opts: { k: number; metric: NextItemMetric },
): NextItemScore {
  const { k, metric } = opts;
  if (!Number.isSafeInteger(k) || k < 1) throw new UsageError(`--k must be an integer >= 1 (got ${k})`);
  const V = kv.size,
    dim = kv.dim;
  const M = kv.vectors;
  // Cosine: rank by the dot product of unit rows; Euclidean: by |x|² - 2x·q (|q|² is the same for all).
  const norms = new Float64Array(V);
  for (let i = 0; i < V; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += M[i * dim + d] * M[i * dim + d];
    norms[i] = s;
  }
  const index = kv.index;
  let hits = 0,
    ndcg = 0,
    repeats = 0,
    unknownQuery = 0,
    unknownTarget = 0;
  const score = new Float64Array(V);
  for (const p of pairs) {
    if (p.query === p.target) {
      repeats++;
      hits++;
      ndcg += 1;
      continue;
    }
    const q = index.get(p.query);
    const t = index.get(p.target);
    if (q === undefined) unknownQuery++;
    if (t === undefined) unknownTarget++;
    if (q === undefined || t === undefined) continue;
    const qo = q * dim;
    for (let i = 0; i < V; i++) {
      let s = 0;
      const o = i * dim;
      for (let d = 0; d < dim; d++) s += M[o + d] * M[qo + d];
      // Higher is nearer in both: cosine similarity, or -(squared distance) + |q|².
      score[i] = metric === 'cosine' ? s / Math.sqrt(norms[i] * norms[q] || 1) : 2 * s - norms[i];
    }
    // The rank of the target: 1 + the items (not the query) that score higher, ties broken by index.
    let rank = 1;
    const st = score[t];
    for (let i = 0; i < V && rank <= k; i++) if (i !== q && i !== t && (score[i] > st || (score[i] === st && i < t))) rank++;
    if (rank <= k) {
      hits++;
      ndcg += 1 / Math.log2(rank + 1);
    }
  }
  const n = pairs.length;
  const chance = V > 1 ? Math.min(1, k / (V - 1)) : 0;
  return {
    k,
    metric,
    pairs: n,
    repeats,
    unknownQuery,
    unknownTarget,
    hits,
    hitRate: n ? hits / n : 0,
    ndcg: n ? ndcg / n : 0,
    randomHitRate: n ? (repeats + (n - repeats) * chance) / n : 0,
  };
}
