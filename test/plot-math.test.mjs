// The maths under `embed plot`: the symmetric eigendecomposition and PCA against known answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symmetricEigen, pca } from '../dist/index.js';

const close = (a, b, eps, what) => assert.ok(Math.abs(a - b) <= eps, `${what}: ${a} vs ${b}`);

test('symmetricEigen: a known 3×3 decomposition, descending, sign fixed', () => {
  // [[2,-1,0],[-1,2,-1],[0,-1,2]]: eigenvalues 2+√2, 2, 2−√2 with vectors (1,−√2,1)/2, (1,0,−1)/√2, (1,√2,1)/2.
  const a = Float64Array.from([2, -1, 0, -1, 2, -1, 0, -1, 2]);
  const { values, vectors } = symmetricEigen(a, 3);
  const r2 = Math.SQRT2;
  const want = [
    [2 + r2, [-0.5, r2 / 2, -0.5]], // largest magnitude component (√2/2) positive
    [2, [1 / r2, 0, -1 / r2]], // tie in magnitude: the first one found is positive
    [2 - r2, [0.5, r2 / 2, 0.5]],
  ];
  want.forEach(([val, vec], k) => {
    close(values[k], val, 1e-12, `value ${k}`);
    vec.forEach((x, r) => close(vectors[r * 3 + k], x, 1e-12, `vector ${k}[${r}]`));
  });
  assert.deepEqual([...a], [2, -1, 0, -1, 2, -1, 0, -1, 2], 'input untouched');
});

test('symmetricEigen: reconstructs a random symmetric matrix, orthonormal vectors', () => {
  const n = 40;
  let s = 7;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = rand();
  const { values, vectors } = symmetricEigen(a, n);
  for (let k = 1; k < n; k++) assert.ok(values[k - 1] >= values[k], 'descending');
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let r = 0,
        o = 0;
      for (let k = 0; k < n; k++) {
        r += vectors[i * n + k] * values[k] * vectors[j * n + k];
        o += vectors[k * n + i] * vectors[k * n + j];
      }
      close(r, a[i * n + j], 1e-10, `A[${i}][${j}]`);
      close(o, i === j ? 1 : 0, 1e-10, `VᵀV[${i}][${j}]`);
    }
  for (let k = 0; k < n; k++) {
    let big = 0;
    for (let r = 0; r < n; r++) if (Math.abs(vectors[r * n + k]) > Math.abs(big)) big = vectors[r * n + k];
    assert.ok(big > 0, `vector ${k}: largest component positive`);
  }
});

test('pca: points on a tilted line and a known spread project onto it, first axis first', () => {
  // Points t·u + 0.1·s·w in 3-D, u = (1,2,2)/3, w = (2,1,−2)/3 orthonormal: PC1 = ±u, PC2 = ±w.
  const u = [1 / 3, 2 / 3, 2 / 3];
  const w = [2 / 3, 1 / 3, -2 / 3];
  const n = 9;
  const x = new Float32Array(n * 3);
  const ts = [-4, -3, -2, -1, 0, 1, 2, 3, 4];
  const ss = [1, -1, 1, -1, 0, -1, 1, -1, 1]; // uncorrelated with ts, mean 0
  for (let i = 0; i < n; i++) for (let d = 0; d < 3; d++) x[i * 3 + d] = 5 + ts[i] * u[d] + 0.1 * ss[i] * w[d];
  const r = pca(x, n, 3);
  // PC1's sign: its largest component (2/3, in two places: the first found) is positive, so PC1 = u.
  for (let i = 0; i < n; i++) {
    close(r.coords[i * 2], ts[i], 1e-5, `pc1 of point ${i}`);
    close(Math.abs(r.coords[i * 2 + 1]), 0.1 * Math.abs(ss[i]), 1e-5, `pc2 of point ${i}`);
  }
  close(r.variances[0], 60 / 8, 1e-4, 'variance of pc1');
  assert.ok(r.explained[0] > 0.99, `explained ${r.explained[0]}`);
});
