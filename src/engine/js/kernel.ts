// The reference hot loop in plain TypeScript: word2vec.c's per-pair SGD for skip-gram and CBOW with
// negative sampling or hierarchical softmax. One KernelState per worker thread; the weights are shared.
import type { SentenceParams, WindowType } from '../job.js';

export const MAX_EXP = 6;
const TABLE_SIZE = 1000;

/** σ(x) sampled on [-MAX_EXP, MAX_EXP], as word2vec.c's expTable. */
export const SIGMOID_TABLE = (() => {
  const t = new Float32Array(TABLE_SIZE);
  for (let i = 0; i < TABLE_SIZE; i++) {
    const e = Math.exp(((i / TABLE_SIZE) * 2 - 1) * MAX_EXP);
    t[i] = e / (e + 1);
  }
  return t;
})();

/** -log σ(x) on the same grid, for the reported loss. */
const NEG_LOG_SIGMOID_TABLE = (() => {
  const t = new Float32Array(TABLE_SIZE + 1);
  for (let i = 0; i <= TABLE_SIZE; i++) {
    const x = ((i / TABLE_SIZE) * 2 - 1) * MAX_EXP;
    t[i] = Math.log1p(Math.exp(-x));
  }
  return t;
})();

function negLogSigmoid(x: number): number {
  if (x >= MAX_EXP) return 0;
  if (x <= -MAX_EXP) return -x;
  return NEG_LOG_SIGMOID_TABLE[((x + MAX_EXP) * (TABLE_SIZE / MAX_EXP / 2)) | 0];
}

export interface KernelTables {
  keepProb: Float32Array;
  negTable: Int32Array | null;
  codeOffsets: Int32Array | null;
  codes: Uint8Array | null;
  points: Int32Array | null;
  /** Input rows per word (job.ts, InputRows), or null: word w is input row w. */
  inputOffsets: Int32Array | null;
  inputRows: Int32Array | null;
  /** Per word: 1 = its input row is frozen (--freeze), never updated; null: none (job.ts, frozen). */
  frozen?: Uint8Array | null;
}

export interface KernelState {
  rng: number; // xorshift32 state
  sen: Int32Array; // the subsampled sentence
  neu1: Float32Array;
  neu1e: Float32Array;
  loss: number;
  lossCount: number;
  examples: number;
}

export function createKernelState(cfg: SentenceParams, rngSeed: number): KernelState {
  return {
    rng: rngSeed | 0 || 0x6d2b79f5,
    sen: new Int32Array(cfg.maxSentenceLength),
    neu1: new Float32Array(cfg.dim),
    neu1e: new Float32Array(cfg.dim),
    loss: 0,
    lossCount: 0,
    examples: 0,
  };
}

/**
 * Subsampling: copies ids[from..to) into `out`, dropping each word w with probability 1 - keep[w]
 * (word2vec.c does it while reading). Draws from and advances state.rng (xorshift32). Returns the count kept.
 */
export function subsample(ids: Int32Array, from: number, to: number, keep: Float32Array, out: Int32Array, state: { rng: number }): number {
  let rng = state.rng;
  let n = 0;
  for (let i = from; i < to; i++) {
    const w = ids[i];
    const k = keep[w];
    if (k < 1) {
      rng ^= rng << 13;
      rng ^= rng >>> 17;
      rng ^= rng << 5;
      if (k < (rng >>> 0) / 4294967296) continue;
    }
    out[n++] = w;
  }
  state.rng = rng;
  return n;
}

/** Dot product with four accumulators (lets V8 overlap the multiply-adds). */
function dot(a: Float32Array, ao: number, b: Float32Array, bo: number, dim: number): number {
  let f0 = 0,
    f1 = 0,
    f2 = 0,
    f3 = 0,
    d = 0;
  for (; d + 3 < dim; d += 4) {
    f0 += a[ao + d] * b[bo + d];
    f1 += a[ao + d + 1] * b[bo + d + 1];
    f2 += a[ao + d + 2] * b[bo + d + 2];
    f3 += a[ao + d + 3] * b[bo + d + 3];
  }
  for (; d < dim; d++) f0 += a[ao + d] * b[bo + d];
  return f0 + f1 + (f2 + f3);
}

/** One output row's SGD step, fused: neu1e += g·out, then out += g·hidden (reads each out value once). */
function step(g: number, output: Float32Array, oo: number, hidden: Float32Array, ho: number, neu1e: Float32Array, dim: number): void {
  for (let d = 0; d < dim; d++) {
    const o = output[oo + d];
    neu1e[d] += g * o;
    output[oo + d] = o + g * hidden[ho + d];
  }
}

/**
 * Predicts `word` from the hidden vector hidden[ho..ho+dim) (a context word's input row for
 * skip-gram, the context mean for CBOW): updates the output rows and accumulates the hidden vector's
 * gradient in st.neu1e (cleared here).
 */
