// Kept apart from tfjs.ts so the CLI can show the defaults without loading TensorFlow.js.
/**
 * Examples (skip-gram pairs or CBOW windows) per tfjs minibatch, chosen by measurement (bench/MEASUREMENTS.md,
 * "tfjs batch size"; the trade-off: src/engine/tfjs/engine.ts): larger batches amortise the per-batch cost,
 * but every example in a batch sees the weights from before it and a row's updates are summed. Skip-gram
 * with negative sampling takes 4096. Hierarchical softmax gets 1024 because every example updates the same
 * few nodes near the root of the Huffman tree; CBOW gets 1024 because each word is a context row in
 * ~2·window windows of a batch, at twice the learning rate (CBOW/NS measured diverging at skip-gram's batch
 * size, not at 1024).
 */
export const DEFAULT_TFJS_BATCH = { skipgramNs: 4096, other: 1024 } as const;

export function defaultTfjsBatch(arch: 'skipgram' | 'cbow', loss: 'ns' | 'hs'): number {
  return arch === 'skipgram' && loss === 'ns' ? DEFAULT_TFJS_BATCH.skipgramNs : DEFAULT_TFJS_BATCH.other;
}
