// Runs a kernel on worker threads over shared memory (Hogwild: no locks, as word2vec.c, fastText and
// gensim do). The main thread only polls counters for progress and raises the abort flag.
import { Worker } from 'node:worker_threads';
import { InterruptedError, EmbedError } from '../../errors.js';
import { mixSeed } from '../../rng.js';
import { learningRate } from '../schedule.js';
import { shardCache } from '../../corpus/token-cache.js';
import type { EngineHooks, EngineResult } from '../engine.js';
import { inputRowCount, type SentenceJob, type SentenceParams, type WorkerPosition } from '../job.js';
import { writeInitialRows } from '../initial-rows.js';
import type { KernelTables } from '../js/kernel.js';

/** Per-worker counters in the control buffer (float64 slots). */
export const STAT = { wordsDone: 0, loss: 1, lossCount: 2, examples: 3, epoch: 4, rng: 5, position: 6, sinceUpdate: 7, alpha: 8 } as const;
export const STAT_SLOTS = 9;

/** The weights and tables every worker sees, in shared memory: the kernel's tables and the weights. */
export interface SharedArrays extends KernelTables {
  input: Float32Array;
  output: Float32Array;
}

/** What each worker receives (structured-cloned; SharedArrayBuffers are shared, not copied). */
export interface WorkerInput {
  kernel: string;
  params: SentenceParams;
  corpus: { path: string; tokenCount: number };
  shared: SharedArrays;
  /** Extra kernel-specific data (e.g. a shared WebAssembly.Memory). */
  extra?: unknown;
  control: SharedArrayBuffer; // Int32 abort flag at 0, pause flag at 4, then float64 stats from byte 8
  worker: number;
  threads: number;
  range: { start: number; end: number };
  /** The worker's initial random state. */
  rng: number;
  /** Where the worker goes on from (job.resume), or null: the start of its range in epoch 1. */
  resume: WorkerPosition | null;
}

