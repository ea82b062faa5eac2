// Barnes–Hut t-SNE (van der Maaten, "Accelerating t-SNE using Tree-Based Algorithms", JMLR 2014):
// input similarities only between each word and its 3·perplexity nearest neighbours (exact top-k by
// cosine), each row's Gaussian calibrated to the perplexity by binary search, symmetrised; the
// repulsion between all pairs approximated with a quadtree (a far cell acts as one point at its
// centre of mass). Gradient descent with early exaggeration, momentum and per-coordinate gains, as
// the reference bh_tsne does. Everything is plain typed arrays; the same seed gives the same layout.
import { Rng } from '../rng.js';
import { pca } from './pca.js';
import { unitRows } from './unit-rows.js';

export interface TsneOptions {
  perplexity?: number;
  /** Gradient steps in all (default 750: 250 exaggerated + 500, as openTSNE). */
  iterations?: number;
  /** Steps with the attraction multiplied by `exaggeration` (default 250). */
  exaggerationIterations?: number;
  exaggeration?: number;
  /** Step size; default max(200, n / exaggeration) (Belkina et al. 2019). */
  learningRate?: number;
  /** Barnes–Hut accuracy: a cell of half-width w at distance d is one point when w / d < theta (default 0.5, as bh_tsne). */
  theta?: number;
  seed?: number;
  /** Start from the first two principal components (default) or from seeded random points. */
  init?: 'pca' | 'random';
  onProgress?: (p: TsneProgress) => void;
  /** Checked between steps; aborting throws signal.reason. */
  signal?: AbortSignal;
}

export interface TsneProgress {
  phase: 'neighbours' | 'calibrate' | 'optimize';
  done: number;
  total: number;
  /** Kullback–Leibler divergence estimate (optimize phase, every 50 steps). */
  kl?: number;
}

/** The fewest points t-SNE takes for a perplexity: each point needs more than 3·perplexity neighbours. */
export function minPointsFor(perplexity: number): number {
  return Math.floor(3 * perplexity) + 2;
}

/**
 * The k nearest rows of each row by cosine similarity (exact, all pairs). Returns the neighbours'
 * indices (n × k) and their squared Euclidean distances between unit vectors (2 − 2·cosine), nearest first.
 */
export function nearestNeighbours(
  x: Float32Array | Float64Array,
  n: number,
  dim: number,
  k: number,
  onRow?: (done: number) => void,
): { indices: Int32Array; distances: Float64Array } {
  const unit = unitRows(x, n, dim);
  // Each row keeps its best k similarities in descending order; a pair is computed once and offered to both rows.
  const bestSim = new Float64Array(n * k).fill(-Infinity);
  const bestIdx = new Int32Array(n * k).fill(-1);
  const offer = (i: number, j: number, s: number) => {
    const base = i * k;
    if (s <= bestSim[base + k - 1]) return;
    let p = k - 1;
    while (p > 0 && bestSim[base + p - 1] < s) {
      bestSim[base + p] = bestSim[base + p - 1];
      bestIdx[base + p] = bestIdx[base + p - 1];
      p--;
    }
    bestSim[base + p] = s;
    bestIdx[base + p] = j;
  };
  for (let i = 0; i < n; i++) {
    const oi = i * dim;
    for (let j = i + 1; j < n; j++) {
      const oj = j * dim;
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      let d = 0;
      for (; d + 3 < dim; d += 4) {
        s0 += unit[oi + d] * unit[oj + d];
        s1 += unit[oi + d + 1] * unit[oj + d + 1];
        s2 += unit[oi + d + 2] * unit[oj + d + 2];
        s3 += unit[oi + d + 3] * unit[oj + d + 3];
      }
      for (; d < dim; d++) s0 += unit[oi + d] * unit[oj + d];
      const s = s0 + s1 + s2 + s3;
      offer(i, j, s);
      offer(j, i, s);
    }
    if (onRow && (i & 63) === 63) onRow(i + 1);
  }
  const distances = new Float64Array(n * k);
  for (let i = 0; i < n * k; i++) distances[i] = Math.max(0, 2 - 2 * bestSim[i]);
  return { indices: bestIdx, distances };
}

/** A sparse symmetric matrix in compressed rows. */
interface Csr {
  rowStart: Int32Array;
  cols: Int32Array;
  vals: Float64Array;
}

/**
 * p(j|i) over each row's k neighbours, the Gaussian's precision found by binary search so that the
 * row's entropy is log(perplexity); then P = (p(j|i) + p(i|j)) / 2n as a sparse symmetric matrix.
 */
