// The reference engine: the plain TypeScript kernel on worker threads. The only engine that trains
// input words made of several rows (job.inputRows) today.
import { EmbedError } from '../../errors.js';
import type { Engine, EngineHooks, EngineResult } from '../engine.js';
import type { Job } from '../job.js';
import { runOnWorkers, sharedArraysOf, sharedResult } from '../workers/run.js';

export const jsEngine: Engine = {
  name: 'js',
  unsupported: (job) => (job.objective !== 'sentences' ? 'GloVe' : null),
  async train(job: Job, hooks: EngineHooks = {}): Promise<EngineResult> {
    if (job.objective !== 'sentences') throw new EmbedError('the js engine does not train GloVe yet: use --engine wasm');
    const t = job.params.threads;
    const shared = sharedArraysOf(job);
    const run = await runOnWorkers(job, hooks, { kernel: 'js', shared, details: `js, ${t} thread${t === 1 ? '' : 's'}` });
    return sharedResult(job, run, shared);
  },
};