function predict(
  cfg: SentenceParams,
  t: KernelTables,
  output: Float32Array,
  st: KernelState,
  hidden: Float32Array,
  ho: number,
  word: number,
  alpha: number,
): void {
  const dim = cfg.dim;
  const neu1e = st.neu1e;
  neu1e.fill(0);
  st.examples++;
  if (cfg.loss === 'hs') {
    const codes = t.codes!,
      points = t.points!,
      offsets = t.codeOffsets!;
    for (let k = offsets[word], end = offsets[word + 1]; k < end; k++) {
      const oo = points[k] * dim;
      const f = dot(hidden, ho, output, oo, dim);
      const label = 1 - codes[k];
      st.loss += negLogSigmoid(label ? f : -f);
      st.lossCount++;
      if (f <= -MAX_EXP || f >= MAX_EXP) continue; // word2vec.c skips saturated nodes
      step((label - SIGMOID_TABLE[((f + MAX_EXP) * (TABLE_SIZE / MAX_EXP / 2)) | 0]) * alpha, output, oo, hidden, ho, neu1e, dim);
    }
    return;
  }
  const negTable = t.negTable!;
  const negLen = negTable.length;
  let rng = st.rng;
  for (let k = 0; k <= cfg.negative; k++) {
    let target = word;
    let label = 1;
    if (k > 0) {
      rng ^= rng << 13;
      rng ^= rng >>> 17;
      rng ^= rng << 5;
      target = negTable[(rng >>> 0) % negLen];
      if (target === word) continue;
      label = 0;
    }
    const oo = target * dim;
    const f = dot(hidden, ho, output, oo, dim);
    st.loss += negLogSigmoid(label ? f : -f);
    st.lossCount++;
    let g: number;
    if (f > MAX_EXP) g = (label - 1) * alpha;
    else if (f < -MAX_EXP) g = label * alpha;
    else g = (label - SIGMOID_TABLE[((f + MAX_EXP) * (TABLE_SIZE / MAX_EXP / 2)) | 0]) * alpha;
    step(g, output, oo, hidden, ho, neu1e, dim);
  }
  st.rng = rng;
}

/**
 * Trains one sentence ids[from..to) at learning rate alpha. Updates `input` and `output` in place,
 * and the loss / example counters in `st`.
 */
export function trainSentence(
  cfg: SentenceParams,
  t: KernelTables,
  input: Float32Array,
  output: Float32Array,
  st: KernelState,
  ids: Int32Array,
  from: number,
  to: number,
  alpha: number,
): void {
  const dim = cfg.dim;
  const window = cfg.window;
  const { sen, neu1, neu1e } = st;
  const cbow = cfg.arch === 'cbow';
  const frozen = t.frozen ?? null;

  const n = subsample(ids, from, to, t.keepProb, sen, st);
  const windowType = cfg.windowType ?? 'dynamic';
  if (windowType === 'sentence') shuffleLongSentence(sen, n, window, st);
  if (t.inputOffsets) {
    trainRowLists(cfg, t, input, output, st, n, alpha, windowType);
    return;
  }
  let rng = st.rng;

  for (let pos = 0; pos < n; pos++) {
    const word = sen[pos];
    let lo: number, hi: number;
    if (windowType === 'dynamic') {
      rng ^= rng << 13;
      rng ^= rng >>> 17;
      rng ^= rng << 5;
      const b = (rng >>> 0) % window; // dynamic window: effective size window - b
      st.rng = rng;
      lo = Math.max(0, pos - window + b);
      hi = Math.min(n - 1, pos + window - b);
    } else {
      lo = fixedLo(windowType, window, pos, n);
      hi = Math.min(n - 1, windowType === 'fixed' ? pos + window : lo + 2 * window);
    }
    if (cbow) {
      // CBOW: the mean of the context rows predicts the centre word; each context row gets the gradient.
      neu1.fill(0);
      let cw = 0;
      for (let c = lo; c <= hi; c++) {
        if (c === pos) continue;
        const l = sen[c] * dim;
        for (let d = 0; d < dim; d++) neu1[d] += input[l + d];
        cw++;
      }
      if (cw > 0) {
        for (let d = 0; d < dim; d++) neu1[d] /= cw;
        predict(cfg, t, output, st, neu1, 0, word, alpha);
        for (let c = lo; c <= hi; c++) {
          if (c === pos || (frozen && frozen[sen[c]])) continue;
          const l = sen[c] * dim;
          for (let d = 0; d < dim; d++) input[l + d] += neu1e[d];
        }
      }
    } else {
      // Skip-gram: each context word's input row predicts the centre word (word2vec.c's pairing).
      for (let c = lo; c <= hi; c++) {
        if (c === pos) continue;
        const l = sen[c] * dim;
        predict(cfg, t, output, st, input, l, word, alpha);
        if (frozen && frozen[sen[c]]) continue;
        for (let d = 0; d < dim; d++) input[l + d] += neu1e[d];
      }
    }
    rng = st.rng;
  }
  st.rng = rng;
}

