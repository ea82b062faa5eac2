// The TensorFlow.js engine: the same word2vec models (skip-gram / CBOW × negative sampling /
// hierarchical softmax) as the js kernel, as batched tensor operations on whichever backend
// src/tensor/backend.ts picks (native TensorFlow via tfjs-node(-gpu) where it installs, else wasm, else cpu).
//
// Per minibatch of B examples (built in JS by batches.ts) with T targets each:
//   h    = input rows of the context (CBOW: the mean of the context rows)          [B, D]
//   o    = output rows of the targets                                               [B, T, D]
//   f    = o · h (batched matmul), g = (label − σ(f)) · alpha · mask                 [B, T]
//   Δout = g ⊗ h scattered onto the target rows; Δin = Σ_t g·o (neu1e) scattered onto the context rows
// Gradients are written by hand (they are one line each); no autodiff. The updates are summed per
// row (scatterND adds duplicate indices), i.e. the sum of word2vec's per-pair SGD steps at rate alpha,
// not an average. Within a batch every example sees the weights from before the batch (stale), so a
// batch is a trade-off: bigger batches amortise the per-batch cost (below) but apply staler, larger
// summed steps to frequent rows. Past some size the summed stale steps on frequent rows overshoot and
// it stops learning, while the speed-up from bigger batches levels off. Hierarchical softmax degrades
// sooner (every example updates the nodes near the root). Measured: bench/MEASUREMENTS.md,
// "tfjs batch size". Defaults: src/engine/tfjs/defaults.ts.
//
// Why it is slow on cpu/wasm: tfjs tensors are immutable, so writing rows back into a tf.Variable costs a
// pass over the whole [V, D] matrix per batch (scatterND builds a dense update, add, assign). tfjs 4.22
// on wasm has ScatterNd, TensorScatterUpdate and SparseSegmentSum but no UnsortedSegmentSum;
// on cpu UnsortedSegmentSum exists but is very slow. A dense scatterND + add measured as fast as or
// faster than unique rows + sparseSegmentSum + tensorScatterUpdate (bench/MEASUREMENTS.md,
// "tfjs row updates"), and it is one code path for every backend, so we use it.
import type * as TF from '@tensorflow/tfjs-core';
import { EmbedError, InterruptedError } from '../../errors.js';
import { learningRate } from '../schedule.js';
import { getBackend, type TensorBackend } from '../../tensor/backend.js';
import type { Engine, EngineHooks, EngineResult, EngineSettings } from '../engine.js';
import type { Job, SentenceJob, SentenceParams } from '../job.js';
import { writeInitialRows } from '../initial-rows.js';
import { batches, type Batch } from './batches.js';

import { defaultTfjsBatch } from './defaults.js';

const MAX_EXP = 6; // word2vec.c: hierarchical softmax skips nodes with |f| >= 6

function describe(b: TensorBackend, batchSize: number): string {
  return `tfjs on ${b.name} (${b.provider}), batch ${batchSize}, 1 thread`;
}

/**
 * Two ops have very different costs per backend in tfjs 4.22: gathering rows is much faster with gatherND
 * than with gather on wasm, while on cpu gather is the faster one; an outer product [n,T,1]·[n,1,D] is fast
 * as a broadcast multiply on wasm but slow on cpu, where a batched matMul is fast. Native TensorFlow is
 * fast either way. (Measured: bench/MEASUREMENTS.md, "tfjs ops per backend".)
 */
interface Ops {
  rows(tf: typeof TF, m: TF.Tensor, ids: TF.Tensor1D): TF.Tensor2D;
  outer(tf: typeof TF, a: TF.Tensor3D, b: TF.Tensor3D): TF.Tensor3D;
}
function opsFor(backend: string): Ops {
  return {
    rows:
      backend === 'wasm'
        ? (tf, m, ids) => tf.gatherND(m, tf.reshape(ids, [ids.shape[0], 1])) as TF.Tensor2D
        : (tf, m, ids) => tf.gather(m, ids) as TF.Tensor2D,
    outer: backend === 'cpu' ? (tf, a, b) => tf.matMul(a, b) : (tf, a, b) => tf.mul(a, b),
  };
}

