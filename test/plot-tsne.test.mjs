// Barnes–Hut t-SNE on a synthetic clustered set: near neighbours stay near, the same seed gives the
// same layout, the input similarities are a calibrated, symmetric distribution.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tsne, nearestNeighbours, inputSimilarities, minPointsFor } from '../dist/index.js';

/** 12 clusters × 25 points in 20-D, seeded: centres far apart, points spread around them. */
function clustered(seed = 3) {
  let s = seed;
  const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const clusters = 12,
    per = 25,
    dim = 20,
    n = clusters * per;
  const x = new Float32Array(n * dim);
  const label = new Int32Array(n);
  const centres = Array.from({ length: clusters }, () => Array.from({ length: dim }, () => gauss() * 3));
  for (let i = 0; i < n; i++) {
    label[i] = i % clusters;
    for (let d = 0; d < dim; d++) x[i * dim + d] = centres[label[i]][d] + gauss();
  }
  return { x, n, dim, label };
}

/** Mean share of each point's k nearest (by cosine) in `x` that are among its k nearest in the 2-D layout. */
function knnPreservation(x, n, dim, y, k = 10) {
  const high = nearestNeighbours(x, n, dim, k).indices;
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const d = [];
    for (let j = 0; j < n; j++) if (j !== i) d.push([(y[2 * i] - y[2 * j]) ** 2 + (y[2 * i + 1] - y[2 * j + 1]) ** 2, j]);
    d.sort((a, b) => a[0] - b[0]);
    const low = new Set(d.slice(0, k).map((e) => e[1]));
    for (let t = 0; t < k; t++) if (low.has(high[i * k + t])) kept++;
  }
  return kept / (n * k);
}

const OPTS = { perplexity: 10, iterations: 400, exaggerationIterations: 100, seed: 5 };

test('t-SNE keeps near neighbours near (far above a random layout) and clusters apart', () => {
  const { x, n, dim, label } = clustered();
  const y = tsne(x, n, dim, OPTS);
  assert.equal(y.length, 2 * n);
  assert.ok(y.every(Number.isFinite), 'finite coordinates');
  const kept = knnPreservation(x, n, dim, y);
  let s = 9;
  const random = Float64Array.from({ length: 2 * n }, () => (s = (s * 16807) % 2147483647) / 2147483647);
  const baseline = knnPreservation(x, n, dim, random);
  assert.ok(kept > 0.35 && kept > 5 * baseline, `10-NN preservation ${kept.toFixed(3)}, random layout ${baseline.toFixed(3)}`);
  // The nearest point in the picture is in the same cluster for nearly every point.
  let same = 0;
  for (let i = 0; i < n; i++) {
    let best = -1,
      bd = Infinity;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const d = (y[2 * i] - y[2 * j]) ** 2 + (y[2 * i + 1] - y[2 * j + 1]) ** 2;
      if (d < bd) [bd, best] = [d, j];
    }
    if (label[best] === label[i]) same++;
  }
  assert.ok(same / n > 0.95, `nearest point in the same cluster: ${same}/${n}`);
});

test('t-SNE: the same seed gives the same coordinates, another seed another layout', () => {
  const { x, n, dim } = clustered(11);
  const opts = { ...OPTS, iterations: 120, exaggerationIterations: 60 };
  for (const init of ['pca', 'random']) {
    const a = tsne(x, n, dim, { ...opts, init });
    const b = tsne(x, n, dim, { ...opts, init });
    assert.deepEqual(a, b, `${init}: same seed, same layout`);
    const c = tsne(x, n, dim, { ...opts, init, seed: 6 });
    assert.notDeepEqual(a, c, `${init}: another seed changes it`);
  }
});

test('t-SNE input similarities: each row calibrated to the perplexity, P symmetric and summing to 1', () => {
  const { x, n, dim } = clustered(4);
  const perplexity = 8;
  const k = 3 * perplexity;
  const { indices, distances } = nearestNeighbours(x, n, dim, k);
  for (let i = 0; i < n; i++) {
    assert.ok(!Array.from(indices.subarray(i * k, (i + 1) * k)).includes(i), 'a point is not its own neighbour');
    for (let t = 1; t < k; t++) assert.ok(distances[i * k + t] >= distances[i * k + t - 1], 'nearest first');
  }
  const P = inputSimilarities(indices, distances, n, k, perplexity);
  const at = new Map();
  let total = 0;
  for (let i = 0; i < n; i++)
    for (let e = P.rowStart[i]; e < P.rowStart[i + 1]; e++) {
      at.set(`${i},${P.cols[e]}`, P.vals[e]);
      total += P.vals[e];
    }
  assert.ok(Math.abs(total - 1) < 1e-9, `sum ${total}`);
  for (const [key, v] of at) {
    const [i, j] = key.split(',');
    assert.ok(Math.abs(at.get(`${j},${i}`) - v) < 1e-15, `P[${i}][${j}] = P[${j}][${i}]`);
  }
  assert.throws(() => tsne(x, minPointsFor(30) - 1, dim, { perplexity: 30 }), /needs at least 92 points/);
});
