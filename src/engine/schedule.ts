// The learning-rate schedule of the sentence objective, shared by every engine and worker.
// Measured against gensim and word2vec.c in README.md ("Learning-rate schedule").

/**
 * linear: alpha falls straight from alpha to minAlpha with the words processed over all epochs (all
 * threads together). The word2vec default, with minAlpha = alpha / 5 (options.ts).
 * word2vec: word2vec.c's exact formula: alpha·(1 − words/(epochs·words per epoch + 1)), never below
 * minAlpha (default alpha·1e-4, so it ends near 0). fastText and item training keep it.
 * gensim: gensim's corpus_file schedule: each worker measures its own words in the epoch against the
 * whole epoch, so within an epoch alpha falls only 1/threads of that epoch's share (a staircase).
 */
export type Schedule = 'linear' | 'word2vec' | 'gensim';

export interface ScheduleParams {
  alpha: number;
  minAlpha: number;
  epochs: number;
  /** Absent: 'word2vec' (jobs and checkpoints from before the option). */
  schedule?: Schedule;
}

/** The learning rate after wordsDone words of all workers together (for 'gensim': as if one worker). */
export function learningRate(p: ScheduleParams, wordsDone: number, wordsPerEpoch: number): number {
  if (p.schedule === 'linear' || p.schedule === 'gensim') return towardsMin(p, wordsDone / (p.epochs * wordsPerEpoch));
  const a = p.alpha * (1 - wordsDone / (p.epochs * wordsPerEpoch + 1));
  return a < p.minAlpha ? p.minAlpha : a;
}

/**
 * The learning rate one worker trains with: 'gensim' follows the worker's own words in its epoch
 * (epoch counts from 1); the others follow all workers' words together, as word2vec.c does.
 */
export function workerLearningRate(
  p: ScheduleParams,
  allWordsDone: number,
  wordsPerEpoch: number,
  epoch: number,
  ownWordsInEpoch: number,
): number {
  if (p.schedule !== 'gensim') return learningRate(p, allWordsDone, wordsPerEpoch);
  return towardsMin(p, (epoch - 1 + ownWordsInEpoch / wordsPerEpoch) / p.epochs);
}

function towardsMin(p: ScheduleParams, progress: number): number {
  const a = p.alpha - (p.alpha - p.minAlpha) * progress;
  return a < p.minAlpha ? p.minAlpha : a;
}