export function inputSimilarities(indices: Int32Array, distances: Float64Array, n: number, k: number, perplexity: number): Csr {
  const cond = new Float64Array(n * k);
  const target = Math.log(perplexity);
  for (let i = 0; i < n; i++) {
    const base = i * k;
    let beta = 1;
    let lo = -Infinity;
    let hi = Infinity;
    // Distances relative to the nearest: the same Gaussian, without underflow when all are large.
    const d0 = distances[base];
    for (let iter = 0; iter < 200; iter++) {
      let sum = 0;
      let sumDP = 0;
      for (let j = 0; j < k; j++) {
        const dd = distances[base + j] - d0;
        const p = Math.exp(-beta * dd);
        cond[base + j] = p;
        sum += p;
        sumDP += dd * p;
      }
      // H = log(sum) + beta · E[d]
      const h = Math.log(sum) + (beta * sumDP) / sum;
      for (let j = 0; j < k; j++) cond[base + j] /= sum;
      const diff = h - target;
      if (Math.abs(diff) < 1e-5) break;
      if (diff > 0) {
        lo = beta;
        beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
      } else {
        hi = beta;
        beta = lo === -Infinity ? beta / 2 : (beta + lo) / 2;
      }
    }
  }
  // Symmetrise: gather (i, j, p) and (j, i, p) per row, then merge duplicate columns.
  const count = new Int32Array(n + 1);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < k; j++) {
      const c = indices[i * k + j];
      if (c < 0) continue;
      count[i + 1]++;
      count[c + 1]++;
    }
  for (let i = 0; i < n; i++) count[i + 1] += count[i];
  const fill = count.slice(0, n);
  const cols = new Int32Array(count[n]);
  const vals = new Float64Array(count[n]);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < k; j++) {
      const c = indices[i * k + j];
      if (c < 0) continue;
      const p = cond[i * k + j];
      cols[fill[i]] = c;
      vals[fill[i]++] = p;
      cols[fill[c]] = i;
      vals[fill[c]++] = p;
    }
  // Merge duplicate columns row by row: slot[c] is where column c went in the current row (or -1).
  const rowStart = new Int32Array(n + 1);
  const outCols = new Int32Array(count[n]);
  const outVals = new Float64Array(count[n]);
  const slot = new Int32Array(n).fill(-1);
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    rowStart[i] = nnz;
    for (let e = count[i]; e < count[i + 1]; e++) {
      const c = cols[e];
      if (slot[c] >= rowStart[i]) outVals[slot[c]] += vals[e];
      else {
        slot[c] = nnz;
        outCols[nnz] = c;
        outVals[nnz++] = vals[e];
      }
    }
  }
  rowStart[n] = nnz;
  const v = outVals.slice(0, nnz);
  let total = 0;
  for (let e = 0; e < v.length; e++) total += v[e];
  for (let e = 0; e < v.length; e++) v[e] /= total;
  return { rowStart, cols: outCols.slice(0, nnz), vals: v };
}

/**
 * A quadtree over 2-D points, rebuilt each step, all in one Float64Array (a node's fields side by side,
 * so the traversal reads one cache line per node). A node is a leaf with one point (or, at the depth
 * limit, several points at practically the same place) or has four consecutive children.
 */
const CX = 0,
  CY = 1,
  HW = 2, // half-width
  MX = 3, // sum of x of the points below, then their centre of mass
  MY = 4,
  MASS = 5,
  CHILD = 6, // first child's node number, or -1 for a leaf
  POINT = 7, // a leaf's (first) point, or -1
  DEPTH = 8;
const STRIDE = 9;

