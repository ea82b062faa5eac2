// The reference hot loop in plain TypeScript: word2vec.c's per-pair SGD for skip-gram and CBOW with
// negative sampling or hierarchical softmax. One KernelState per worker thread; the weights are shared.
import type { TrainConfig } from '../train/config.js';

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

export function createKernelState(cfg: TrainConfig, rngSeed: number): KernelState {
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
 * Trains one sentence ids[from..to) at learning rate alpha. Updates `input` and `output` in place,
 * and the loss / example counters in `st`.
 */
export function trainSentence(
  cfg: TrainConfig,
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
  const keep = t.keepProb;
  const sen = st.sen;
  const neu1 = st.neu1;
  const neu1e = st.neu1e;
  const hs = cfg.loss === 'hs';
  const negative = hs ? 0 : cfg.negative;
  const negTable = t.negTable!;
  const negLen = negTable ? negTable.length : 0;
  const codeOffsets = t.codeOffsets!;
  const codes = t.codes!;
  const points = t.points!;
  let rng = st.rng;
  let loss = 0;
  let lossCount = 0;
  let examples = 0;

  // Subsample: drop frequent words with probability 1 - keep[w] (word2vec.c does it while reading).
  let n = 0;
  for (let i = from; i < to; i++) {
    const w = ids[i];
    const k = keep[w];
    if (k < 1) {
      rng ^= rng << 13; rng ^= rng >>> 17; rng ^= rng << 5;
      if (k < (rng >>> 0) / 4294967296) continue;
    }
    sen[n++] = w;
  }

  for (let pos = 0; pos < n; pos++) {
    const word = sen[pos];
    rng ^= rng << 13; rng ^= rng >>> 17; rng ^= rng << 5;
    const b = (rng >>> 0) % window; // dynamic window: effective size window - b
    const lo = Math.max(0, pos - window + b);
    const hi = Math.min(n - 1, pos + window - b);

    if (cfg.arch === 'cbow') {
      neu1.fill(0);
      neu1e.fill(0);
      let cw = 0;
      for (let c = lo; c <= hi; c++) {
        if (c === pos) continue;
        const l = sen[c] * dim;
        for (let d = 0; d < dim; d++) neu1[d] += input[l + d];
        cw++;
      }
      if (cw === 0) continue;
      for (let d = 0; d < dim; d++) neu1[d] /= cw;
      examples++;
      if (hs) {
        for (let k = codeOffsets[word], kEnd = codeOffsets[word + 1]; k < kEnd; k++) {
          const l2 = points[k] * dim;
          let f = 0;
          for (let d = 0; d < dim; d++) f += neu1[d] * output[l2 + d];
          const label = 1 - codes[k];
          loss += negLogSigmoid(label ? f : -f);
          lossCount++;
          if (f <= -MAX_EXP || f >= MAX_EXP) continue;
          const g = (label - SIGMOID_TABLE[((f + MAX_EXP) * (TABLE_SIZE / MAX_EXP / 2)) | 0]) * alpha;
          for (let d = 0; d < dim; d++) neu1e[d] += g * output[l2 + d];
          for (let d = 0; d < dim; d++) output[l2 + d] += g * neu1[d];
        }
      } else {
        for (let k = 0; k <= negative; k++) {
          let target: number, label: number;
          if (k === 0) { target = word; label = 1; }
          else {
            rng ^= rng << 13; rng ^= rng >>> 17; rng ^= rng << 5;
            target = negTable[(rng >>> 0) % negLen];
            if (target === word) continue;
            label = 0;
          }
          const l2 = target * dim;
          let f = 0;
          for (let d = 0; d < dim; d++) f += neu1[d] * output[l2 + d];
          loss += negLogSigmoid(label ? f : -f);
          lossCount++;
          let g: number;
          if (f > MAX_EXP) g = (label - 1) * alpha;
          else if (f < -MAX_EXP) g = label * alpha;
          else g = (label - SIGMOID_TABLE[((f + MAX_EXP) * (TABLE_SIZE / MAX_EXP / 2)) | 0]) * alpha;
          for (let d = 0; d < dim; d++) neu1e[d] += g * output[l2 + d];
          for (let d = 0; d < dim; d++) output[l2 + d] += g * neu1[d];
        }
      }
      for (let c = lo; c <= hi; c++) {
        if (c === pos) continue;
        const l = sen[c] * dim;
        for (let d = 0; d < dim; d++) input[l + d] += neu1e[d];
      }
    } else {
      // Skip-gram: each context word's input vector predicts the centre word.
      for (let c = lo; c <= hi; c++) {
        if (c === pos) continue;
        const l1 = sen[c] * dim;
        neu1e.fill(0);
        examples++;
        if (hs) {
          for (let k = codeOffsets[word], kEnd = codeOffsets[word + 1]; k < kEnd; k++) {
            const l2 = points[k] * dim;
            let f = 0;
            for (let d = 0; d < dim; d++) f += input[l1 + d] * output[l2 + d];
            const label = 1 - codes[k];
            loss += negLogSigmoid(label ? f : -f);
            lossCount++;
            if (f <= -MAX_EXP || f >= MAX_EXP) continue;
            const g = (label - SIGMOID_TABLE[((f + MAX_EXP) * (TABLE_SIZE / MAX_EXP / 2)) | 0]) * alpha;
            for (let d = 0; d < dim; d++) neu1e[d] += g * output[l2 + d];
            for (let d = 0; d < dim; d++) output[l2 + d] += g * input[l1 + d];
          }
        } else {
          for (let k = 0; k <= negative; k++) {
            let target: number, label: number;
            if (k === 0) { target = word; label = 1; }
            else {
              rng ^= rng << 13; rng ^= rng >>> 17; rng ^= rng << 5;
              target = negTable[(rng >>> 0) % negLen];
              if (target === word) continue;
              label = 0;
            }
            const l2 = target * dim;
            let f = 0;
            for (let d = 0; d < dim; d++) f += input[l1 + d] * output[l2 + d];
            loss += negLogSigmoid(label ? f : -f);
            lossCount++;
            let g: number;
            if (f > MAX_EXP) g = (label - 1) * alpha;
            else if (f < -MAX_EXP) g = label * alpha;
            else g = (label - SIGMOID_TABLE[((f + MAX_EXP) * (TABLE_SIZE / MAX_EXP / 2)) | 0]) * alpha;
            for (let d = 0; d < dim; d++) neu1e[d] += g * output[l2 + d];
            for (let d = 0; d < dim; d++) output[l2 + d] += g * input[l1 + d];
          }
        }
        for (let d = 0; d < dim; d++) input[l1 + d] += neu1e[d];
      }
    }
  }
  st.rng = rng;
  st.loss += loss;
  st.lossCount += lossCount;
  st.examples += examples;
}
