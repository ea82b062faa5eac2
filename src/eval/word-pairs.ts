// Word-pair similarity evaluation (WordSim-353, SimLex-999, …): "w1 w2 score" lines, tab- or
// space-separated, '#' comments. Spearman and Pearson correlation between the human scores and the
// model's cosines, as gensim's evaluate_word_pairs: pairs with a word outside the first `restrictVocab`
// words are skipped and counted (or scored 0 with dummy4unknown); case-insensitive by default.
import fs from 'node:fs';
import { EmbedError } from '../errors.js';
import type { KeyedVectors } from '../vectors/keyed-vectors.js';
import { evalVocab } from './vocab.js';

export interface WordPair {
  a: string;
  b: string;
  score: number;
  line: number;
}

export function parseWordPairs(text: string): { pairs: WordPair[]; invalidLines: number[] } {
  const pairs: WordPair[] = [];
  const invalidLines: number[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) continue;
    const f = (line.includes('\t') ? line.split('\t') : line.trim().split(/\s+/u)).map((x) => x.trim());
    const score = f.length === 3 && f[2] !== '' ? Number(f[2]) : NaN;
    if (f.length !== 3 || !Number.isFinite(score) || !f[0] || !f[1]) {
      invalidLines.push(i + 1);
      continue;
    }
    pairs.push({ a: f[0], b: f[1], score, line: i + 1 });
  }
  return { pairs, invalidLines };
}

/** Ranks 1..n, ties sharing their average rank (as scipy.stats.rankdata). */
export function ranks(x: number[]): number[] {
  const order = x.map((_, i) => i).sort((i, j) => x[i] - x[j]);
  const r = new Array<number>(x.length);
  for (let s = 0; s < order.length;) {
    let e = s;
    while (e + 1 < order.length && x[order[e + 1]] === x[order[s]]) e++;
    const avg = (s + e) / 2 + 1;
    for (let k = s; k <= e; k++) r[order[k]] = avg;
    s = e + 1;
  }
  return r;
}

export function pearson(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n,
    my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx,
      dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

export function spearman(x: number[], y: number[]): number {
  return pearson(ranks(x), ranks(y));
}

export interface PairsOptions {
  restrictVocab?: number;
  caseInsensitive?: boolean;
  dummy4unknown?: boolean;
  /** Subword models: also score pairs with unknown words, from their composed vectors, apart (as analogies.ts). */
  composeUnknown?: boolean;
}

export interface PairsResult {
  pearson: number;
  spearman: number;
  /** Pairs used in the correlation (with dummy4unknown, including those scored 0). */
  pairs: number;
  /** Pairs with a word out of vocabulary. */
  oov: number;
  /** As gensim: percent of pairs with unknown words. */
  oovRatio: number;
  skipped: string[];
  invalidLines: number[];
  restrictVocab: number;
  caseInsensitive: boolean;
  dummy4unknown: boolean;
  /**
   * With composeUnknown: the correlations over the in-vocabulary pairs and those whose unknown words
   * have composed vectors; `oov`: pairs still without. Null without composeUnknown.
   */
  composed: { pearson: number; spearman: number; pairs: number; oov: number } | null;
}

/** Cosine of two vectors (0 when either is zero). */
function cosine(x: Float32Array, y: Float32Array): number {
  let dot = 0,
    na = 0,
    nb = 0;
  for (let d = 0; d < x.length; d++) {
    dot += x[d] * y[d];
    na += x[d] * x[d];
    nb += y[d] * y[d];
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

export function evaluateWordPairs(
  kv: KeyedVectors,
  parsed: { pairs: WordPair[]; invalidLines: number[] },
  opts: PairsOptions = {},
): PairsResult {
  const caseInsensitive = opts.caseInsensitive ?? true;
  const dummy = opts.dummy4unknown ?? false;
  const compose = opts.composeUnknown ?? false;
  if (compose && !kv.composes)
    throw new EmbedError('--compose-unknown needs a subword model (embed train --method fasttext, or a fastText .bin)');
  // With compose: every pair scored from in-vocabulary rows or composed vectors.
  const cGold: number[] = [],
    cModel: number[] = [];
  const vocab = evalVocab(kv, opts.restrictVocab ?? 300000, caseInsensitive);
  const gold: number[] = [],
    model: number[] = [],
    skipped: string[] = [];
  let oov = 0;
  const { dim, vectors: v } = kv;
  for (const p of parsed.pairs) {
    const ia = vocab.index.get(vocab.key(p.a)),
      ib = vocab.index.get(vocab.key(p.b));
    if (ia === undefined || ib === undefined) {
      oov++;
      skipped.push(`${p.a} ${p.b}`);
      const va = compose ? (ia === undefined ? kv.vectorOrNull(p.a) : kv.row(ia)) : null;
      const vb = compose ? (ib === undefined ? kv.vectorOrNull(p.b) : kv.row(ib)) : null;
      if (va && vb) {
        cGold.push(p.score);
        cModel.push(cosine(va, vb));
      }
      if (dummy) {
        gold.push(p.score);
        model.push(0);
      }
      continue;
    }
    const sim = cosine(v.subarray(ia * dim, (ia + 1) * dim), v.subarray(ib * dim, (ib + 1) * dim));
    gold.push(p.score);
    model.push(sim);
    cGold.push(p.score);
    cModel.push(sim);
  }
  if (gold.length < 2 && (!compose || cGold.length < 2))
    throw new EmbedError(
      `no usable word pairs: ${parsed.pairs.length} pairs read, ${oov} with words outside the model's first ${vocab.limit} words` +
        (parsed.invalidLines.length ? `, ${parsed.invalidLines.length} lines not "word word score"` : ''),
    );
  return {
    pearson: pearson(gold, model),
    spearman: spearman(gold, model),
    pairs: gold.length,
    oov,
    oovRatio: (100 * oov) / (dummy ? gold.length : gold.length + oov),
    skipped,
    invalidLines: parsed.invalidLines,
    restrictVocab: vocab.limit,
    caseInsensitive,
    dummy4unknown: dummy,
    composed: compose
      ? { pearson: pearson(cGold, cModel), spearman: spearman(cGold, cModel), pairs: cGold.length, oov: parsed.pairs.length - cGold.length }
      : null,
  };
}

export function readWordPairsFile(file: string): { pairs: WordPair[]; invalidLines: number[] } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new EmbedError(`cannot read '${file}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const parsed = parseWordPairs(text);
  if (parsed.pairs.length === 0)
    throw new EmbedError(
      `'${file}' has no usable word pairs (expected 'word1<TAB>word2<TAB>score' lines${parsed.invalidLines.length ? `; ${parsed.invalidLines.length} lines did not parse` : ''})`,
    );
  return parsed;
}
