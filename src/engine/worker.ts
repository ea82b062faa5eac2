// Worker-thread entry: trains its share of the token cache for every epoch with the kernel named in
// workerData, updating shared weights and its own counters in the control buffer.
import { workerData, parentPort } from 'node:worker_threads';
import { learningRate } from '../train/config.js';
import { forEachSentence } from '../train/token-cache.js';
import { mixSeed } from '../train/rng.js';
import { STAT, STAT_SLOTS, type WorkerInput } from './shared-run.js';
import { createKernelState, trainSentence } from './js-kernel.js';
import type { KernelFactory } from './sentence-kernel.js';

export type { SentenceKernel, KernelFactory } from './sentence-kernel.js';

const kernels: Record<string, () => Promise<KernelFactory>> = {
  js: async () => (input, seed) => {
    const cfg = input.setup.config;
    const s = input.shared;
    const tables = { keepProb: s.keepProb, negTable: s.negTable, codeOffsets: s.codeOffsets, codes: s.codes, points: s.points };
    const st = createKernelState(cfg, seed);
    return {
      train: (ids, from, to, alpha) => trainSentence(cfg, tables, s.input, s.output, st, ids, from, to, alpha),
      counters: () => ({ loss: st.loss, lossCount: st.lossCount, examples: st.examples }),
    };
  },
  wasm: async () => (await import('./wasm-kernel.js')).wasmKernelFactory,
};

/** Lets another module (e.g. the wasm engine) add its kernel without this file importing it eagerly. */
export function registerKernel(name: string, load: () => Promise<KernelFactory>): void {
  kernels[name] = load;
}

async function run(input: WorkerInput): Promise<void> {
  const cfg = input.setup.config;
  const abort = new Int32Array(input.control, 0, 1);
  const stats = new Float64Array(input.control, 8, input.threads * STAT_SLOTS);
  const mine = input.worker * STAT_SLOTS;
  const load = kernels[input.kernel];
  if (!load) throw new Error(`unknown kernel '${input.kernel}'`);
  const kernel = await (await load())(input, mixSeed(cfg.seed, input.worker + 1));
  const tokenCount = input.setup.cache.tokenCount;
  let wordsDone = 0;
  let alpha = cfg.alpha;
  let sinceUpdate = 0;

  const publish = () => {
    const c = kernel.counters();
    stats[mine + STAT.wordsDone] = wordsDone;
    stats[mine + STAT.loss] = c.loss;
    stats[mine + STAT.lossCount] = c.lossCount;
    stats[mine + STAT.examples] = c.examples;
    // Alpha follows the words processed by all workers together, as in word2vec.c.
    let all = 0;
    for (let w = 0; w < input.threads; w++) all += stats[w * STAT_SLOTS + STAT.wordsDone];
    alpha = learningRate(cfg, all, tokenCount);
  };

  for (let epoch = 1; epoch <= cfg.epochs; epoch++) {
    stats[mine + STAT.epoch] = epoch;
    const completed = forEachSentence(input.setup.cache.path, input.range, (ids, from, to) => {
      if (Atomics.load(abort, 0)) return false;
      kernel.train(ids, from, to, alpha);
      wordsDone += to - from;
      sinceUpdate += to - from;
      if (sinceUpdate >= 10000) {
        sinceUpdate = 0;
        publish();
      }
    });
    if (!completed) break;
  }
  publish();
  kernel.finish?.();
}

run(workerData as WorkerInput).then(
  () => process.exit(0),
  (e: Error) => {
    parentPort?.postMessage({ error: e.message });
    process.exit(1);
  },
);
