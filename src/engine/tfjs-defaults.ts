// Kept apart from tfjs.ts so the CLI can show the defaults without loading TensorFlow.js.
/**
 * Examples (skip-gram pairs or CBOW windows) per tfjs minibatch, chosen by measurement (see
 * src/engine/tfjs.ts): larger batches amortise the per-batch cost, but every example in a batch sees
 * the weights from before it. Hierarchical softmax gets smaller batches because every example updates
 * the same few nodes near the root of the Huffman tree, whose summed stale steps hurt quality sooner.
 */
export const DEFAULT_TFJS_BATCH = { ns: 4096, hs: 1024 } as const;
