// How far continued training moved the words it shares with its --init source: the mean cosine between
// each shared word's old and new vector, and how many of the 10 nearest neighbours of the most frequent
// shared words stayed the same. Neighbours are searched among the CANDIDATES most frequent shared words
// in both spaces (the same set, so the overlap compares like with like; about 5 s at dim 100, where all
// 47,000 shared words would take 23 s: bench/MEASUREMENTS.md, "Drift").

export const DRIFT_QUERIES = 1000;
export const DRIFT_CANDIDATES = 10_000;
export const DRIFT_NEIGHBOURS = 10;

export interface Drift {
  sharedWords: number;
  /** Mean over shared words of cos(old, new). */
  meanCosine: number;
  /** Mean fraction of the 10 nearest neighbours kept, over the `queries` most frequent shared words. */
  neighbourOverlap: number;
  queries: number;
  candidates: number;
}

/** Unit rows of `count` rows of `rows` (k-th row at k·dim), zero rows left zero. */
function unitRows(rows: Float32Array, count: number, dim: number, index?: Int32Array): Float32Array {
  const out = new Float32Array(count * dim);
  for (let k = 0; k < count; k++) {
    const at = (index ? index[k] : k) * dim;
    let s = 0;
    for (let d = 0; d < dim; d++) s += rows[at + d] * rows[at + d];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let d = 0; d < dim; d++) out[k * dim + d] = rows[at + d] * inv;
  }
  return out;
}

/** Indices of the `n` nearest rows to row q of unit rows `u` (q itself excluded). */
function nearest(u: Float32Array, count: number, dim: number, q: number, n: number): Set<number> {
  const best: { i: number; s: number }[] = [];
  const qa = q * dim;
  for (let i = 0; i < count; i++) {
    if (i === q) continue;
    let s = 0;
    const ia = i * dim;
    for (let d = 0; d < dim; d++) s += u[qa + d] * u[ia + d];
    if (best.length < n || s > best[best.length - 1].s) {
      let p = best.length < n ? best.length : best.length - 1;
      while (p > 0 && best[p - 1].s < s) p--;
      best.splice(p, 0, { i, s });
      if (best.length > n) best.pop();
    }
  }
  return new Set(best.map((b) => b.i));
}

/**
 * Drift of the shared words: `oldRows` holds their old vectors in order, `sharedIndex` their rows in
 * `newRows`. Shared words come in the new vocabulary's order (most frequent first).
 */
export function measureDrift(oldRows: Float32Array, newRows: Float32Array, sharedIndex: Int32Array, dim: number): Drift {
  const S = sharedIndex.length;
  const oldUnit = unitRows(oldRows, S, dim);
  const newUnit = unitRows(newRows, S, dim, sharedIndex);
  let cos = 0;
  for (let k = 0; k < S; k++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += oldUnit[k * dim + d] * newUnit[k * dim + d];
    cos += s;
  }
  const candidates = Math.min(S, DRIFT_CANDIDATES);
  const queries = Math.min(S, DRIFT_QUERIES);
  const n = Math.min(DRIFT_NEIGHBOURS, candidates - 1);
  let overlap = 0;
  if (n > 0)
    for (let q = 0; q < queries; q++) {
      const a = nearest(oldUnit, candidates, dim, q, n);
      let same = 0;
      for (const i of nearest(newUnit, candidates, dim, q, n)) if (a.has(i)) same++;
      overlap += same / n;
    }
  return {
    sharedWords: S,
    meanCosine: S ? cos / S : NaN,
    neighbourOverlap: n > 0 ? overlap / queries : NaN,
    queries: n > 0 ? queries : 0,
    candidates,
  };
}
