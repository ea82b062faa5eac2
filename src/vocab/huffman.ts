// Huffman tree over word counts for hierarchical softmax, built as word2vec.c's CreateBinaryTree does
// (two-pointer merge over the count-sorted vocabulary, O(V)). Codes and points are flattened.

export interface HuffmanCodes {
  /** codeOffsets[w] .. codeOffsets[w+1] index word w's path in codes/points. */
  codeOffsets: Int32Array;
  /** 0/1 branch taken at each inner node on the path from the root. */
  codes: Uint8Array;
  /** Inner-node indices (0 .. V-2), rows of the hierarchical-softmax output matrix. */
  points: Int32Array;
  maxCodeLength: number;
}

/** `counts` must be sorted in descending order (as a Vocabulary is). */
export function buildHuffman(counts: ArrayLike<number>): HuffmanCodes {
  const V = counts.length;
  if (V < 2) {
    // One word: a single inner node with one branch keeps the engines' loops uniform.
    return { codeOffsets: Int32Array.from([0, V]), codes: new Uint8Array(V), points: new Int32Array(V), maxCodeLength: V };
  }
  const count = new Float64Array(2 * V - 1);
  const binary = new Uint8Array(2 * V - 1);
  const parent = new Int32Array(2 * V - 1);
  for (let i = 0; i < V; i++) count[i] = counts[i];
  for (let i = V; i < 2 * V - 1; i++) count[i] = Infinity;
  let pos1 = V - 1;
  let pos2 = V;
  for (let a = 0; a < V - 1; a++) {
    let min1: number, min2: number;
    if (pos1 >= 0 && count[pos1] < count[pos2]) min1 = pos1--;
    else min1 = pos2++;
    if (pos1 >= 0 && count[pos1] < count[pos2]) min2 = pos1--;
    else min2 = pos2++;
    count[V + a] = count[min1] + count[min2];
    parent[min1] = V + a;
    parent[min2] = V + a;
    binary[min2] = 1;
  }
  const root = 2 * V - 2;
  const lengths = new Int32Array(V);
  let total = 0;
  let maxLen = 0;
  for (let w = 0; w < V; w++) {
    let len = 0;
    for (let b = w; b !== root; b = parent[b]) len++;
    lengths[w] = len;
    total += len;
    if (len > maxLen) maxLen = len;
  }
  const codeOffsets = new Int32Array(V + 1);
  for (let w = 0; w < V; w++) codeOffsets[w + 1] = codeOffsets[w] + lengths[w];
  const codes = new Uint8Array(total);
  const points = new Int32Array(total);
  for (let w = 0; w < V; w++) {
    // Walk leaf → root, filling the path back to front so it reads root → leaf.
    let i = codeOffsets[w + 1] - 1;
    for (let b = w; b !== root; b = parent[b]) {
      codes[i] = binary[b];
      points[i] = parent[b] - V;
      i--;
    }
  }
  return { codeOffsets, codes, points, maxCodeLength: maxLen };
}
