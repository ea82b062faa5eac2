// The interface between the worker (worker.ts) and the kernels it runs (js/kernel.ts, wasm/kernel.ts):
// its own module, so a kernel does not import the worker that loads it.
import type { WorkerInput } from './run.js';

/** A kernel trains one sentence at a learning rate and keeps its own loss/example counters. */
export interface SentenceKernel {
  train(ids: Int32Array, from: number, to: number, alpha: number): void;
  /** Loss sum, loss count, examples so far. */
  counters(): { loss: number; lossCount: number; examples: number };
  /** The kernel's random state now (handed back for continued training and checkpoints). */
  rngState(): number;
  /** Called once at the end (e.g. to copy weights out of private memory). */
  finish?(): void;
}

/** Makes a worker's kernel; its random state starts at input.rng. */
export type KernelFactory = (input: WorkerInput) => Promise<SentenceKernel> | SentenceKernel;
