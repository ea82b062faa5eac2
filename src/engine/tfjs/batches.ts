// Builds minibatches of training examples for the tfjs engine, in plain JS, from the token cache.
// Subsampling, the dynamic window and the random number stream are exactly those of the js kernel
// (src/engine/js/kernel.ts), so the engines see the same examples; only the updates are batched.
//
// One example is one skip-gram pair (context word → centre word) or one CBOW window (the context
// words → centre word). Each example has T "targets": output rows whose score is trained
//   - negative sampling: T = 1 + negative; column 0 is the centre word (label 1), then negatives (label 0);
//     a negative equal to the centre word is masked out, as word2vec.c skips it;
//   - hierarchical softmax: T = the longest Huffman code; the centre word's inner nodes, label 1 - code,
//     padded with row 0 and mask 0.
import type { SentenceJob } from '../job.js';
import { readSentences } from '../../corpus/token-cache.js';
import { fixedLo, shuffleLongSentence, subsample } from '../js/kernel.js';

export interface Batch {
  /** Examples in this batch (rows used of the arrays below). */
  n: number;
  /** Context slots per example: 1 for skip-gram, 2·window for CBOW. */
  slots: number;
  /** [n × slots] input-matrix rows (padding: row 0 with ctxMask 0). */
  ctx: Int32Array;
  /** [n × slots] 1 for a real context word, 0 for padding (CBOW only; all 1 for skip-gram). */
  ctxMask: Float32Array;
  /** Targets per example. */
  T: number;
  /** [n × T] output-matrix rows. */
  targets: Int32Array;
  /** [n × T] 1 or 0: what σ(score) should be. */
  labels: Float32Array;
  /** [n × T] 1 for a real target, 0 for padding / skipped negatives. */
  mask: Float32Array;
  /** Words of the corpus consumed so far (subsampled words included), as word2vec.c counts. */
  wordsDone: number;
  /** Epoch (1-based) of the last example in the batch. */
  epoch: number;
}

/**
 * Yields batches of up to `batchSize` examples over all epochs. The same Batch object (and arrays) is
 * reused: consume it before asking for the next one.
 */
export function* batches(job: SentenceJob, batchSize: number, rngState: { rng: number }): Generator<Batch> {
  const cfg = job.params;
  const { keepProb: keep, negTable, huffman } = job;
  const cbow = cfg.arch === 'cbow';
  const hs = cfg.loss === 'hs';
  const window = cfg.window;
  const windowType = cfg.windowType ?? 'dynamic';
  const slots = cbow ? 2 * window : 1;
  const T = hs ? Math.max(1, huffman!.maxCodeLength) : 1 + cfg.negative;
  const negLen = negTable ? negTable.length : 0;
  const b: Batch = {
    n: 0,
    slots,
    ctx: new Int32Array(batchSize * slots),
    ctxMask: new Float32Array(batchSize * slots),
    T,
    targets: new Int32Array(batchSize * T),
    labels: new Float32Array(batchSize * T),
    mask: new Float32Array(batchSize * T),
    wordsDone: 0,
    epoch: 1,
  };
  const sen = new Int32Array(cfg.maxSentenceLength);
  let rng = rngState.rng; // xorshift32, as the js kernel

  // Fills the targets of example row i for centre word `word`.
  const addTargets = (i: number, word: number) => {
    const o = i * T;
    if (hs) {
      const start = huffman!.codeOffsets[word],
        len = huffman!.codeOffsets[word + 1] - start;
      for (let k = 0; k < T; k++) {
        const real = k < len;
        b.targets[o + k] = real ? huffman!.points[start + k] : 0;
        b.labels[o + k] = real ? 1 - huffman!.codes[start + k] : 0;
        b.mask[o + k] = real ? 1 : 0;
      }
    } else {
      b.targets[o] = word;
      b.labels[o] = 1;
      b.mask[o] = 1;
      for (let k = 1; k < T; k++) {
        rng ^= rng << 13;
        rng ^= rng >>> 17;
        rng ^= rng << 5;
        const t = negTable![(rng >>> 0) % negLen];
        b.targets[o + k] = t;
        b.labels[o + k] = 0;
        b.mask[o + k] = t === word ? 0 : 1;
      }
    }
  };

  for (let epoch = 1; epoch <= cfg.epochs; epoch++) {
    b.epoch = epoch;
    for (const ids of readSentences(job.corpus.path)) {
      // Subsample with the js kernel's own function and random stream.
      const state = { rng };
      const n = subsample(ids, 0, ids.length, keep, sen, state);
      if (windowType === 'sentence') shuffleLongSentence(sen, n, window, state);
      rng = state.rng;
      b.wordsDone += ids.length;
      for (let pos = 0; pos < n; pos++) {
        const word = sen[pos];
        let lo: number, hi: number;
        if (windowType === 'dynamic') {
          rng ^= rng << 13;
          rng ^= rng >>> 17;
          rng ^= rng << 5;
          const r = (rng >>> 0) % window; // dynamic window: effective size window - r
          lo = Math.max(0, pos - window + r);
          hi = Math.min(n - 1, pos + window - r);
        } else {
          lo = fixedLo(windowType, window, pos, n);
          hi = Math.min(n - 1, windowType === 'fixed' ? pos + window : lo + 2 * window);
        }
        if (cbow) {
          if (hi === lo) continue; // no context words
          const o = b.n * slots;
          let s = 0;
          for (let c = lo; c <= hi; c++) {
            if (c === pos) continue;
            b.ctx[o + s] = sen[c];
            b.ctxMask[o + s] = 1;
            s++;
          }
          for (; s < slots; s++) {
            b.ctx[o + s] = 0;
            b.ctxMask[o + s] = 0;
          }
          addTargets(b.n, word);
          if (++b.n === batchSize) {
            yield b;
            b.n = 0;
          }
        } else {
          for (let c = lo; c <= hi; c++) {
            if (c === pos) continue;
            b.ctx[b.n] = sen[c];
            b.ctxMask[b.n] = 1;
            addTargets(b.n, word);
            if (++b.n === batchSize) {
              yield b;
              b.n = 0;
            }
          }
        }
      }
    }
  }
  rngState.rng = rng;
  if (b.n > 0) yield b;
}