/** One training step on a batch; returns the summed loss and the number of scored targets, as tensors. */
function step(
  tf: typeof TF,
  cfg: SentenceParams,
  input: TF.Variable,
  output: TF.Variable,
  b: Batch,
  alpha: number,
  ops: Ops,
): { loss: TF.Scalar; count: TF.Scalar } {
  return tf.tidy(() => {
    const { n, slots, T } = b;
    const D = cfg.dim;
    const ctx = tf.tensor1d(b.ctx.subarray(0, n * slots), 'int32');
    const targets = tf.tensor1d(b.targets.subarray(0, n * T), 'int32');
    const labels = tf.tensor2d(b.labels.subarray(0, n * T), [n, T]);
    let mask: TF.Tensor = tf.tensor2d(b.mask.subarray(0, n * T), [n, T]);

    // h: [n, D]
    let h: TF.Tensor2D;
    let ctxMask: TF.Tensor3D | null = null;
    if (slots === 1) h = ops.rows(tf, input, ctx);
    else {
      // Mean over the real context words: [n,1,slots] · [n,slots,D], divided by the count.
      ctxMask = tf.tensor3d(b.ctxMask.subarray(0, n * slots), [n, slots, 1]);
      const rows = tf.reshape(ops.rows(tf, input, ctx), [n, slots, D]);
      const sum = tf.reshape(tf.matMul(tf.reshape(ctxMask, [n, 1, slots]), rows), [n, D]);
      h = tf.div(sum, tf.reshape(tf.sum(ctxMask, 1), [n, 1])) as TF.Tensor2D;
    }
    const o = tf.reshape(ops.rows(tf, output, targets), [n, T, D]) as TF.Tensor3D;
    const f = tf.reshape(tf.matMul(o, tf.reshape(h, [n, D, 1])), [n, T]); // scores
    if (cfg.loss === 'hs') mask = tf.mul(mask, tf.cast(tf.less(tf.abs(f), MAX_EXP), 'float32'));
    // −log σ(±f) = softplus(∓f): the loss word2vec minimises, for the progress display.
    const sign = tf.sub(tf.mul(labels, 2), 1);
    const loss = tf.sum(tf.mul(tf.softplus(tf.neg(tf.mul(sign, f))), mask)) as TF.Scalar;
    const count = tf.sum(mask) as TF.Scalar;

    const g = tf.mul(tf.mul(tf.sub(labels, tf.sigmoid(f)), mask), alpha); // [n, T]
    const neu1e = tf.reshape(tf.matMul(tf.reshape(g, [n, 1, T]), o), [n, D]); // Σ_t g·o, from the old output rows
    const dOut = ops.outer(tf, tf.reshape(g, [n, T, 1]), tf.reshape(h, [n, 1, D])); // [n, T, D]
    const outRows = output.shape[0];
    output.assign(tf.add(output, tf.scatterND(tf.reshape(targets, [n * T, 1]), tf.reshape(dOut, [n * T, D]), [outRows, D])));
    // word2vec adds neu1e to every context row (CBOW: not divided by the window size).
    const dIn = ctxMask ? tf.reshape(ops.outer(tf, ctxMask, tf.reshape(neu1e, [n, 1, D])), [n * slots, D]) : neu1e;
    input.assign(tf.add(input, tf.scatterND(tf.reshape(ctx, [n * slots, 1]), dIn, [input.shape[0], D])));
    return { loss: tf.keep(loss), count: tf.keep(count) };
  });
}

/** The random state the batches start from: handed in by the job, or derived from the seed. */
function initialRng(job: SentenceJob): number {
  const given = job.weights.rng;
  if (given && given.length !== 1) throw new EmbedError(`the job hands in ${given.length} random states; the tfjs engine runs one stream`);
  return given ? given[0] | 0 : (job.params.seed * 2654435761 + 1) | 0 || 0x6d2b79f5;
}

