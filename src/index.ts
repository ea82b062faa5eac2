// The programmatic API: import { train, loadModel } from 'embed'.
// Grouped by layer, lowest first (../shared/docs/ARCHITECTURE.md). This is what a library user may rely
// on, and all the tests import (with src/internal.ts for the few internals they check): when a module
// moves, edit this barrel, not the tests. Only the layers below the CLI appear here.

// Errors: typed, mapped to one line and an exit code by the CLI.
export { EmbedError, UsageError, UnknownWordError, InterruptedError, EXIT } from './errors.js';

// Text: NFKC normalisation, tokenizers (en, zh, char, space) and their detection from a sample, the
// Chinese segmenter (@node-rs/jieba or Intl.Segmenter), tokenisation on worker threads, the corpus reader.
export { normalizeText } from './text/normalize.js';
export {
  createTokenizer,
  detectTokenizer,
  tokensText,
  type Tokenizer,
  type TokenizerMode,
  type ConcreteTokenizer,
} from './text/tokenize.js';
export { getChineseSegmenter, getChineseSegmenterInfo, chineseSegmenterId, type Segmenter, type ChineseSegmenter } from './text/chinese.js';
export { ParallelTokenizer } from './text/parallel-tokenize.js';
export { readCorpus, type CorpusChunk, type CorpusReadOptions } from './text/corpus.js';

// Vocabulary: word counts, Huffman codes (hierarchical softmax), the negative-sampling table and the
// subsampling keep-probabilities, as word2vec.c builds them.
export { WordCounter, buildVocabulary, type Vocabulary } from './vocab/vocabulary.js';
export { buildHuffman, type HuffmanCodes } from './vocab/huffman.js';
export { buildUnigramTable, buildKeepProbabilities } from './vocab/sampling.js';

// Vectors: the query side of a model (similar, analogy, similarity, doesnt-match).
export { KeyedVectors, type Neighbour, type Term, type Resolved, type Composer } from './vectors/keyed-vectors.js';
export { doesntMatch, rankByCentrality } from './vectors/doesnt-match.js';

// Model files: load any format we read (detected by content), the native format, export.
export { loadModel, loadModelFile, type LoadedModel, type LoadOptions } from './io/load.js';
export { saveNative, loadNative, NATIVE_VERSION, type ModelMeta, type SaveOptions } from './io/native.js';
export { verifyModel, type VerifyReport, type FileCheck } from './io/verify.js';
export type { FileRecord } from './io/file-records.js';
export { detectVectorFormat, type VectorFileFormat } from './io/detect.js';
export { exportToFile, exportToStream, EXPORT_FORMATS, type ExportFormat } from './io/export.js';

// Evaluation: analogy sets (3CosAdd / 3CosMul) and word-pair sets (Spearman / Pearson), as gensim scores them.
export {
  evaluateAnalogies,
  readAnalogyFile,
  parseAnalogies,
  sectionKind,
  type AnalogyResult,
  type AnalogyOptions,
  type ParsedAnalogies,
  type SectionKind,
  type AnalogyMethod,
} from './eval/analogies.js';
export {
  evaluateWordPairs,
  readWordPairsFile,
  parseWordPairs,
  ranks,
  spearman,
  pearson,
  type WordPair,
  type PairsResult,
  type PairsOptions,
} from './eval/word-pairs.js';

// Corpus preparation and engines: what a new kind of model builds on. prepareCorpus turns a text file
// into a vocabulary and a token-id file; a kind turns options into a job (engine/job.ts); an engine runs it.
export { prepareCorpus, type PrepareOptions, type PreparedCorpus, type PrepareEvent } from './corpus/prepare.js';
export { selectEngine, type EngineName } from './engine/select.js';
export type { Engine, EngineResult, EngineHooks, EngineProgress, EngineSettings } from './engine/engine.js';
export type { Job, SentenceJob, SentenceParams, InputRows, InitialRows } from './engine/job.js';
export { word2vecJob } from './train/word2vec.js';

// Training: the driver, its configuration, and the option table that declares every training option
// once (flags, defaults, bounds; the CLI and the README's table are made from it).
export { train, type TrainOptions, type TrainSummary, type TrainEvent } from './train/trainer.js';
export { resolveConfig, DEFAULTS, type TrainConfig, type Arch, type Loss } from './train/config.js';
export { TRAIN_OPTIONS, type OptionSpec, type OptionType, type OptionValue } from './train/options.js';

// Items (recommendation): the next-item protocol of Caselles-Dupré et al. 2018 (README, "Items (recommendation)").
export {
  readSequences,
  splitNextItem,
  scoreNextItem,
  numpyPermutation,
  type NextItemPair,
  type NextItemSplit,
  type NextItemScore,
  type NextItemMetric,
} from './eval/next-item.js';
export { evalNextItem, NEXT_ITEM_DEFAULTS, type NextItemOptions, type NextItemResult } from './train/next-item.js';
export type { WindowType } from './engine/job.js';
