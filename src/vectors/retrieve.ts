// Nearest neighbours between two sets of unit vectors, by cosine (NN) or by CSLS (Conneau et al. 2018,
// "Word Translation Without Parallel Data", eq. 6): CSLS(x, y) = 2 cos(x, y) − r_T(x) − r_S(y), where
// r_T(x) is the mean cosine of x to its k nearest targets and r_S(y) that of y to its k nearest sources.
// It lowers the score of "hubs", targets near everything. For ranking the targets of one source word
// r_T(x) is a constant, so only r_S of every target is needed. The products are blocks of one matrix
// product on TensorFlow.js (wasm SIMD here), with top-k on the block; memory stays bounded.
import { getBackend } from '../tensor/backend.js';
import type { KeyedVectors, Neighbour } from './keyed-vectors.js';

export type RetrievalMethod = 'nn' | 'csls';

export interface TopK {
  /** Neighbours per query. */
  k: number;
  /** nq × k row indices into the base set, best first. */
  index: Int32Array;
  /** nq × k scores: cosine (NN) or 2·cos − r_S(y) (CSLS, without the query's constant r_T(x)). */
  score: Float32Array;
}

/** Rows of the block of queries handled at once: keeps each scores block near 64 MB. */
const blockRows = (nb: number) => Math.max(1, Math.min(4096, Math.floor((1 << 24) / Math.max(1, nb))));

/** Bᵀ (dim × nb) of the first nb rows: the wasm backend multiplies by a transposed operand about twice
 *  as fast as with matMul's transposeB flag (bench/MEASUREMENTS.md, "Cross-lingual alignment"). */
function transposeRows(base: Float32Array, nb: number, dim: number): Float32Array {
  const t = new Float32Array(nb * dim);
  for (let i = 0; i < nb; i++) for (let d = 0; d < dim; d++) t[d * nb + i] = base[i * dim + d];
  return t;
}

/** Calls `onBlock` with consecutive blocks of the nq × nb cosine matrix Q·Bᵀ (row-major, `rows` rows from `first`). */
export async function scanScores(
  q: Float32Array,
  nq: number,
  base: Float32Array,
  nb: number,
  dim: number,
  onBlock: (scores: Float32Array, first: number, rows: number) => void,
): Promise<void> {
  if (nq === 0 || nb === 0) return;
  const { tf } = await getBackend();
  const b = tf.tensor2d(transposeRows(base, nb, dim), [dim, nb]);
  try {
    const step = blockRows(nb);
    for (let first = 0; first < nq; first += step) {
      const rows = Math.min(step, nq - first);
      const s = tf.tidy(() => tf.matMul(tf.tensor2d(q.subarray(first * dim, (first + rows) * dim), [rows, dim]), b));
      const data = s.dataSync() as Float32Array;
      s.dispose();
      onBlock(data, first, rows);
    }
  } finally {
    b.dispose();
  }
}

/**
 * For each of the nq rows of `q` (unit vectors, row-major), the k rows of `base` with the highest
 * cosine, or with the highest 2·cos − penalty[j] when a penalty per base row is given (CSLS).
 */
export async function topKRows(
  q: Float32Array,
  nq: number,
  base: Float32Array,
  nb: number,
  dim: number,
  k: number,
  penalty?: Float32Array,
): Promise<TopK> {
  const kk = Math.max(0, Math.min(k, nb));
  const index = new Int32Array(nq * kk);
  const score = new Float32Array(nq * kk);
  if (nq === 0 || kk === 0) return { k: kk, index, score };
  const { tf } = await getBackend();
  const b = tf.tensor2d(transposeRows(base, nb, dim), [dim, nb]);
  const pen = penalty ? tf.tensor2d(penalty.subarray(0, nb), [1, nb]) : null;
  try {
    const step = blockRows(nb);
    for (let first = 0; first < nq; first += step) {
      const rows = Math.min(step, nq - first);
      const { values, indices } = tf.tidy(() => {
        const qb = tf.tensor2d(q.subarray(first * dim, (first + rows) * dim), [rows, dim]);
        let s = tf.matMul(qb, b);
        if (pen) s = tf.sub(tf.mul(s, 2), pen);
        return tf.topk(s, kk, true);
      });
      score.set(values.dataSync() as Float32Array, first * kk);
      index.set(indices.dataSync() as Int32Array, first * kk);
      values.dispose();
      indices.dispose();
    }
  } finally {
    b.dispose();
    pen?.dispose();
  }
  return { k: kk, index, score };
}

