// Worker-thread entry: trains its share of the token cache for every epoch with the kernel named in
// workerData, updating shared weights and its own counters in the control buffer.
import { workerData, parentPort } from 'node:worker_threads';
import { workerLearningRate } from '../schedule.js';
import { forEachSentence } from '../../corpus/token-cache.js';
import { STAT, STAT_SLOTS, type WorkerInput } from './run.js';
import { createKernelState, trainSentence } from '../js/kernel.js';
import type { KernelFactory } from './kernel.js';

export type { SentenceKernel, KernelFactory } from './kernel.js';

const kernels: Record<string, () => Promise<KernelFactory>> = {
  js: async () => (input) => {
    const p = input.params;
    const s = input.shared;
    const st = createKernelState(p, input.rng);
    return {
      train: (ids, from, to, alpha) => trainSentence(p, s, s.input, s.output, st, ids, from, to, alpha),
      counters: () => ({ loss: st.loss, lossCount: st.lossCount, examples: st.examples }),
      rngState: () => st.rng >>> 0,
    };
  },
  wasm: async () => (await import('../wasm/kernel.js')).wasmKernelFactory,
};

async function run(input: WorkerInput): Promise<void> {
  const p = input.params;
  // Int32 flags: [0] abort, [1] pause; either stops the worker at its next sentence.
  const flags = new Int32Array(input.control, 0, 2);
  const stats = new Float64Array(input.control, 8, input.threads * STAT_SLOTS);
  const mine = input.worker * STAT_SLOTS;
  const load = kernels[input.kernel];
  if (!load) throw new Error(`unknown kernel '${input.kernel}'`);
  const kernel = await (await load())(input);
  const tokenCount = input.corpus.tokenCount;
  const from = input.resume ?? { epoch: 1, position: input.range.start, wordsDone: 0, sinceUpdate: 0, alpha: p.alpha };
  let { wordsDone, alpha, sinceUpdate, position } = from;
  let epoch = from.epoch;
  let trained = false;

  const publish = () => {
    const c = kernel.counters();
    stats[mine + STAT.wordsDone] = wordsDone;
    stats[mine + STAT.loss] = c.loss;
    stats[mine + STAT.lossCount] = c.lossCount;
    stats[mine + STAT.examples] = c.examples;
    // Alpha follows the words processed by all workers together, as in word2vec.c (the gensim
    // schedule follows this worker's place in its epoch: schedule.ts).
    let all = 0;
    for (let w = 0; w < input.threads; w++) all += stats[w * STAT_SLOTS + STAT.wordsDone];
    alpha = workerLearningRate(p, all, tokenCount, epoch, position - input.range.start);
  };

  for (; epoch <= p.epochs; epoch++) {
    stats[mine + STAT.epoch] = epoch;
    const completed = forEachSentence(input.corpus.path, { start: position, end: input.range.end }, (ids, from, to) => {
      // A pause waits for one sentence, so a job always moves on (however short the checkpoint interval).
      if (Atomics.load(flags, 0) || (trained && Atomics.load(flags, 1))) return false;
      trained = true;
      kernel.train(ids, from, to, alpha);
      wordsDone += to - from;
      sinceUpdate += to - from;
      position += to - from + 1; // the sentence and its end marker
      if (sinceUpdate >= 10000) {
        sinceUpdate = 0;
        publish();
      }
    });
    if (!completed) break;
    position = input.range.start;
    stats[mine + STAT.epoch] = epoch + 1;
    // The worker that finishes lastEpoch last pauses the job: the others stop at their next sentence.
    if (epoch === p.lastEpoch && epoch < p.epochs) {
      let all = true;
      for (let w = 0; w < input.threads; w++) if (stats[w * STAT_SLOTS + STAT.epoch] <= epoch) all = false;
      if (all) Atomics.store(flags, 1, 1);
    }
  }
  // Where to go on from, as it stands now: the last publish() below must not change it.
  stats[mine + STAT.epoch] = epoch;
  stats[mine + STAT.position] = position;
  stats[mine + STAT.sinceUpdate] = sinceUpdate;
  stats[mine + STAT.alpha] = alpha;
  publish();
  kernel.finish?.();
  stats[mine + STAT.rng] = kernel.rngState();
}

run(workerData as WorkerInput).then(
  () => process.exit(0),
  (e: Error) => {
    parentPort?.postMessage({ error: e.message });
    process.exit(1);
  },
);
