// The programmatic API: import { train, loadModel } from 'embed'.
export { train, type TrainOptions, type TrainSummary, type TrainEvent } from './train/trainer.js';
export { resolveConfig, DEFAULTS, type TrainConfig } from './train/config.js';
export { loadModel, loadModelFile, type LoadedModel } from './model/load.js';
export { saveNative } from './model/native.js';
export { KeyedVectors, type Neighbour } from './vectors/keyed-vectors.js';
export { createTokenizer, detectTokenizer } from './text/tokenize.js';
export { EmbedError, UsageError, UnknownWordError, InterruptedError, EXIT } from './errors.js';
