// A bias direction (Bolukbasi et al., "Man is to Computer Programmer as Woman is to Homemaker?", NIPS
// 2016): the first principal component of definitional pairs, each pair centred on its own mean (their
// doPCA: rows a − c and b − c with c = (a + b)/2, over unit vectors). The explained variance of the first
// components says whether one direction dominates (Bolukbasi et al. found ~60% for the first of ten
// gender pairs on word2vec GoogleNews). DirectBias_c = mean over neutral words of |cos(w, g)|^c.
// Measuring only: there is deliberately no debiasing transform (Gonen & Goldberg 2019 show that hard
// debiasing hides bias from this measure rather than removing it).
import fs from 'node:fs';
import { EmbedError, quote } from '../errors.js';
import { symmetricEigen } from '../tensor/symmetric-eigen.js';
import type { KeyedVectors, Neighbour } from '../vectors/keyed-vectors.js';

export interface BiasDirection {
  /** The unit direction g, oriented so that the first word of each pair lies on its positive side. */
  vector: Float64Array;
  /** The pairs both of whose words the model knows. */
  pairsUsed: [string, string][];
  /** The pairs skipped, with their unknown words. */
  pairsMissing: { pair: [string, string]; missing: string[] }[];
  /** Share of the pairs' variance along each principal component, largest first (at most `components`). */
  explained: number[];
}

function unitOf(kv: KeyedVectors, i: number): Float64Array {
  const v = Float64Array.from(kv.row(i));
  let n = 0;
  for (let d = 0; d < v.length; d++) n += v[d] * v[d];
  n = Math.sqrt(n);
  if (n > 0) for (let d = 0; d < v.length; d++) v[d] /= n;
  return v;
}

/**
 * The first principal component of the centred pairs, and the explained-variance ratios of the first
 * `components` components. Throws (exit 3) when no pair has both words in the vocabulary.
 */
export function biasDirection(kv: KeyedVectors, pairs: [string, string][], components = 10): BiasDirection {
  const dim = kv.dim;
  const rows: Float64Array[] = [];
  const used: [string, string][] = [];
  const skipped: BiasDirection['pairsMissing'] = [];
  const diffs: Float64Array[] = [];
  for (const pair of pairs) {
    const idx = pair.map((w) => kv.indexOf(w));
    const missing = pair.filter((_, k) => idx[k] < 0);
    if (missing.length) {
      skipped.push({ pair, missing });
      continue;
    }
    const [a, b] = idx.map((i) => unitOf(kv, i));
    const ra = new Float64Array(dim),
      rb = new Float64Array(dim),
      diff = new Float64Array(dim);
    for (let d = 0; d < dim; d++) {
      const c = (a[d] + b[d]) / 2;
      ra[d] = a[d] - c;
      rb[d] = b[d] - c;
      diff[d] = a[d] - b[d];
    }
    rows.push(ra, rb);
    diffs.push(diff);
    used.push(pair);
  }
  if (used.length === 0)
    throw new EmbedError(
      `none of the ${pairs.length} definitional pairs has both words in the model's vocabulary (unknown: ${skipped
        .flatMap((s) => s.missing)
        .slice(0, 8)
        .map((w) => quote(w))
        .join(', ')}): give pairs the model knows (--pairs, --pair)`,
      3,
    );
  // Centre the columns (sklearn's PCA does; the pair-centred rows already have mean ~0).
  const m = rows.length;
  const mean = new Float64Array(dim);
  for (const r of rows) for (let d = 0; d < dim; d++) mean[d] += r[d] / m;
  for (const r of rows) for (let d = 0; d < dim; d++) r[d] -= mean[d];
  // The m×m Gram matrix has the same non-zero eigenvalues as the dim×dim covariance, and a principal
  // axis is Mᵀu/‖Mᵀu‖ for its eigenvector u: a 20×20 problem for 10 pairs instead of a 300×300 one.
  const gram = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = i; j < m; j++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += rows[i][d] * rows[j][d];
      gram[i * m + j] = s;
      gram[j * m + i] = s;
    }
  const { values, vectors } = symmetricEigen(gram, m);
  let total = 0;
  for (const v of values) total += Math.max(0, v);
  const g = new Float64Array(dim);
  for (let i = 0; i < m; i++) {
    const u = vectors[i * m];
    for (let d = 0; d < dim; d++) g[d] += u * rows[i][d];
  }
  let norm = 0;
  for (let d = 0; d < dim; d++) norm += g[d] * g[d];
  norm = Math.sqrt(norm);
  if (!(norm > 0) || !(total > 0))
    throw new EmbedError('the definitional pairs do not define a direction (their two words have the same vector)');
  let side = 0;
  for (const diff of diffs) for (let d = 0; d < dim; d++) side += diff[d] * g[d];
  const sign = side < 0 ? -1 : 1;
  for (let d = 0; d < dim; d++) g[d] = (sign * g[d]) / norm;
  const k = Math.min(components, m, dim);
  const explained = Array.from(values.subarray(0, k), (v) => Math.max(0, v) / total);
  return { vector: g, pairsUsed: used, pairsMissing: skipped, explained };
}

