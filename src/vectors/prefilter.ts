// An exact prefilter for the similarity scan over a model on disk. A native model keeps, beside its
// float32 rows, an int8 copy (vectors.i8, a quarter of the bytes): each row v as codes c = round(v / s)
// with s = max|v| / 127, and the ratio r = s / |v|. A cold query scans the codes instead of the rows:
// r · (q · c) / |q| is the row's cosine to within a bound that the codes' rounding (at most s / 2 a
// value) and float32 arithmetic cannot exceed. Every row whose upper bound reaches the k-th best lower
// bound is a candidate; only those rows are read in full and scored exactly as the full scan scores
// them. A row left out has a cosine below the k-th best, so the answer, scores and order, is the full
// scan's bit for bit; on a 1M × 300 model about a hundred rows are read instead of 1.2 GB.
import { SCAN_BLOCK_BYTES, type ScanKernel } from './scan-kernel.js';

/** Where a source keeps its int8 copy: rows [first, first + count) of ratios or codes into `out`. */
export interface QuantizedRows {
  readRatios(first: number, count: number, out: Float32Array): void;
  readCodes(first: number, count: number, out: Int8Array): void;
}

/** vectors.i8's bytes for `vectors` (rows of `dim`) with their norms: the ratios (float32), then the codes. */
export function quantizedBytes(vectors: Float32Array, dim: number, norms: Float64Array): Uint8Array {
  const rows = norms.length;
  const out = new Uint8Array(rows * 4 + rows * dim);
  const ratios = new Float32Array(out.buffer, 0, rows);
  const codes = new Int8Array(out.buffer, rows * 4, rows * dim);
  for (let i = 0, o = 0; i < rows; i++, o += dim) {
    let max = 0;
    for (let d = 0; d < dim; d++) max = Math.max(max, Math.abs(vectors[o + d]));
    // A zero row keeps ratio 0 (never a neighbour); a row with NaN or infinity gets NaN: always read in full.
    if (!(max > 0) || !(max < Infinity)) {
      ratios[i] = max === 0 ? 0 : NaN;
      continue;
    }
    const s = max / 127;
    for (let d = 0; d < dim; d++) codes[o + d] = Math.round(vectors[o + d] / s);
    ratios[i] = s / norms[i];
  }
  return out;
}

/** Beyond this many neighbours, or candidates, the full scan is as cheap: the caller does that. */
const MAX_K = 512;

/**
 * The rows among [0, limit) that can be among the `k` nearest to q (|q| = qn) by cosine, ascending, or
 * null when the bound does not narrow the search enough to pay (the caller scans every row). `skip`:
 * rows never to answer (the query's own words). The bounds and the selection run in the kernel
 * (assembly/scan.ts, prefilterBlock): a cold process would run a JavaScript loop over every row in
 * its interpreter, slower than reading the codes.
 */
export function candidateRows(
  K: ScanKernel,
  source: QuantizedRows,
  q: Float32Array,
  qn: number,
  k: number,
  limit: number,
  skip: Iterable<number>,
): Int32Array | null {
  const dim = q.length;
  if (k === 0 || k > MAX_K || limit <= k) return null;
  let l1 = 0;
  for (let d = 0; d < dim; d++) l1 += Math.abs(q[d]);
  // Codes round by at most half a step a value; float32 sums err by at most (dim + 1) ulps of Σ|q c| ≤ 127 |q|₁
  // (taken twice over); the float32 ratio and sum by a few ulps of r q·c (taken 16 times over, in the kernel).
  const e = l1 * (0.5 + (dim + 2) * 127 * 2 ** -23);
  const skipped = Int32Array.from(skip);
  const cap = Math.max(4096, limit >> 4);
  const blockRows = Math.max(1, Math.min(limit, Math.floor(SCAN_BLOCK_BYTES / dim)));
  const [pq, pCodes, pRatios, pDots, pBest, pSkip, pFound, pHighs] = K.layout([
    dim * 4,
    blockRows * dim,
    blockRows * 4,
    blockRows * 4,
    k * 8,
    skipped.length * 4,
    cap * 4,
    cap * 8,
  ]);
  const mem = K.memory.buffer;
  new Float32Array(mem, pq, dim).set(q);
  new Float64Array(mem, pBest, k).fill(-Infinity);
  new Int32Array(mem, pSkip, skipped.length).set(skipped);
  const codes = new Int8Array(mem, pCodes, blockRows * dim);
  const ratios = new Float32Array(mem, pRatios, blockRows);
  let n = 0;
  for (let first = 0; first < limit; first += blockRows) {
    const count = Math.min(blockRows, limit - first);
    source.readRatios(first, count, ratios);
    source.readCodes(first, count, codes);
    K.dotsI8(pq, pCodes, count, dim, pDots);
    n = K.prefilterBlock(pDots, pRatios, count, first, e, qn, k, pBest, pSkip, skipped.length, pFound, pHighs, n, cap);
    if (n < 0) return null;
  }
  // The bar only rose while scanning: keep the rows that still reach it.
  const bar = new Float64Array(mem, pBest, k)[k - 1];
  const found = new Int32Array(mem, pFound, n);
  const highs = new Float64Array(mem, pHighs, n);
  let m = 0;
  for (let j = 0; j < n; j++) if (highs[j] >= bar) found[m++] = found[j];
  return found.slice(0, m);
}