class QuadTree {
  f: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.f = new Float64Array(capacity * STRIDE);
  }

  private node(cx: number, cy: number, hw: number, depth: number): number {
    if ((this.size + 1) * STRIDE > this.f.length) {
      const g = new Float64Array(this.f.length * 2);
      g.set(this.f);
      this.f = g;
    }
    const i = this.size++;
    const o = i * STRIDE;
    const f = this.f;
    f[o + CX] = cx;
    f[o + CY] = cy;
    f[o + HW] = hw;
    f[o + MX] = 0;
    f[o + MY] = 0;
    f[o + MASS] = 0;
    f[o + CHILD] = -1;
    f[o + POINT] = -1;
    f[o + DEPTH] = depth;
    return i;
  }

  private split(nd: number): void {
    const o = nd * STRIDE;
    const h = this.f[o + HW] / 2;
    const x = this.f[o + CX];
    const y = this.f[o + CY];
    const d = this.f[o + DEPTH] + 1;
    const first = this.node(x - h, y - h, h, d);
    this.node(x + h, y - h, h, d);
    this.node(x - h, y + h, h, d);
    this.node(x + h, y + h, h, d);
    this.f[o + CHILD] = first;
  }

  private quadrant(nd: number, x: number, y: number): number {
    const o = nd * STRIDE;
    return this.f[o + CHILD] + (x >= this.f[o + CX] ? 1 : 0) + (y >= this.f[o + CY] ? 2 : 0);
  }

  build(y: Float64Array, n: number): void {
    this.size = 0;
    let minX = Infinity,
      minY = Infinity,
      maxX = -Infinity,
      maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      const a = y[2 * i],
        b = y[2 * i + 1];
      if (a < minX) minX = a;
      if (a > maxX) maxX = a;
      if (b < minY) minY = b;
      if (b > maxY) maxY = b;
    }
    const hw = Math.max(maxX - minX, maxY - minY, 1e-9) / 2 + 1e-5;
    const root = this.node((minX + maxX) / 2, (minY + maxY) / 2, hw, 0);
    for (let i = 0; i < n; i++) this.insert(root, i, y[2 * i], y[2 * i + 1], y);
    const f = this.f;
    for (let o = 0; o < this.size * STRIDE; o += STRIDE)
      if (f[o + MASS] > 0) {
        f[o + MX] /= f[o + MASS];
        f[o + MY] /= f[o + MASS];
      }
  }

  private insert(root: number, i: number, x: number, yy: number, y: Float64Array): void {
    let nd = root;
    for (;;) {
      const o = nd * STRIDE;
      let f = this.f;
      f[o + MX] += x;
      f[o + MY] += yy;
      f[o + MASS]++;
      if (f[o + CHILD] >= 0) {
        nd = this.quadrant(nd, x, yy);
        continue;
      }
      if (f[o + POINT] < 0 && f[o + MASS] === 1) {
        f[o + POINT] = i;
        return;
      }
      if (f[o + DEPTH] >= 40) return; // points too close to separate: they share the leaf
      // Move the leaf's point down one level, then go on with i.
      const j = f[o + POINT];
      f[o + POINT] = -1;
      this.split(nd);
      f = this.f; // split may have grown the array
      const c = this.quadrant(nd, y[2 * j], y[2 * j + 1]);
      const oc = c * STRIDE;
      f[oc + MX] += y[2 * j];
      f[oc + MY] += y[2 * j + 1];
      f[oc + MASS]++;
      f[oc + POINT] = j;
      nd = this.quadrant(nd, x, yy);
    }
  }
}