export function createTfjsEngine(settings: EngineSettings): Engine {
  const batchSizeOf = (p: SentenceParams) => settings.batchSize || defaultTfjsBatch(p.arch, p.loss);
  const engine: Engine = {
    name: 'tfjs',
    unsupported: (job) =>
      job.objective !== 'sentences'
        ? 'GloVe'
        : job.inputRows
          ? 'input words made of several rows (subword models)'
          : job.frozen
            ? 'frozen rows (--freeze)'
            : job.resume || job.params.lastEpoch !== job.params.epochs
              ? 'part of a run (checkpoints and --resume)'
              : null,
    /** Resolves the backend early so the progress header can name it. */
    async describe(params: SentenceParams) {
      const b = await getBackend(settings.backend);
      return { details: describe(b, batchSizeOf(params)), notes: [...b.notes] };
    },
    async train(job: Job, hooks: EngineHooks = {}): Promise<EngineResult> {
      const why = engine.unsupported(job);
      if (why || job.objective !== 'sentences')
        throw new EmbedError(`the tfjs engine does not train ${why} yet: use --engine ${why === 'GloVe' ? 'wasm' : 'js'}`);
      const cfg = job.params;
      const backend = await getBackend(settings.backend);
      const tf = backend.tf;
      const ops = opsFor(backend.name);
      const batchSize = batchSizeOf(cfg);
      const V = job.vocabSize;
      const D = cfg.dim;
      const outRows = job.outputRows;
      const wordsTotal = cfg.epochs * job.corpus.tokenCount;
      const init = new Float32Array(V * D);
      writeInitialRows(job.weights.input, init, D);
      const input = tf.variable(tf.tensor2d(init, [V, D]), false, undefined, 'float32');
      let outInit: Float32Array | null = null;
      if (job.weights.output) writeInitialRows(job.weights.output, (outInit = new Float32Array(outRows * D)), D, 'output');
      const output = tf.variable(outInit ? tf.tensor2d(outInit, [outRows, D]) : tf.zeros([outRows, D]), false, undefined, 'float32');
      const rngState = { rng: initialRng(job) };
      let wordsDone = 0,
        epoch = 1,
        alpha = cfg.alpha;
      let examples = 0,
        lossSum = 0,
        lossCount = 0,
        lastLoss = 0,
        lastCount = 0;
      const report = () => {
        hooks.onProgress?.({
          wordsDone,
          wordsTotal,
          epoch,
          alpha,
          loss: lossCount > lastCount ? (lossSum - lastLoss) / (lossCount - lastCount) : NaN,
        });
        lastLoss = lossSum;
        lastCount = lossCount;
      };
      let trained: Float32Array;
      let trainedOutput: Float32Array | undefined;
      try {
        let lastReport = Date.now();
        for (const b of batches(job, batchSize, rngState)) {
          // The learning rate is fixed within a batch, from the words done when the batch starts.
          alpha = learningRate(cfg, wordsDone, job.corpus.tokenCount);
          const { loss, count } = step(tf, cfg, input, output, b, alpha, ops);
          // Reading two scalars also waits for the batch on asynchronous backends (native GPU).
          const l = (await loss.data())[0],
            c = (await count.data())[0];
          loss.dispose();
          count.dispose();
          if (!Number.isFinite(l)) throw new EmbedError('training diverged (loss is NaN or infinite): lower --alpha and train again');
          lossSum += l;
          lossCount += c;
          examples += b.n;
          wordsDone = b.wordsDone;
          epoch = b.epoch;
          // Let timers and the abort signal through (the ops above are synchronous on cpu and wasm).
          await new Promise((r) => setImmediate(r));
          if (hooks.signal?.aborted) throw new InterruptedError();
          if (Date.now() - lastReport >= 200) {
            lastReport = Date.now();
            report();
          }
        }
        wordsDone = wordsTotal;
        report();
        trained = (await input.data()) as Float32Array;
        if (job.returnState) trainedOutput = (await output.data()) as Float32Array;
      } finally {
        input.dispose();
        output.dispose();
      }
      return {
        wordsDone,
        examples,
        finalLoss: lossCount ? lossSum / lossCount : NaN,
        details: describe(backend, batchSize),
        input: trained,
        output: trainedOutput,
        rng: job.returnState ? Uint32Array.of(rngState.rng >>> 0) : undefined,
      };
    },
  };
  return engine;
}
