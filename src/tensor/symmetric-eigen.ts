// Eigendecomposition of a small dense symmetric matrix by cyclic Jacobi rotations: exact to rounding,
// deterministic, no dependency. Used for PCA (a dim × dim covariance, dim ≤ a few hundred), where its
// O(n³) per sweep is far below the cost of forming the covariance itself.

/**
 * Eigenvalues and eigenvectors of the symmetric n × n matrix `a` (row-major; only read, not changed).
 * `values` are in descending order; `vectors` is row-major n × n with eigenvector k in column k, its sign
 * fixed so that its largest-magnitude component is positive (so the same matrix always gives the same
 * vectors, and PCA pictures do not flip between runs).
 */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  if (a.length !== n * n) throw new RangeError(`symmetricEigen: expected ${n * n} values, got ${a.length}`);
  const m = Float64Array.from(a);
  // The eigenvectors as rows (vt = Vᵀ), so a rotation updates two contiguous rows.
  const vt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) vt[i * n + i] = 1;
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale += m[i] * m[i];
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p * n + q] * m[p * n + q];
    if (off <= 1e-30 * scale || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (apq === 0) continue;
        const app = m[p * n + p];
        const aqq = m[q * n + q];
        // After a few sweeps an element below rounding of both diagonal entries is simply zeroed
        // (Numerical Recipes' jacobi).
        if (sweep > 3 && Math.abs(app) + 1e3 * Math.abs(apq) === Math.abs(app) && Math.abs(aqq) + 1e3 * Math.abs(apq) === Math.abs(aqq)) {
          m[p * n + q] = m[q * n + p] = 0;
          continue;
        }
        // The rotation that zeroes m[p][q] (Golub & Van Loan, Algorithm 8.4.1), the smaller angle.
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // m stays symmetric: update rows p and q once and mirror them into the columns.
        const rp = p * n;
        const rq = q * n;
        for (let k = 0; k < n; k++) {
          if (k === p || k === q) continue;
          const mpk = m[rp + k];
          const mqk = m[rq + k];
          const np = c * mpk - s * mqk;
          const nq = s * mpk + c * mqk;
          m[rp + k] = np;
          m[k * n + p] = np;
          m[rq + k] = nq;
          m[k * n + q] = nq;
        }
        m[rp + p] = app - t * apq;
        m[rq + q] = aqq + t * apq;
        m[rp + q] = 0;
        m[rq + p] = 0;
        for (let k = 0; k < n; k++) {
          const vpk = vt[rp + k];
          const vqk = vt[rq + k];
          vt[rp + k] = c * vpk - s * vqk;
          vt[rq + k] = s * vpk + c * vqk;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => m[j * n + j] - m[i * n + i] || i - j);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, k) => {
    values[k] = m[src * n + src];
    let big = 0;
    for (let r = 0; r < n; r++) if (Math.abs(vt[src * n + r]) > Math.abs(big)) big = vt[src * n + r];
    const sign = big < 0 ? -1 : 1;
    for (let r = 0; r < n; r++) vectors[r * n + k] = sign * vt[src * n + r];
  });
  return { values, vectors };
}
