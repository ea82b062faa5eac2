// Cross-lingual alignment: map a source model onto a target model's space with an orthogonal matrix
// learned from a seed dictionary (orthogonal Procrustes: Xing et al. 2015, Smith et al. 2017), after
// MUSE's normalisation (unit length, centring, unit length), with optional refinement rounds that
// re-learn the map from the mutual CSLS nearest neighbours among the most frequent words (Conneau et
// al. 2018, "Word Translation Without Parallel Data"; MUSE's supervised.py).
import { EmbedError, EXIT, UsageError, quote } from '../errors.js';
import { Rng } from '../rng.js';
import { nearestOrthogonal, orthonormalColumns } from '../tensor/svd.js';
import { KeyedVectors } from './keyed-vectors.js';
import { scanScores, unitMatrix } from './retrieve.js';

export type NormStep = 'unit' | 'center';

/** MUSE's recommendation for distant pairs such as en–zh. */
export const DEFAULT_NORMALIZATION = 'unit,center,unit';

/** 'unit,center,unit' → steps; 'none' or '' → no step. */
export function parseNormalization(spec: string): NormStep[] {
  const s = spec.trim();
  if (s === '' || s === 'none') return [];
  return s.split(',').map((x) => {
    const t = x.trim();
    if (t === 'unit' || t === 'center') return t;
    throw new UsageError(`--normalize ${quote(spec)}: steps are 'unit' and 'center', comma-separated (e.g. unit,center,unit), or 'none'`);
  });
}

/** A copy of the rows with each step applied in turn: unit length per row, or the mean row subtracted. */
export function normalizeRows(v: Float32Array, rows: number, dim: number, steps: NormStep[]): Float32Array {
  const out = Float32Array.from(v.subarray(0, rows * dim));
  for (const step of steps) {
    if (step === 'unit') {
      for (let i = 0, o = 0; i < rows; i++, o += dim) {
        let s = 0;
        for (let d = 0; d < dim; d++) s += out[o + d] * out[o + d];
        const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
        for (let d = 0; d < dim; d++) out[o + d] *= inv;
      }
    } else {
      const mean = new Float64Array(dim);
      for (let i = 0, o = 0; i < rows; i++, o += dim) for (let d = 0; d < dim; d++) mean[d] += out[o + d];
      for (let d = 0; d < dim; d++) mean[d] /= rows || 1;
      for (let i = 0, o = 0; i < rows; i++, o += dim) for (let d = 0; d < dim; d++) out[o + d] -= mean[d];
    }
  }
  return out;
}

/** The model with normalised rows (same words, counts and case rule; no subword composer). */
export function normalizedModel(kv: KeyedVectors, steps: NormStep[]): KeyedVectors {
  return new KeyedVectors(kv.words, normalizeRows(kv.vectors, kv.size, kv.dim, steps), kv.dim, kv.counts, kv.lowercase);
}

/** Every row times W (dim × dim, row-major): the mapped rows XW. */
export function applyMap(v: Float32Array, rows: number, dim: number, w: Float64Array): Float32Array {
  const out = new Float32Array(rows * dim);
  const acc = new Float64Array(dim);
  for (let i = 0, o = 0; i < rows; i++, o += dim) {
    acc.fill(0);
    for (let p = 0; p < dim; p++) {
      const x = v[o + p];
      if (x === 0) continue;
      for (let j = 0, r = p * dim; j < dim; j++) acc[j] += x * w[r + j];
    }
    for (let j = 0; j < dim; j++) out[o + j] = acc[j];
  }
  return out;
}

/**
 * Orthogonal Procrustes: the orthogonal W minimising Σ ‖x_i W − y_i‖² over the pairs (source row
 * src[i], target row tgt[i]): W = U Vᵀ for XᵀY = U Σ Vᵀ.
 */
export function procrustes(
  source: Float32Array,
  target: Float32Array,
  dim: number,
  src: ArrayLike<number>,
  tgt: ArrayLike<number>,
): Float64Array {
  const m = new Float64Array(dim * dim);
  for (let n = 0; n < src.length; n++) {
    const xo = src[n] * dim,
      yo = tgt[n] * dim;
    for (let p = 0; p < dim; p++) {
      const x = source[xo + p];
      if (x === 0) continue;
      for (let q = 0, r = p * dim; q < dim; q++) m[r + q] += x * target[yo + q];
    }
  }
  return nearestOrthogonal(m, dim);
}

