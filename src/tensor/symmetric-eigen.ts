// Eigendecomposition of a small dense symmetric matrix by the cyclic Jacobi method (Golub & Van Loan,
// "Matrix Computations", §8.5): rotate away each off-diagonal element in turn until they are all
// negligible. O(n³) per sweep and a handful of sweeps: fine for PCA of a few hundred dimensions, and
// exact to rounding (no iteration on a subspace), which is what a bias direction or a 2-D plot needs.

/**
 * Eigenvalues and eigenvectors of the symmetric n×n matrix `a` (row-major; only its values are read,
 * it is not changed). `values` are in descending order; `vectors` is row-major n×n with eigenvector k in
 * column k (vectors[i * n + k]), each of unit length and with its largest-magnitude component positive,
 * so the result does not depend on the order of the rotations.
 */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  if (!Number.isInteger(n) || n < 0 || a.length !== n * n) throw new Error(`symmetricEigen: expected ${n}×${n} values, got ${a.length}`);
  const m = Float64Array.from(a);
  // Symmetrise: a caller's matrix built in floating point may differ from its transpose in the last bit.
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const s = 0.5 * (m[i * n + j] + m[j * n + i]);
      m[i * n + j] = s;
      m[j * n + i] = s;
    }
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;

  let total = 0;
  for (let i = 0; i < n * n; i++) total += m[i] * m[i];
  const tiny = Number.MIN_VALUE / Number.EPSILON;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += m[i * n + j] * m[i * n + j];
    // Converged when the off-diagonal mass is at rounding level relative to the whole matrix.
    if (off <= Number.EPSILON * Number.EPSILON * total * 1e-2 || off < tiny) break;
    for (let p = 0; p < n - 1; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (apq === 0) continue;
        const app = m[p * n + p],
          aqq = m[q * n + q];
        // The rotation angle that zeroes m[p][q] (the smaller of the two roots, for stability).
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1),
          s = t * c;
        for (let k = 0; k < n; k++) {
          // Columns p and q of m (then rows, by symmetry), and of v.
          const mkp = m[k * n + p],
            mkq = m[k * n + q];
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k],
            mqk = m[q * n + k];
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        m[p * n + q] = 0;
        m[q * n + p] = 0;
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p],
            vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
  }

  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => m[j * n + j] - m[i * n + i] || i - j);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, k) => {
    values[k] = m[src * n + src];
    let big = 0;
    for (let i = 0; i < n; i++) if (Math.abs(v[i * n + src]) > Math.abs(big)) big = v[i * n + src];
    const sign = big < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) vectors[i * n + k] = sign * v[i * n + src];
  });
  return { values, vectors };
}
