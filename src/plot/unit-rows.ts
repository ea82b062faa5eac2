// Rows scaled to unit length in float64: cosine is what a model's neighbours mean, for k-means and t-SNE alike.

/** The n rows of `x` (n × dim) at unit length; a zero row stays zero. */
export function unitRows(x: Float32Array | Float64Array, n: number, dim: number): Float64Array {
  const unit = new Float64Array(n * dim);
  for (let i = 0, o = 0; i < n; i++, o += dim) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += x[o + d] * x[o + d];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let d = 0; d < dim; d++) unit[o + d] = x[o + d] * inv;
  }
  return unit;
}
