// Small dense linear algebra in float64, for the dim × dim problems of alignment (Procrustes): a
// one-sided Jacobi SVD (Hestenes 1958; TensorFlow.js has no SVD), an orthonormal basis from a matrix
// (Gram–Schmidt) and matrix products. Row-major Float64Arrays throughout. A 300 × 300 SVD takes about
// a second in V8: fine for a step run a few times per alignment, not for hot loops.

export interface Svd {
  /** m × k, row-major, orthonormal columns (k = min(m, n)). */
  u: Float64Array;
  /** The k singular values, largest first. */
  s: Float64Array;
  /** n × k, row-major, orthonormal columns. A = U diag(s) Vᵀ. */
  v: Float64Array;
  m: number;
  n: number;
  k: number;
  /** Jacobi sweeps run until every pair of columns was orthogonal to working precision. */
  sweeps: number;
}

export interface SvdOptions {
  /** Columns p, q count as orthogonal when |pᵀq| <= tol·‖p‖‖q‖ (default 1e-14). */
  tol?: number;
  maxSweeps?: number;
}

function norm2(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/** Aᵀ of an m × n row-major matrix. */
export function transpose(a: ArrayLike<number>, m: number, n: number): Float64Array {
  const t = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[j * m + i] = a[i * n + j];
  return t;
}

/** A (m × k) · B (k × n), row-major. */
export function matMul(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let p = 0; p < k; p++) {
      const x = a[i * k + p];
      if (x === 0) continue;
      for (let j = 0, o = p * n, r = i * n; j < n; j++) c[r + j] += x * b[o + j];
    }
  return c;
}

/**
 * Singular value decomposition by one-sided Jacobi rotations: columns of a working copy of A are
 * rotated in pairs until all are mutually orthogonal; their norms are then the singular values, the
 * normalised columns U, and the accumulated rotations V. Accurate to working precision even for small
 * singular values. Columns of U for zero singular values are completed to an orthonormal set.
 */
export function svd(a: ArrayLike<number>, m: number, n: number, opts: SvdOptions = {}): Svd {
  if (a.length !== m * n) throw new Error(`svd: ${a.length} values for a ${m} × ${n} matrix`);
  if (m < n) {
    const r = svd(transpose(a, m, n), n, m, opts);
    return { u: r.v, s: r.s, v: r.u, m, n, k: r.k, sweeps: r.sweeps };
  }
  const tol = opts.tol ?? 1e-14;
  const maxSweeps = opts.maxSweeps ?? 80;
  // Columns as separate arrays: every rotation reads and writes two whole columns.
  const cols: Float64Array[] = [];
  const vcols: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const c = new Float64Array(m);
    for (let i = 0; i < m; i++) c[i] = a[i * n + j];
    cols.push(c);
    const v = new Float64Array(n);
    v[j] = 1;
    vcols.push(v);
  }
  const rotate = (x: Float64Array, y: Float64Array, c: number, s: number) => {
    for (let i = 0; i < x.length; i++) {
      const xi = x[i],
        yi = y[i];
      x[i] = c * xi - s * yi;
      y[i] = s * xi + c * yi;
    }
  };
  let sweeps = 0;
  for (; sweeps < maxSweeps;) {
    sweeps++;
    let rotated = false;
    // Squared column norms, exact at the start of each sweep and updated by each rotation
    // (‖p‖² − t·pᵀq, ‖q‖² + t·pᵀq): one dot product per pair instead of three.
    const sq = cols.map((c) => norm2(c) ** 2);
    for (let p = 0; p < n - 1; p++)
      for (let q = p + 1; q < n; q++) {
        const cp = cols[p],
          cq = cols[q];
        const alpha = sq[p],
          beta = sq[q];
        let gamma = 0;
        for (let i = 0; i < m; i++) gamma += cp[i] * cq[i];
        if (alpha === 0 || beta === 0 || Math.abs(gamma) <= tol * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        rotate(cp, cq, c, s);
        rotate(vcols[p], vcols[q], c, s);
        sq[p] = Math.max(0, alpha - t * gamma);
        sq[q] = beta + t * gamma;
      }
    if (!rotated) break;
  }
  const norms = cols.map(norm2);
  const order = norms.map((_, j) => j).sort((x, y) => norms[y] - norms[x] || x - y);
  const k = n;
  const u = new Float64Array(m * k);
  const v = new Float64Array(n * k);
  const s = new Float64Array(k);
  const smax = norms[order[0]] ?? 0;
  const missing: number[] = [];
  order.forEach((j, r) => {
    s[r] = norms[j];
    for (let i = 0; i < n; i++) v[i * k + r] = vcols[j][i];
    if (norms[j] > 0 && norms[j] > smax * 1e-13) for (let i = 0; i < m; i++) u[i * k + r] = cols[j][i] / norms[j];
    else missing.push(r);
  });
  if (missing.length) completeColumns(u, m, k, missing);
  return { u, s, v, m, n, k, sweeps };
}

/**
 * Fills the listed columns of Q (m × k, row-major; the other columns orthonormal) with unit vectors
 * orthogonal to all the others: Gram–Schmidt (twice, for stability) on the standard basis vectors.
 */
function completeColumns(qm: Float64Array, m: number, k: number, missing: number[]): void {
  const filled = new Set<number>();
  for (let r = 0; r < k; r++) if (!missing.includes(r)) filled.add(r);
  let e = 0;
  for (const r of missing) {
    for (; e < m; e++) {
      const x = new Float64Array(m);
      x[e] = 1;
      for (let pass = 0; pass < 2; pass++)
        for (const c of filled) {
          let d = 0;
          for (let i = 0; i < m; i++) d += qm[i * k + c] * x[i];
          for (let i = 0; i < m; i++) x[i] -= d * qm[i * k + c];
        }
      const nx = norm2(x);
      if (nx < 1e-6) continue;
      for (let i = 0; i < m; i++) qm[i * k + r] = x[i] / nx;
      filled.add(r);
      e++;
      break;
    }
  }
}

/**
 * The orthogonal matrix nearest to M (n × n) in Frobenius norm, U Vᵀ from M's SVD: the solution of
 * orthogonal Procrustes, argmin over orthogonal W of ‖XW − Y‖ with M = XᵀY (Schönemann 1966).
 */
export function nearestOrthogonal(mat: ArrayLike<number>, n: number): Float64Array {
  const { u, v } = svd(mat, n, n);
  return matMul(u, transpose(v, n, n), n, n, n);
}

/** Orthonormalises the columns of A (n × n, row-major) by modified Gram–Schmidt: Q of A = QR. */
export function orthonormalColumns(a: ArrayLike<number>, n: number): Float64Array {
  const q = Float64Array.from(a);
  for (let j = 0; j < n; j++) {
    for (let pass = 0; pass < 2; pass++)
      for (let c = 0; c < j; c++) {
        let d = 0;
        for (let i = 0; i < n; i++) d += q[i * n + c] * q[i * n + j];
        for (let i = 0; i < n; i++) q[i * n + j] -= d * q[i * n + c];
      }
    let nn = 0;
    for (let i = 0; i < n; i++) nn += q[i * n + j] * q[i * n + j];
    nn = Math.sqrt(nn);
    if (nn === 0) throw new Error('orthonormalColumns: the matrix is singular');
    for (let i = 0; i < n; i++) q[i * n + j] /= nn;
  }
  return q;
}