/** The t-SNE layout of the n rows of `x` (n × dim): n × 2 coordinates, row-major. */
export function tsne(x: Float32Array | Float64Array, n: number, dim: number, opts: TsneOptions = {}): Float64Array {
  const perplexity = opts.perplexity ?? 30;
  const iterations = opts.iterations ?? 750;
  const exIters = opts.exaggerationIterations ?? Math.min(250, Math.round(iterations / 3));
  const exaggeration = opts.exaggeration ?? 12;
  const eta = opts.learningRate ?? Math.max(200, n / exaggeration);
  const theta = opts.theta ?? 0.5;
  const seed = opts.seed ?? 1;
  const progress = opts.onProgress;
  const signal = opts.signal;
  if (n < minPointsFor(perplexity))
    throw new RangeError(`t-SNE with perplexity ${perplexity} needs at least ${minPointsFor(perplexity)} points, got ${n}`);

  const k = Math.min(n - 1, Math.floor(3 * perplexity));
  const knn = nearestNeighbours(x, n, dim, k, (done) => progress?.({ phase: 'neighbours', done, total: n }));
  progress?.({ phase: 'neighbours', done: n, total: n });
  signal?.throwIfAborted();
  const P = inputSimilarities(knn.indices, knn.distances, n, k, perplexity);
  progress?.({ phase: 'calibrate', done: n, total: n });

  // Start: the top two principal components scaled to a standard deviation of 1e-4 (deterministic; the
  // global arrangement survives), plus seeded jitter far below it that breaks ties; or seeded random points.
  const rng = new Rng(seed, 0x75e);
  const gauss = () => {
    const u = Math.max(rng.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
  };
  const Y = new Float64Array(2 * n);
  if ((opts.init ?? 'pca') === 'pca' && dim >= 2) {
    const c = pca(x, n, dim, 2).coords;
    let sd = 0;
    for (let i = 0; i < n; i++) sd += c[2 * i] * c[2 * i];
    sd = Math.sqrt(sd / n) || 1;
    for (let i = 0; i < 2 * n; i++) Y[i] = (c[i] / sd) * 1e-4 + gauss() * 1e-7;
  } else for (let i = 0; i < 2 * n; i++) Y[i] = gauss() * 1e-4;

  const update = new Float64Array(2 * n);
  const gains = new Float64Array(2 * n).fill(1);
  const grad = new Float64Array(2 * n);
  const tree = new QuadTree(4 * n + 16);
  const stack = new Int32Array(4 * 64 + 16);
  const theta2 = theta * theta;
  const { rowStart, cols, vals } = P;

  for (let it = 0; it < iterations; it++) {
    if ((it & 15) === 0) signal?.throwIfAborted();
    const exag = it < exIters ? exaggeration : 1;
    const momentum = it < exIters ? 0.5 : 0.8;
    tree.build(Y, n);
    const f = tree.f;
    // Repulsion: sum over cells of q² (yi − ycell) · mass, and the normaliser Z = Σ q.
    let sumQ = 0;
    for (let i = 0; i < n; i++) {
      const xi = Y[2 * i];
      const yi = Y[2 * i + 1];
      let fx = 0,
        fy = 0;
      let sp = 0;
      stack[sp++] = 0;
      while (sp > 0) {
        const o = stack[--sp] * STRIDE;
        const m = f[o + MASS];
        const dx = xi - f[o + MX];
        const dy = yi - f[o + MY];
        const d2 = dx * dx + dy * dy;
        const child = f[o + CHILD];
        // bh_tsne's test: the cell's half-width over the distance to its centre of mass below theta.
        const w = f[o + HW];
        if (child < 0 || w * w < theta2 * d2) {
          // A leaf's own point is not repelled by itself. (A point in a depth-limited leaf of near
          // duplicates, not listed first, adds ~1 to Z and no force: negligible beside n.)
          const mm = child < 0 && f[o + POINT] === i ? m - 1 : m;
          if (mm <= 0) continue;
          const q = 1 / (1 + d2);
          sumQ += mm * q;
          const qq = mm * q * q;
          fx += qq * dx;
          fy += qq * dy;
        } else {
          if (sp + 4 > stack.length) throw new Error('t-SNE quadtree too deep');
          // Only the children that hold points (many quadrants of a split are empty).
          const oc = child * STRIDE + MASS;
          if (f[oc] > 0) stack[sp++] = child;
          if (f[oc + STRIDE] > 0) stack[sp++] = child + 1;
          if (f[oc + 2 * STRIDE] > 0) stack[sp++] = child + 2;
          if (f[oc + 3 * STRIDE] > 0) stack[sp++] = child + 3;
        }
      }
      grad[2 * i] = -fx;
      grad[2 * i + 1] = -fy;
    }
    const invZ = 1 / Math.max(sumQ, 1e-300);
    let kl = 0;
    const wantKl = progress && (it % 50 === 49 || it === iterations - 1);
    for (let i = 0; i < n; i++) {
      grad[2 * i] *= invZ;
      grad[2 * i + 1] *= invZ;
      const xi = Y[2 * i];
      const yi = Y[2 * i + 1];
      let ax = 0,
        ay = 0;
      for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
        const j = cols[e];
        const dx = xi - Y[2 * j];
        const dy = yi - Y[2 * j + 1];
        const q = 1 / (1 + dx * dx + dy * dy);
        const pq = exag * vals[e] * q;
        ax += pq * dx;
        ay += pq * dy;
        if (wantKl) {
          const p = vals[e];
          kl += p * Math.log(Math.max(p, 1e-12) / Math.max(q * invZ, 1e-12));
        }
      }
      grad[2 * i] = 4 * (grad[2 * i] + ax);
      grad[2 * i + 1] = 4 * (grad[2 * i + 1] + ay);
    }
    // Gains: grow where the gradient keeps its direction against the last step, shrink where it flips.
    let cxSum = 0,
      cySum = 0;
    for (let c = 0; c < 2 * n; c++) {
      const g = grad[c];
      const u = update[c];
      gains[c] = Math.sign(g) !== Math.sign(u) ? gains[c] + 0.2 : Math.max(gains[c] * 0.8, 0.01);
      update[c] = momentum * u - eta * gains[c] * g;
      Y[c] += update[c];
      if (c & 1) cySum += Y[c];
      else cxSum += Y[c];
    }
    cxSum /= n;
    cySum /= n;
    for (let i = 0; i < n; i++) {
      Y[2 * i] -= cxSum;
      Y[2 * i + 1] -= cySum;
    }
    if (progress && (it % 10 === 9 || it === iterations - 1))
      progress({ phase: 'optimize', done: it + 1, total: iterations, ...(wantKl ? { kl } : {}) });
  }
  return Y;
}
