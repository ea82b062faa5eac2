// The learning-rate schedule of the sentence objective, shared by every engine and worker.

/**
 * word2vec.c's linear decay: alpha falls with the words processed over all epochs (all threads
 * together), and never below minAlpha.
 */
export function learningRate(p: { alpha: number; minAlpha: number; epochs: number }, wordsDone: number, wordsPerEpoch: number): number {
  const a = p.alpha * (1 - wordsDone / (p.epochs * wordsPerEpoch + 1));
  return a < p.minAlpha ? p.minAlpha : a;
}
