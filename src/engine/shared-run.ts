// Runs a kernel on worker threads over shared memory (Hogwild: no locks, as word2vec.c, fastText and
// gensim do). The main thread only polls counters for progress and raises the abort flag.
import { Worker } from 'node:worker_threads';
import { InterruptedError, EmbedError } from '../errors.js';
import { learningRate } from '../train/config.js';
import { shardCache } from '../train/token-cache.js';
import type { EngineHooks, EngineResult, EngineSetup } from './engine.js';

/** Per-worker counters in the control buffer (float64 slots). */
export const STAT = { wordsDone: 0, loss: 1, lossCount: 2, examples: 3, epoch: 4 } as const;
export const STAT_SLOTS = 5;

/** What each worker receives (structured-cloned; SharedArrayBuffers are shared, not copied). */
export interface WorkerInput {
  kernel: string;
  setup: Omit<EngineSetup, 'input' | 'outputRows' | 'keepProb' | 'negTable' | 'huffman'>;
  shared: {
    input: Float32Array;
    output: Float32Array;
    keepProb: Float32Array;
    negTable: Int32Array | null;
    codeOffsets: Int32Array | null;
    codes: Uint8Array | null;
    points: Int32Array | null;
  };
  /** Extra kernel-specific data (e.g. a shared WebAssembly.Memory). */
  extra?: unknown;
  control: SharedArrayBuffer; // Int32 abort flag at 0, then float64 stats from byte 8
  worker: number;
  threads: number;
  range: { start: number; end: number };
}

export function toShared<T extends Float32Array | Int32Array | Uint8Array>(a: T): T {
  const Ctor = a.constructor as new (b: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  (out as Float32Array).set(a as unknown as Float32Array);
  return out;
}

export interface SharedRunOptions {
  kernel: string;
  /** Shared views of the weights/tables; default: copies of setup's arrays into SharedArrayBuffers (output: zeros). */
  shared?: WorkerInput['shared'];
  extra?: unknown;
  details: string;
}

export async function runOnWorkers(setup: EngineSetup, hooks: EngineHooks, opts: SharedRunOptions): Promise<EngineResult> {
  const threads = setup.config.threads;
  const shared = opts.shared ?? {
    input: toShared(setup.input),
    output: new Float32Array(new SharedArrayBuffer(setup.outputRows * setup.config.dim * 4)),
    keepProb: toShared(setup.keepProb),
    negTable: setup.negTable ? toShared(setup.negTable) : null,
    codeOffsets: setup.huffman ? toShared(setup.huffman.codeOffsets) : null,
    codes: setup.huffman ? toShared(setup.huffman.codes) : null,
    points: setup.huffman ? toShared(setup.huffman.points) : null,
  };
  const control = new SharedArrayBuffer(8 + threads * STAT_SLOTS * 8);
  const abortFlag = new Int32Array(control, 0, 1);
  const stats = new Float64Array(control, 8, threads * STAT_SLOTS);
  const ranges = shardCache(setup.cache, threads);
  const wordsTotal = setup.config.epochs * setup.cache.tokenCount;
  const { config, vocabSize, cache } = setup;

  const sum = (slot: number) => {
    let s = 0;
    for (let w = 0; w < threads; w++) s += stats[w * STAT_SLOTS + slot];
    return s;
  };
  let lastLoss = 0, lastCount = 0;
  const report = () => {
    const wordsDone = sum(STAT.wordsDone);
    const loss = sum(STAT.loss), count = sum(STAT.lossCount);
    let epoch = Infinity;
    for (let w = 0; w < threads; w++) epoch = Math.min(epoch, stats[w * STAT_SLOTS + STAT.epoch]);
    hooks.onProgress?.({
      wordsDone,
      wordsTotal,
      epoch: Math.max(1, Math.min(config.epochs, epoch)),
      alpha: learningRate(config, wordsDone, cache.tokenCount),
      loss: count > lastCount ? (loss - lastLoss) / (count - lastCount) : NaN,
    });
    lastLoss = loss;
    lastCount = count;
  };

  const onAbort = () => Atomics.store(abortFlag, 0, 1);
  hooks.signal?.addEventListener('abort', onAbort);
  const timer = setInterval(report, 200);
  const workers: Worker[] = [];
  try {
    await Promise.all(
      ranges.map(
        (range, worker) =>
          new Promise<void>((resolve, reject) => {
            const input: WorkerInput = {
              kernel: opts.kernel,
              setup: { config, vocabSize, cache },
              shared,
              extra: opts.extra,
              control,
              worker,
              threads,
              range,
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
    Atomics.store(abortFlag, 0, 1);
    await Promise.all(workers.map((w) => w.terminate()));
    throw e;
  } finally {
    clearInterval(timer);
    hooks.signal?.removeEventListener('abort', onAbort);
  }
  if (hooks.signal?.aborted || Atomics.load(abortFlag, 0)) throw new InterruptedError();
  report();
  if (!opts.shared) setup.input.set(shared.input);
  const count = sum(STAT.lossCount);
  return {
    wordsDone: sum(STAT.wordsDone),
    examples: sum(STAT.examples),
    finalLoss: count ? sum(STAT.loss) / count : NaN,
    details: opts.details,
  };
}
