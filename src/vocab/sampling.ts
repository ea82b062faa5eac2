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

/**
 * The negative-sampling table as an alias table (Walker/Vose) with exactly its distribution: word w,
 * which fills n_w of the table's N slots, is drawn with probability n_w / N. Bucket b (one per word,
 * drawn uniformly) gives its own word with probability keep[b] / N, else alias[b] (the wasm kernel's
 * drawNegative). All in integers (weights n_w·V against a bucket's capacity N), so no rounding. The
 * point is size: 8 bytes a word (560 KB for 70k words) stay in a core's cache, where random slots of
 * a 100-slots-a-word table (27 MB) missed it on most draws (bench/MEASUREMENTS.md, "Negatives from an
 * alias table").
 * Returns `pairs` as [keep[b], alias[b]] for each bucket b, and the slot count N.
 */
export function aliasTable(table: Int32Array, words: number): { pairs: Int32Array; total: number } {
  const total = table.length;
  const weight = new Float64Array(words);
  for (let i = 0; i < total; i++) weight[table[i]] += words; // n_w · V (exact: below 2^53)
  const pairs = new Int32Array(2 * words);
  const small: number[] = [];
  const large: number[] = [];
  for (let w = 0; w < words; w++) (weight[w] < total ? small : large).push(w);
  while (small.length && large.length) {
    const s = small.pop()!;
    const l = large[large.length - 1];
    pairs[2 * s] = weight[s];
    pairs[2 * s + 1] = l;
    weight[l] -= total - weight[s];
    if (weight[l] < total) small.push(large.pop()!);
  }
  // What is left is full (its weight is exactly N): it always keeps its own word.
  for (const w of [...small, ...large]) {
    pairs[2 * w] = total;
    pairs[2 * w + 1] = w;
  }
  return { pairs, total };
}
