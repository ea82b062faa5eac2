// fastText's character n-grams and their hash buckets (Bojanowski et al. 2017; fastText's
// Dictionary::computeSubwords and Dictionary::hash). A word's input rows are its own row plus one row
// per n-gram of "<word>" (code points, lengths minn..maxn), hashed into `bucket` rows after the words.
// Everything here must agree with fastText 0.9.2 byte for byte, or its .bin files load wrong:
// test/subwords.test.mjs checks hashes and row lists against values read from a .bin it wrote.

export interface SubwordSettings {
  minn: number;
  maxn: number;
  bucket: number;
}

const encoder = new TextEncoder();

/** fastText's end-of-sentence token (a word of every model fastText trains). */
export const EOS = '</s>';

/**
 * fastText's hash: 32-bit FNV-1a over the UTF-8 bytes, each byte sign-extended as int8 before the xor
 * (fastText does `h ^ uint32_t(int8_t(c))`). Bytes >= 0x80 (every byte of a Chinese character) thus
 * xor in 0xffffff80..0xffffffff, not 0x80..0xff; plain FNV-1a puts those n-grams in other buckets.
 */
export function fasttextHash(bytes: Uint8Array): number {
  let h = 2166136261;
  for (let i = 0; i < bytes.length; i++) {
    h ^= (bytes[i] << 24) >> 24; // sign-extend
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/**
 * The n-grams of `word` as fastText's computeSubwords makes them: over "<word>", every run of n code
 * points with minn <= n <= maxn, in order of start then length, except a single "<" or ">". The whole
 * "<word>" is one of them when it is short enough (fastText keeps it too). Returns UTF-8 byte strings.
 * `word` is given without the brackets.
 */
export function subwordBytes(word: string, minn: number, maxn: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (maxn <= 0 || minn <= 0) return out;
  const b = encoder.encode(`<${word}>`);
  const isCont = (i: number) => (b[i] & 0xc0) === 0x80;
  for (let i = 0; i < b.length; i++) {
    if (isCont(i)) continue;
    let j = i;
    for (let n = 1; j < b.length && n <= maxn; n++) {
      j++;
      while (j < b.length && isCont(j)) j++;
      if (n >= minn && !(n === 1 && (i === 0 || j === b.length))) out.push(b.subarray(i, j));
    }
  }
  return out;
}

/** The n-gram strings of `word` (for display and tests), in computeSubwords' order. */
export function subwords(word: string, minn: number, maxn: number): string[] {
  const d = new TextDecoder();
  return subwordBytes(word, minn, maxn).map((x) => d.decode(x));
}

/** The input-matrix rows of word's n-grams: nwords + hash % bucket each, in computeSubwords' order (repeats kept, as fastText). */
export function ngramRows(word: string, s: SubwordSettings, nwords: number): number[] {
  if (s.bucket <= 0) return [];
  return subwordBytes(word, s.minn, s.maxn).map((g) => nwords + (fasttextHash(g) % s.bucket));
}

/**
 * Every vocabulary word's input rows, computed once: word i's rows are rows[offsets[i] .. offsets[i+1]),
 * its own row i first, then its n-gram rows (engine/job.ts, InputRows).
 */
export function wordRowLists(words: readonly string[], s: SubwordSettings): { offsets: Int32Array; rows: Int32Array; count: number } {
  const nwords = words.length;
  const offsets = new Int32Array(nwords + 1);
  const lists: number[][] = new Array(nwords);
  let total = 0;
  for (let i = 0; i < nwords; i++) {
    // fastText gives its end-of-sentence token no n-grams (Dictionary::initNgrams).
    lists[i] = words[i] === EOS ? [] : ngramRows(words[i], s, nwords);
    total += 1 + lists[i].length;
    offsets[i + 1] = total;
  }
  const rows = new Int32Array(total);
  for (let i = 0; i < nwords; i++) {
    let o = offsets[i];
    rows[o++] = i;
    for (const r of lists[i]) rows[o++] = r;
  }
  return { offsets, rows, count: nwords + s.bucket };
}

/**
 * The mean of `rows` of the matrix `m` (dim values per row) into `out`: fastText's getWordVector /
 * the vector of an unknown word from its n-gram rows. `out` stays zero for an empty list.
 */
export function meanOfRows(
  m: Float32Array,
  dim: number,
  rows: ArrayLike<number>,
  out: Float32Array,
  from = 0,
  to = rows.length,
): Float32Array {
  out.fill(0);
  for (let k = from; k < to; k++) {
    const o = rows[k] * dim;
    for (let d = 0; d < dim; d++) out[d] += m[o + d];
  }
  // × float(1/n), as fastText (Vector::mul with a float): bit-identical to its vectors.
  const inv = Math.fround(1 / (to - from));
  if (to > from) for (let d = 0; d < dim; d++) out[d] *= inv;
  return out;
}