export function toShared<T extends Float32Array | Int32Array | Uint8Array>(a: T): T {
  const Ctor = a.constructor as new (b: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  (out as Float32Array).set(a as unknown as Float32Array);
  return out;
}

/** Each worker's initial random state: handed in by the job (resuming), or derived from the seed. */
export function workerSeeds(job: SentenceJob): Uint32Array {
  const { threads, seed } = job.params;
  const given = job.weights.rng;
  if (given && given.length !== threads)
    throw new EmbedError(`the job hands in ${given.length} random states for ${threads} threads: train with --threads ${given.length}`);
  return given ? Uint32Array.from(given) : Uint32Array.from({ length: threads }, (_, w) => mixSeed(seed, w + 1));
}

/** Copies of the job's weights and tables in SharedArrayBuffers (the js engine's memory). */
export function sharedArraysOf(job: SentenceJob): SharedArrays {
  const dim = job.params.dim;
  const input = new Float32Array(new SharedArrayBuffer(inputRowCount(job) * dim * 4));
  writeInitialRows(job.weights.input, input, dim);
  const output = new Float32Array(new SharedArrayBuffer(job.outputRows * dim * 4));
  if (job.weights.output) writeInitialRows(job.weights.output, output, dim, 'output');
  const hf = job.huffman;
  return {
    input,
    output,
    keepProb: toShared(job.keepProb),
    negTable: job.negTable ? toShared(job.negTable) : null,
    codeOffsets: hf ? toShared(hf.codeOffsets) : null,
    codes: hf ? toShared(hf.codes) : null,
    points: hf ? toShared(hf.points) : null,
    inputOffsets: job.inputRows ? toShared(job.inputRows.offsets) : null,
    inputRows: job.inputRows ? toShared(job.inputRows.rows) : null,
    frozen: job.frozen ? toShared(job.frozen) : null,
  };
}

export interface SharedRunOptions {
  kernel: string;
  shared: SharedArrays;
  extra?: unknown;
  details: string;
}

/** Runs the job's epochs on its worker threads; the trained weights are left in opts.shared. */
export async function runOnWorkers(
  job: SentenceJob,
  hooks: EngineHooks,
  opts: SharedRunOptions,
): Promise<Omit<EngineResult, 'input' | 'output'>> {
  const { params, corpus } = job;
  const threads = params.threads;
  const seeds = workerSeeds(job);
  const control = new SharedArrayBuffer(8 + threads * STAT_SLOTS * 8);
  const flags = new Int32Array(control, 0, 2); // [0] abort, [1] pause
  const stats = new Float64Array(control, 8, threads * STAT_SLOTS);
  const ranges = shardCache(corpus, threads);
  if (job.resume && job.resume.length !== threads)
    throw new EmbedError(`the job resumes ${job.resume.length} workers with ${threads} threads: train with --threads ${job.resume.length}`);
  // Every worker's words so far count towards the others' learning rate from the start.
  job.resume?.forEach((r, w) => (stats[w * STAT_SLOTS + STAT.wordsDone] = r.wordsDone));
  const wordsTotal = params.epochs * corpus.tokenCount;

  const sum = (slot: number) => {
    let s = 0;
    for (let w = 0; w < threads; w++) s += stats[w * STAT_SLOTS + slot];
    return s;
  };
  let lastLoss = 0,
    lastCount = 0;
  const report = () => {
    const wordsDone = sum(STAT.wordsDone);
    const loss = sum(STAT.loss),
      count = sum(STAT.lossCount);
    let epoch = Infinity;
    for (let w = 0; w < threads; w++) epoch = Math.min(epoch, stats[w * STAT_SLOTS + STAT.epoch]);
    hooks.onProgress?.({
      wordsDone,
      wordsTotal,
      epoch: Math.max(1, Math.min(params.epochs, epoch)),
      alpha: learningRate(params, wordsDone, corpus.tokenCount),
      loss: count > lastCount ? (loss - lastLoss) / (count - lastCount) : NaN,
    });
    lastLoss = loss;
    lastCount = count;
  };

  const onAbort = () => Atomics.store(flags, 0, 1);
  const onPause = () => Atomics.store(flags, 1, 1);
  hooks.signal?.addEventListener('abort', onAbort);
  hooks.pause?.addEventListener('abort', onPause);
  const timer = setInterval(report, 200);
  const workers: Worker[] = [];
  try {
    await Promise.all(
      ranges.map(
        (range, worker) =>
          new Promise<void>((resolve, reject) => {
            const input: WorkerInput = {
              kernel: opts.kernel,
              params,
              corpus: { path: corpus.path, tokenCount: corpus.tokenCount },
              shared: opts.shared,
              extra: opts.extra,
              control,
              worker,
              threads,
              range,
              rng: seeds[worker],
              resume: job.resume?.[worker] ?? null,
            };
            const w = new Worker(new URL('./worker.js', import.meta.url), { workerData: input });
            workers.push(w);
            w.on('message', (m: { error?: string }) => m.error && reject(new EmbedError(`training worker failed: ${m.error}`)));
            w.on('error', (e) => reject(new EmbedError(`training worker failed: ${e.message}`)));
            w.on('exit', (code) => (code === 0 ? resolve() : reject(new EmbedError(`training worker exited with code ${code}`))));
          }),
      ),
    );
  } catch (e) {
    Atomics.store(flags, 0, 1);
    await Promise.all(workers.map((w) => w.terminate()));
    throw e;
  } finally {
    clearInterval(timer);
    hooks.signal?.removeEventListener('abort', onAbort);
    hooks.pause?.removeEventListener('abort', onPause);
  }
  if (hooks.signal?.aborted || Atomics.load(flags, 0)) throw new InterruptedError();
  report();
  const count = sum(STAT.lossCount);
  return {
    wordsDone: sum(STAT.wordsDone),
    examples: sum(STAT.examples),
    finalLoss: count ? sum(STAT.loss) / count : NaN,
    details: opts.details,
    rng: job.returnState ? Uint32Array.from({ length: threads }, (_, w) => stats[w * STAT_SLOTS + STAT.rng]) : undefined,
    positions: job.returnState ? Array.from({ length: threads }, (_, w) => positionOf(stats, w)) : undefined,
    paused: Array.from({ length: threads }, (_, w) => stats[w * STAT_SLOTS + STAT.epoch]).some((e) => e <= params.epochs),
  };
}

function positionOf(stats: Float64Array, w: number): WorkerPosition {
  const at = (slot: number) => stats[w * STAT_SLOTS + slot];
  return {
    epoch: at(STAT.epoch),
    position: at(STAT.position),
    wordsDone: at(STAT.wordsDone),
    sinceUpdate: at(STAT.sinceUpdate),
    alpha: at(STAT.alpha),
  };
}

/** The result of a shared-memory run: the trained rows copied out of the shared buffers (and, if asked, the output rows). */
export function sharedResult(job: SentenceJob, run: Omit<EngineResult, 'input' | 'output'>, shared: SharedArrays): EngineResult {
  return { ...run, input: shared.input.slice(), output: job.returnState ? shared.output.slice() : undefined };
}