export interface Projection {
  word: string;
  /** cos(w, g): the signed projection of the word's unit vector on the direction. */
  projection: number;
}

/** Each known word's signed projection on the unit direction g; unknown words are listed apart. */
export function projectOnDirection(kv: KeyedVectors, g: Float64Array, words: string[]): { projections: Projection[]; missing: string[] } {
  const projections: Projection[] = [];
  const missing: string[] = [];
  for (const word of words) {
    const i = kv.indexOf(word);
    if (i < 0) {
      missing.push(word);
      continue;
    }
    const u = unitOf(kv, i);
    let s = 0;
    for (let d = 0; d < u.length; d++) s += u[d] * g[d];
    projections.push({ word, projection: s });
  }
  return { projections, missing };
}

export interface DirectBiasResult {
  /** DirectBias_c = mean |cos(w, g)|^c over the known words. */
  value: number;
  c: number;
  projections: Projection[];
  missing: string[];
}

/** DirectBias_c of a word list (Bolukbasi et al. §5.2). Throws (exit 3) when no word is known. */
export function directBias(kv: KeyedVectors, g: Float64Array, words: string[], c = 1): DirectBiasResult {
  const { projections, missing } = projectOnDirection(kv, g, words);
  if (projections.length === 0)
    throw new EmbedError(
      `none of the ${words.length} words of the DirectBias list is in the model's vocabulary (e.g. ${words
        .slice(0, 5)
        .map((w) => quote(w))
        .join(', ')}): give a word list the model knows (--words)`,
      3,
    );
  const value = projections.reduce((t, p) => t + Math.abs(p.projection) ** c, 0) / projections.length;
  return { value, c, projections, missing };
}

/** The `topn` words nearest each end of the direction (by cosine) among the first `restrict` words, without `exclude`. */
export function directionPoles(
  kv: KeyedVectors,
  g: Float64Array,
  topn = 10,
  restrict = 0,
  exclude: string[] = [],
): { positive: Neighbour[]; negative: Neighbour[] } {
  const skip = new Set(exclude.map((w) => kv.indexOf(w)).filter((i) => i >= 0));
  const plus = Float32Array.from(g);
  const minus = plus.map((x) => -x);
  return { positive: kv.nearestToVector(plus, topn, skip, restrict), negative: kv.nearestToVector(minus, topn, skip, restrict) };
}

/**
 * Definitional pairs from a file: a JSON array of two-word arrays (debiaswe's definitional_pairs.json),
 * or text with one pair per line, the two words separated by whitespace, a comma or a tab (`#` comments).
 */
export function readPairsFile(file: string): [string, string][] {
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const bad = (why: string) => new EmbedError(`${quote(file, 300)} is not a list of word pairs: ${why}`);
  let pairs: unknown[];
  if (/^\s*\[/.test(text)) {
    try {
      pairs = JSON.parse(text) as unknown[];
    } catch (e) {
      throw bad(`invalid JSON (${(e as Error).message})`);
    }
    if (!Array.isArray(pairs)) throw bad('expected an array of pairs');
  } else
    pairs = text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(/[\s,\uFF0C]+/u));
  const out = pairs.map((p, i) => {
    if (!Array.isArray(p) || p.length !== 2 || !p.every((w) => typeof w === 'string' && w.trim()))
      throw bad(`pair ${i + 1} is not two words`);
    return [p[0].trim(), p[1].trim()] as [string, string];
  });
  if (out.length === 0) throw bad('it holds no pair');
  return out;
}

/**
 * A word list from a file: a JSON array of words (or of arrays whose first element is the word, as
 * debiaswe's professions.json), or text with words separated by whitespace, one or more a line (`#` comments).
 */
export function readWordList(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const bad = (why: string) => new EmbedError(`${quote(file, 300)} is not a word list: ${why}`);
  let words: string[];
  if (/^\s*\[/.test(text)) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw bad(`invalid JSON (${(e as Error).message})`);
    }
    if (!Array.isArray(data)) throw bad('expected an array');
    words = data.map((e, i) => {
      const w = Array.isArray(e) ? e[0] : e;
      if (typeof w !== 'string' || !w.trim()) throw bad(`entry ${i + 1} is not a word`);
      return w.trim();
    });
  } else
    words = text
      .split('\n')
      .filter((l) => !l.trimStart().startsWith('#'))
      .flatMap((l) => l.trim().split(/\s+/u))
      .filter(Boolean);
  if (words.length === 0) throw bad('it holds no word');
  return words;
}
