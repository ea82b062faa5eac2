// The programmatic API: import { train, loadModel } from 'embed'.
export { train, type TrainOptions, type TrainSummary, type TrainEvent } from './train/trainer.js';
export { resolveConfig, DEFAULTS, type TrainConfig } from './train/config.js';
export { loadModel, loadModelFile, type LoadedModel } from './model/load.js';
export { saveNative } from './model/native.js';
export { KeyedVectors, type Neighbour, type Term, type Resolved, type Composer } from './vectors/keyed-vectors.js';
export { createTokenizer, detectTokenizer } from './text/tokenize.js';
export { EmbedError, UsageError, UnknownWordError, InterruptedError, EXIT } from './errors.js';
export { exportToFile, exportToStream, EXPORT_FORMATS, type ExportFormat } from './model/export.js';
export { detectVectorFormat, type VectorFileFormat } from './model/detect.js';
export { evaluateAnalogies, readAnalogyFile, parseAnalogies, sectionKind, type AnalogyResult, type AnalogyOptions } from './eval/analogies.js';
export { evaluateWordPairs, readWordPairsFile, parseWordPairs, type PairsResult, type PairsOptions } from './eval/word-pairs.js';
export { doesntMatch, rankByCentrality } from './vectors/doesnt-match.js';