/** A random orthogonal matrix (QR of a Gaussian matrix, Box–Muller from the seeded generator): the control. */
export function randomOrthogonal(dim: number, seed: number): Float64Array {
  const rng = new Rng(seed, 77);
  const g = new Float64Array(dim * dim);
  for (let i = 0; i < g.length; i++) {
    const u1 = 1 - rng.next(),
      u2 = rng.next();
    g[i] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
  return orthonormalColumns(g, dim);
}

export interface DictionaryPair {
  src: string;
  tgt: string;
}

export interface PairLookup {
  /** Row indices of the usable pairs (both words known), in dictionary order. */
  src: Int32Array;
  tgt: Int32Array;
  pairs: number;
  used: number;
  unknownSource: number;
  unknownTarget: number;
  /** Pairs with both words unknown (also counted in unknownSource and unknownTarget). */
  unknownBoth: number;
  /** Distinct source words with at least one usable pair, and in all. */
  sourceWordsUsed: number;
  sourceWords: number;
}

/**
 * Dictionary pairs → row indices. A pair with a word the model does not know (looked up as queries
 * are: as given, then normalised) is counted and skipped; repeated pairs are kept once.
 */
export function lookupPairs(pairs: DictionaryPair[], source: KeyedVectors, target: KeyedVectors): PairLookup {
  const src: number[] = [],
    tgt: number[] = [];
  let unknownSource = 0,
    unknownTarget = 0,
    unknownBoth = 0;
  const seen = new Set<string>();
  const words = new Set<string>(),
    used = new Set<string>();
  for (const p of pairs) {
    words.add(p.src);
    const i = source.indexOf(p.src),
      j = target.indexOf(p.tgt);
    if (i < 0) unknownSource++;
    if (j < 0) unknownTarget++;
    if (i < 0 && j < 0) unknownBoth++;
    if (i < 0 || j < 0) continue;
    const key = `${i} ${j}`;
    if (seen.has(key)) continue;
    seen.add(key);
    used.add(p.src);
    src.push(i);
    tgt.push(j);
  }
  return {
    src: Int32Array.from(src),
    tgt: Int32Array.from(tgt),
    pairs: pairs.length,
    used: src.length,
    unknownSource,
    unknownTarget,
    unknownBoth,
    sourceWordsUsed: used.size,
    sourceWords: words.size,
  };
}

/** Exit 3 when no pair of the dictionary has both words in the models. */
export function noPairsError(what: string, l: PairLookup): EmbedError {
  return new EmbedError(
    `none of the ${l.pairs} pairs of ${what} has both words in the vocabularies (${l.unknownSource} with an unknown source word, ${l.unknownTarget} with an unknown target word): check the dictionary's direction (source target) and the models`,
    EXIT.unknownWord,
  );
}

/**
 * Mutual nearest neighbours by CSLS (k = knn) among the first `maxRank` words of the mapped source and
 * of the target (MUSE's dictionary build "S2T&T2S" with csls_knn_10 and dico_max_rank): the pairs
 * (s, t) where t is s's best target and s is t's best source. The neighbourhoods r are taken within the
 * same most frequent words. Two passes over the score matrix, one block of rows at a time: the first
 * gathers each row's and each column's k best cosines (r_T of sources, r_S of targets), the second
 * finds each row's and each column's best CSLS.
 */
export async function mutualPairs(
  mapped: KeyedVectors,
  target: KeyedVectors,
  maxRank: number,
  knn = 10,
): Promise<{ src: Int32Array; tgt: Int32Array }> {
  const dim = target.dim;
  const s = unitMatrix(mapped, maxRank);
  const t = unitMatrix(target, maxRank);
  const ns = s.rows,
    nt = t.rows;
  const k = Math.max(1, Math.min(knn, ns, nt));
  const rowBest = new Float32Array(k),
    colBest = new Float32Array(nt * k).fill(-Infinity);
  const rT = new Float32Array(ns);
  const insert = (best: Float32Array, o: number, v: number) => {
    let j = o + k - 1;
    while (j > o && best[j - 1] < v) {
      best[j] = best[j - 1];
      j--;
    }
    best[j] = v;
  };
  await scanScores(s.data, ns, t.data, nt, dim, (block, first, rows) => {
    for (let r = 0; r < rows; r++) {
      rowBest.fill(-Infinity);
      for (let j = 0, o = r * nt; j < nt; j++) {
        const v = block[o + j];
        if (v > rowBest[k - 1]) insert(rowBest, 0, v);
        if (v > colBest[j * k + k - 1]) insert(colBest, j * k, v);
      }
      let sum = 0;
      for (let j = 0; j < k; j++) sum += rowBest[j];
      rT[first + r] = sum / k;
    }
  });
  const rS = new Float32Array(nt);
  for (let j = 0; j < nt; j++) {
    let sum = 0;
    for (let i = 0; i < k; i++) sum += colBest[j * k + i];
    rS[j] = sum / k;
  }
  const s2t = new Int32Array(ns).fill(-1),
    t2s = new Int32Array(nt).fill(-1);
  const colScore = new Float32Array(nt).fill(-Infinity);
  await scanScores(s.data, ns, t.data, nt, dim, (block, first, rows) => {
    for (let r = 0; r < rows; r++) {
      const i = first + r;
      let best = -Infinity,
        arg = -1;
      for (let j = 0, o = r * nt; j < nt; j++) {
        const c2 = 2 * block[o + j];
        const st = c2 - rS[j];
        if (st > best) {
          best = st;
          arg = j;
        }
        const ts = c2 - rT[i];
        if (ts > colScore[j]) {
          colScore[j] = ts;
          t2s[j] = i;
        }
      }
      s2t[i] = arg;
    }
  });
  const src: number[] = [],
    tgt: number[] = [];
  for (let i = 0; i < ns; i++) {
    const j = s2t[i];
    if (j >= 0 && t2s[j] === i) {
      src.push(i);
      tgt.push(j);
    }
  }
  return { src: Int32Array.from(src), tgt: Int32Array.from(tgt) };
}

export type AlignEvent =
  { type: 'procrustes'; round: number; pairs: number } | { type: 'refine'; round: number; rounds: number; pairs: number; seconds: number };

export interface AlignOptions {
  /** Steps applied to both models before anything else (default: unit, centre, unit). */
  normalize?: NormStep[];
  /** Refinement rounds after the seed Procrustes (MUSE: 5; default 0). */
  refine?: number;
  /** Refinement: induce pairs among this many most frequent words of each side (default 15000). */
  refineVocab?: number;
  /** CSLS neighbourhood size (default 10). */
  knn?: number;
  /** Ignore the dictionary's fit and use a random orthogonal map (the control). */
  random?: boolean;
  seed?: number;
  onEvent?: (e: AlignEvent) => void;
}

export interface AlignResult {
  /** The normalised source, mapped onto the normalised target's space. */
  mapped: KeyedVectors;
  /** The normalised target: query the mapped model against this one. */
  target: KeyedVectors;
  /** The map (dim × dim, row-major): mapped = normalised source · W. */
  w: Float64Array;
  seed: PairLookup;
  /** Pairs used by each refinement round. */
  rounds: number[];
  normalize: NormStep[];
}

/** Learns the map from the dictionary (then refines it) and returns the mapped source and the normalised target. */
export async function alignModels(
  source: KeyedVectors,
  target: KeyedVectors,
  dict: DictionaryPair[],
  opts: AlignOptions = {},
): Promise<AlignResult> {
  if (source.dim !== target.dim)
    throw new EmbedError(
      `the models have different dimensions (source ${source.dim}, target ${target.dim}): an orthogonal map needs equal ones`,
    );
  const steps = opts.normalize ?? parseNormalization(DEFAULT_NORMALIZATION);
  const dim = source.dim;
  const seed = lookupPairs(dict, source, target);
  if (seed.used === 0) throw noPairsError('the dictionary', seed);
  const src = normalizedModel(source, steps);
  const tgt = normalizedModel(target, steps);
  let w: Float64Array;
  const rounds: number[] = [];
  if (opts.random) {
    w = randomOrthogonal(dim, opts.seed ?? 1);
  } else {
    w = procrustes(src.vectors, tgt.vectors, dim, seed.src, seed.tgt);
    opts.onEvent?.({ type: 'procrustes', round: 0, pairs: seed.used });
    const n = opts.refine ?? 0;
    for (let r = 1; r <= n; r++) {
      const t0 = performance.now();
      const mapped = new KeyedVectors(src.words, applyMap(src.vectors, src.size, dim, w), dim);
      const induced = await mutualPairs(mapped, tgt, opts.refineVocab ?? 15000, opts.knn ?? 10);
      if (induced.src.length === 0) break;
      w = procrustes(src.vectors, tgt.vectors, dim, induced.src, induced.tgt);
      rounds.push(induced.src.length);
      opts.onEvent?.({ type: 'refine', round: r, rounds: n, pairs: induced.src.length, seconds: (performance.now() - t0) / 1000 });
    }
  }
  const mapped = new KeyedVectors(src.words, applyMap(src.vectors, src.size, dim, w), dim, src.counts, src.lowercase);
  return { mapped, target: tgt, w, seed, rounds, normalize: steps };
}
