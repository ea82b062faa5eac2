// Initial weights of a job, written straight into the memory an engine trains in (so a big model is
// not allocated twice before training starts).
import { EmbedError } from '../errors.js';
import { Rng } from '../rng.js';
import type { InitialRows } from './job.js';

/**
 * Uniform in [-1/dim, 1/dim), gensim's range (word2vec.c's is half as wide): measured better analogy
 * accuracy in every mode (README, "Speed and quality").
 */
export function fillUniform(out: Float32Array, dim: number, seed: number): void {
  const rng = new Rng(seed, 0x5eed);
  for (let i = 0; i < out.length; i++) out[i] = ((rng.next() - 0.5) * 2) / dim;
}

/** Fills `out` from the job's initial rows; given rows must have exactly out's size. */
export function writeInitialRows(init: InitialRows, out: Float32Array, dim: number, what = 'input'): void {
  if (init instanceof Float32Array) {
    if (init.length !== out.length)
      throw new EmbedError(
        `the job's initial ${what} weights have ${init.length} values, the model needs ${out.length} (${out.length / dim} rows × ${dim})`,
      );
    out.set(init);
  } else fillUniform(out, dim, init.uniformSeed);
}
