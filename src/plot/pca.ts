// PCA to 2-D: the covariance of the centred rows (dim × dim, formed once in float64), its exact
// eigendecomposition (tensor/symmetric-eigen.ts), and each row projected on the top components.
// Deterministic: the same rows give the same picture, each component's sign fixed by symmetricEigen.
import { symmetricEigen } from '../tensor/symmetric-eigen.js';

export interface PcaResult {
  /** n × components, row-major. */
  coords: Float64Array;
  /** The components' variances (eigenvalues), descending. */
  variances: Float64Array;
  /** The share of the total variance each component explains. */
  explained: Float64Array;
  /** The components, components × dim, row-major. */
  components: Float64Array;
}

/** Projects the n rows of `x` (n × dim, row-major) onto their first `components` principal components. */
export function pca(x: Float32Array | Float64Array, n: number, dim: number, components = 2): PcaResult {
  const k = Math.min(components, dim);
  const mean = new Float64Array(dim);
  for (let i = 0, o = 0; i < n; i++, o += dim) for (let d = 0; d < dim; d++) mean[d] += x[o + d];
  for (let d = 0; d < dim; d++) mean[d] /= Math.max(n, 1);
  // Upper triangle of XᵀX over centred rows, four rows at a time (a rank-4 update reads and writes the
  // dim × dim sums a quarter as often as one row at a time: bench/plot.mjs).
  const cov = new Float64Array(dim * dim);
  const r0 = new Float64Array(dim);
  const r1 = new Float64Array(dim);
  const r2 = new Float64Array(dim);
  const r3 = new Float64Array(dim);
  for (let i = 0; i < n; i += 4) {
    const rows = [r0, r1, r2, r3];
    for (let j = 0; j < 4; j++) {
      const o = (i + j) * dim;
      if (i + j < n) for (let d = 0; d < dim; d++) rows[j][d] = x[o + d] - mean[d];
      else rows[j].fill(0);
    }
    for (let a = 0; a < dim; a++) {
      const a0 = r0[a],
        a1 = r1[a],
        a2 = r2[a],
        a3 = r3[a];
      const base = a * dim;
      for (let b = a; b < dim; b++) cov[base + b] += a0 * r0[b] + a1 * r1[b] + a2 * r2[b] + a3 * r3[b];
    }
  }
  const denom = Math.max(n - 1, 1);
  for (let a = 0; a < dim; a++)
    for (let b = a; b < dim; b++) {
      const c = cov[a * dim + b] / denom;
      cov[a * dim + b] = c;
      cov[b * dim + a] = c;
    }
  const { values, vectors } = symmetricEigen(cov, dim);
  let total = 0;
  for (let d = 0; d < dim; d++) total += Math.max(values[d], 0);
  const components_ = new Float64Array(k * dim);
  for (let c = 0; c < k; c++) for (let d = 0; d < dim; d++) components_[c * dim + d] = vectors[d * dim + c];
  const coords = new Float64Array(n * k);
  for (let i = 0, o = 0; i < n; i++, o += dim)
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += (x[o + d] - mean[d]) * components_[c * dim + d];
      coords[i * k + c] = s;
    }
  const variances = values.slice(0, k);
  const explained = variances.map((v) => (total > 0 ? Math.max(v, 0) / total : 0));
  return { coords, variances, explained, components: components_ };
}
