// Negative-sampling table (unigram^0.75) and subsampling keep-probabilities, as in word2vec.c.

/**
 * A table where word w fills a share of slots proportional to count^power. word2vec.c uses 1e8
 * slots (400 MB); a table ~100 slots per word is as accurate for sampling and far smaller.
 */
export function buildUnigramTable(counts: ArrayLike<number>, power = 0.75, size = 0): Int32Array {
  const V = counts.length;
  const n = size > 0 ? size : Math.min(100_000_000, Math.max(1_000_000, 100 * V));
  const table = new Int32Array(n);
  if (V === 0) return table;
  let norm = 0;
  for (let i = 0; i < V; i++) norm += Math.pow(counts[i], power);
  let w = 0;
  let cum = Math.pow(counts[0], power) / norm;
  for (let a = 0; a < n; a++) {
    table[a] = w;
    if (a / n > cum && w < V - 1) {
      w++;
      cum += Math.pow(counts[w], power) / norm;
    }
  }
  return table;
}

/**
 * word2vec.c's keep probability: (sqrt(f/(s·T)) + 1) · (s·T)/f for a word of count f among T
 * tokens, capped at 1. sample = 0 keeps everything.
 */
export function buildKeepProbabilities(counts: ArrayLike<number>, sample: number, totalCount: number): Float32Array {
  const V = counts.length;
  const keep = new Float32Array(V).fill(1);
  if (sample <= 0) return keep;
  const threshold = sample * totalCount;
  for (let i = 0; i < V; i++) {
    const p = (Math.sqrt(counts[i] / threshold) + 1) * (threshold / counts[i]);
    keep[i] = p < 1 ? p : 1;
  }
  return keep;
}
