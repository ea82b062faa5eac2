// k-means on unit vectors (spherical: cosine is what the model's neighbours mean), k-means++ seeding
// from a seeded generator, so the same words and seed always give the same colours.
import { Rng } from '../rng.js';
import { unitRows } from './unit-rows.js';

/** Cluster of each of the n rows of `x` (n × dim), 0..k-1, numbered by size (0 = the largest). */
export function kmeans(x: Float32Array | Float64Array, n: number, dim: number, k: number, seed = 1, iterations = 50): Int32Array {
  const kk = Math.max(1, Math.min(k, n));
  const unit = unitRows(x, n, dim);
  const rng = new Rng(seed, 0x4b3);
  const centres = new Float64Array(kk * dim);
  const dist = new Float64Array(n).fill(Infinity);
  const sq = (i: number, c: number) => {
    let s = 0;
    for (let d = 0; d < dim; d++) {
      const t = unit[i * dim + d] - centres[c * dim + d];
      s += t * t;
    }
    return s;
  };
  // k-means++: each next centre drawn with probability proportional to the squared distance to the nearest.
  let pick = Math.floor(rng.next() * n);
  for (let c = 0; c < kk; c++) {
    centres.set(unit.subarray(pick * dim, (pick + 1) * dim), c * dim);
    let total = 0;
    for (let i = 0; i < n; i++) {
      dist[i] = Math.min(dist[i], sq(i, c));
      total += dist[i];
    }
    if (total <= 0) break;
    let r = rng.next() * total;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      r -= dist[i];
      if (r < 0) {
        pick = i;
        break;
      }
    }
  }
  const assign = new Int32Array(n).fill(-1);
  const count = new Int32Array(kk);
  for (let it = 0; it < iterations; it++) {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      let best = 0,
        bd = Infinity;
      for (let c = 0; c < kk; c++) {
        const d = sq(i, c);
        if (d < bd) [bd, best] = [d, c];
      }
      if (assign[i] !== best) changed++;
      assign[i] = best;
    }
    if (changed === 0) break;
    centres.fill(0);
    count.fill(0);
    for (let i = 0; i < n; i++) {
      count[assign[i]]++;
      for (let d = 0; d < dim; d++) centres[assign[i] * dim + d] += unit[i * dim + d];
    }
    for (let c = 0; c < kk; c++) if (count[c] > 0) for (let d = 0; d < dim; d++) centres[c * dim + d] /= count[c];
  }
  count.fill(0);
  for (let i = 0; i < n; i++) count[assign[i]]++;
  const order = Array.from({ length: kk }, (_, c) => c).sort((a, b) => count[b] - count[a] || a - b);
  const rename = new Int32Array(kk);
  order.forEach((c, r) => (rename[c] = r));
  return assign.map((a) => rename[a]);
}