/**
 * The first context position of a window that draws nothing: 'fixed', pos - window; 'sentence', the
 * start of the 2·window+1 positions around pos, moved inside the sentence at its ends (so every word of a
 * long sentence gets 2·window partners; a sentence of at most 2·window+1 words is all context). The last
 * position is min(n - 1, pos + window) for 'fixed', min(n - 1, lo + 2·window) for 'sentence'.
 */
export function fixedLo(windowType: WindowType, window: number, pos: number, n: number): number {
  const lo = Math.max(0, pos - window);
  return windowType === 'fixed' ? lo : Math.min(lo, Math.max(0, n - 1 - 2 * window));
}

/**
 * --window-type sentence: a sentence longer than 2·window+1 is shuffled in place (Fisher-Yates, from
 * st.rng), so that the 2·window neighbours of a word (fixedLo) are a uniform random sample of the
 * others, without replacement: item2vec's whole-basket context at a linear cost. Shorter ones are
 * left alone (all their words are context anyway) and draw nothing.
 */
export function shuffleLongSentence(sen: Int32Array, n: number, window: number, st: { rng: number }): void {
  if (n <= 2 * window + 1) return;
  let rng = st.rng;
  for (let i = n - 1; i > 0; i--) {
    rng ^= rng << 13;
    rng ^= rng >>> 17;
    rng ^= rng << 5;
    const j = (rng >>> 0) % (i + 1);
    const w = sen[i];
    sen[i] = sen[j];
    sen[j] = w;
  }
  st.rng = rng;
}

/** The window around pos: [lo, hi]; 'dynamic' draws its shrink from st.rng (word2vec.c's b). */
function windowAt(st: KernelState, window: number, pos: number, n: number, windowType: WindowType): { lo: number; hi: number } {
  if (windowType !== 'dynamic') {
    const lo = fixedLo(windowType, window, pos, n);
    return { lo, hi: Math.min(n - 1, windowType === 'fixed' ? pos + window : lo + 2 * window) };
  }
  let rng = st.rng;
  rng ^= rng << 13;
  rng ^= rng >>> 17;
  rng ^= rng << 5;
  st.rng = rng;
  const b = (rng >>> 0) % window;
  return { lo: Math.max(0, pos - window + b), hi: Math.min(n - 1, pos + window - b) };
}

/**
 * Input words made of several rows (fastText: the word's row and its n-gram rows), on the subsampled
 * sentence st.sen[0..n). The hidden vector is the mean of the rows (CBOW: of all rows of all context
 * words, as fastText), and each row receives the whole gradient, as in fastText's Model::update.
 */
function trainRowLists(
  cfg: SentenceParams,
  t: KernelTables,
  input: Float32Array,
  output: Float32Array,
  st: KernelState,
  n: number,
  alpha: number,
  windowType: WindowType,
): void {
  const { dim, window } = cfg;
  const offsets = t.inputOffsets!,
    rows = t.inputRows!;
  const { sen, neu1, neu1e } = st;
  const addRows = (word: number) => {
    for (let k = offsets[word]; k < offsets[word + 1]; k++) {
      const l = rows[k] * dim;
      for (let d = 0; d < dim; d++) neu1[d] += input[l + d];
    }
    return offsets[word + 1] - offsets[word];
  };
  const updateRows = (word: number) => {
    for (let k = offsets[word]; k < offsets[word + 1]; k++) {
      const l = rows[k] * dim;
      for (let d = 0; d < dim; d++) input[l + d] += neu1e[d];
    }
  };
  for (let pos = 0; pos < n; pos++) {
    const word = sen[pos];
    const { lo, hi } = windowAt(st, window, pos, n, windowType);
    if (cfg.arch === 'cbow') {
      neu1.fill(0);
      let count = 0;
      for (let c = lo; c <= hi; c++) if (c !== pos) count += addRows(sen[c]);
      if (count === 0) continue;
      for (let d = 0; d < dim; d++) neu1[d] /= count;
      predict(cfg, t, output, st, neu1, 0, word, alpha);
      for (let c = lo; c <= hi; c++) if (c !== pos) updateRows(sen[c]);
    } else {
      for (let c = lo; c <= hi; c++) {
        if (c === pos) continue;
        neu1.fill(0);
        const count = addRows(sen[c]);
        if (count === 0) continue;
        for (let d = 0; d < dim; d++) neu1[d] /= count;
        predict(cfg, t, output, st, neu1, 0, word, alpha);
        updateRows(sen[c]);
      }
    }
  }
}
