// The reference engine: the plain TypeScript kernel on worker threads.
import type { Engine, EngineHooks, EngineResult, EngineSetup } from './engine.js';
import { runOnWorkers } from './shared-run.js';

export const jsEngine: Engine = {
  name: 'js',
  train(setup: EngineSetup, hooks: EngineHooks = {}): Promise<EngineResult> {
    const t = setup.config.threads;
    return runOnWorkers(setup, hooks, { kernel: 'js', details: `js, ${t} thread${t === 1 ? '' : 's'}` });
  },
};