/** For each row of q, the mean cosine to its k nearest rows of base: CSLS's r (neighbourhood density). */
export async function meanTopCosine(
  q: Float32Array,
  nq: number,
  base: Float32Array,
  nb: number,
  dim: number,
  k: number,
): Promise<Float32Array> {
  const top = await topKRows(q, nq, base, nb, dim, k);
  const out = new Float32Array(nq);
  if (top.k === 0) return out;
  for (let i = 0; i < nq; i++) {
    let s = 0;
    for (let j = 0; j < top.k; j++) s += top.score[i * top.k + j];
    out[i] = s / top.k;
  }
  return out;
}

/** The first `limit` rows of a model at unit length (all rows with 0). */
export function unitMatrix(kv: KeyedVectors, limit = 0): { rows: number; data: Float32Array } {
  const rows = limit > 0 ? Math.min(limit, kv.size) : kv.size;
  return { rows, data: kv.unitVectors().subarray(0, rows * kv.dim) };
}

export interface RetrieveOptions {
  method: RetrievalMethod;
  /** Neighbourhood size of CSLS (MUSE: 10). */
  knn?: number;
  /** Results per query. */
  topn: number;
  /** Search only the first N target words (0: all). */
  targetLimit?: number;
  /** CSLS: the source words that make up each target's neighbourhood, the first N (0: all). */
  sourceLimit?: number;
}

/**
 * The `topn` target words for each source row in `queries` (indices into the mapped source), searched
 * among the target's first `targetLimit` words by NN or CSLS. Both models must share one space (the
 * source mapped onto the target).
 */
export async function retrieve(
  source: KeyedVectors,
  target: KeyedVectors,
  queries: ArrayLike<number>,
  opts: RetrieveOptions,
): Promise<TopK> {
  const dim = target.dim;
  const su = source.unitVectors();
  const q = new Float32Array(queries.length * dim);
  for (let i = 0; i < queries.length; i++) q.set(su.subarray(queries[i] * dim, (queries[i] + 1) * dim), i * dim);
  const t = unitMatrix(target, opts.targetLimit ?? 0);
  if (opts.method === 'nn') return topKRows(q, queries.length, t.data, t.rows, dim, opts.topn);
  const s = unitMatrix(source, opts.sourceLimit ?? 0);
  const rS = await meanTopCosine(t.data, t.rows, s.data, s.rows, dim, opts.knn ?? 10);
  return topKRows(q, queries.length, t.data, t.rows, dim, opts.topn, rS);
}

export interface RerankOptions {
  /** CSLS neighbourhood size (default 10). */
  knn?: number;
  /** How many nearest targets by cosine are re-ranked (default 200). */
  candidates?: number;
  /** Each candidate's neighbourhood r_S is taken among the first N source words (default 20000; 0: all). */
  sourceLimit?: number;
  /** Search only the first N target words (0: all). */
  targetLimit?: number;
}

/**
 * CSLS for one query vector (already in the target's space), as a re-ranking: the `candidates` nearest
 * target words by cosine are scored 2·cos − r_S(y), with r_S(y) the mean cosine of y to its k nearest
 * source words. Exact when the CSLS winners are among those candidates (a word further down by cosine
 * would need a much lower r_S to overtake); `eval translation --csls` computes r_S for every target word
 * instead. Plain JS and synchronous: a few hundred candidates × 20,000 source rows is a fraction of a
 * second. Scores are 2·cos − r_S(y) (the query's own r_T is the same for every candidate).
 */
export function cslsRerank(
  source: KeyedVectors,
  target: KeyedVectors,
  q: Float32Array,
  topn: number,
  opts: RerankOptions = {},
): Neighbour[] {
  const dim = target.dim;
  const cand = target.nearestToVector(q, Math.max(opts.candidates ?? 200, topn), new Set(), opts.targetLimit ?? 0);
  const s = unitMatrix(source, opts.sourceLimit ?? 20000);
  const tu = target.unitVectors();
  const k = Math.max(1, Math.min(opts.knn ?? 10, s.rows));
  const best = new Float64Array(k);
  const scored = cand.map((c) => {
    const o = target.indexOf(c.word) * dim;
    best.fill(-Infinity);
    for (let i = 0, so = 0; i < s.rows; i++, so += dim) {
      let d0 = 0,
        d1 = 0;
      let d = 0;
      for (; d + 1 < dim; d += 2) {
        d0 += tu[o + d] * s.data[so + d];
        d1 += tu[o + d + 1] * s.data[so + d + 1];
      }
      if (d < dim) d0 += tu[o + d] * s.data[so + d];
      const v = d0 + d1;
      if (v <= best[k - 1]) continue;
      let j = k - 1;
      while (j > 0 && best[j - 1] < v) {
        best[j] = best[j - 1];
        j--;
      }
      best[j] = v;
    }
    let r = 0;
    for (let j = 0; j < k; j++) r += best[j];
    return { word: c.word, score: 2 * c.score - r / k };
  });
  scored.sort((a, b) => b.score - a.score);
  return scored.slice(0, topn);
}
