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
export { KeyedVectors, type Neighbour, type Term, type Resolved, type Composer, type WordSource } from './vectors/keyed-vectors.js';
export { doesntMatch, rankByCentrality } from './vectors/doesnt-match.js';

// Model files: load any format we read (detected by content), the native format, export.
export { loadModel, loadModelFile, type LoadedModel, type LoadOptions } from './io/load.js';
export { saveNative, loadNative, NATIVE_VERSION, type ModelMeta, type SaveOptions } from './io/native.js';
export { verifyModel, type VerifyReport, type FileCheck } from './io/verify.js';
export type { FileRecord } from './io/file-records.js';
export { detectVectorFormat, type VectorFileFormat } from './io/detect.js';
export { exportToFile, exportToStream, EXPORT_FORMATS, type ExportFormat } from './io/export.js';
export { exportProjector } from './io/projector.js';

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

// Bias: WEAT (Caliskan et al. 2017), a bias direction, DirectBias and projections (Bolukbasi et al. 2016).
export {
  runWeat,
  standardWeatTest,
  weatPermutationTest,
  parseWeatJson,
  parseWeatTsv,
  readWeatFile,
  STANDARD_WEAT_COUNT,
  type WeatTest,
  type WeatResult,
  type WeatOptions,
  type WordSet,
} from './eval/weat.js';
export { biasDirection, directBias, projectOnDirection, directionPoles, type BiasDirection } from './eval/bias-direction.js';
export { symmetricEigen } from './tensor/symmetric-eigen.js';

// Corpus preparation and engines: what a new kind of model builds on. prepareCorpus turns a text file
// into a vocabulary and a token-id file; a kind turns options into a job (engine/job.ts); an engine runs it.
export { prepareCorpus, type PrepareOptions, type PreparedCorpus, type PrepareEvent } from './corpus/prepare.js';
// Phrases (new york → new_york): on a corpus file, or on a token file as prepareCorpus writes one.
export { findPhrases, type FindPhrasesOptions, type FindPhrasesResult, type FindPhrasesEvent } from './corpus/phrase-corpus.js';
export {
  phraseTokenFile,
  PHRASE_DEFAULTS,
  type PhraseSettings,
  type PhraseReport,
  type PassReport,
  type FormedPhraseRow,
  type PhraseEvent,
} from './phrases/phrases.js';
export { phraseScore, passThresholds, PHRASE_SCORINGS, type PhraseScoring } from './phrases/score.js';
export { ENGLISH_CONNECTOR_WORDS } from './phrases/connectors.js';
export { selectEngine, type EngineName } from './engine/select.js';
export type { Engine, EngineResult, EngineHooks, EngineProgress, EngineSettings } from './engine/engine.js';
export type { Job, SentenceJob, SentenceParams, InputRows, InitialRows } from './engine/job.js';
export { word2vecJob } from './train/word2vec.js';

// Training: the driver, its configuration, and the option table that declares every training option
// once (flags, defaults, bounds; the CLI and the README's table are made from it).
export { train, type TrainOptions, type TrainSummary, type TrainEvent } from './train/trainer.js';
export { measureDrift, type Drift } from './train/drift.js';
export { resolveConfig, DEFAULTS, type TrainConfig, type Arch, type Loss } from './train/config.js';
export { TRAIN_OPTIONS, type OptionSpec, type OptionType, type OptionValue } from './train/options.js';

// Cross-lingual alignment (embed align): orthogonal Procrustes on a seed dictionary, MUSE's normalisation
// and CSLS refinement; NN / CSLS retrieval; word translation scored as MUSE; the small SVD under it.
export {
  alignModels,
  procrustes,
  randomOrthogonal,
  applyMap,
  normalizeRows,
  normalizedModel,
  parseNormalization,
  lookupPairs,
  mutualPairs,
  DEFAULT_NORMALIZATION,
  type AlignOptions,
  type AlignResult,
  type AlignEvent,
  type DictionaryPair,
  type PairLookup,
  type NormStep,
} from './vectors/align.js';
export {
  retrieve,
  topKRows,
  meanTopCosine,
  cslsRerank,
  type RetrievalMethod,
  type RetrieveOptions,
  type RerankOptions,
  type TopK,
} from './vectors/retrieve.js';
export {
  evaluateTranslation,
  parseDictionary,
  readDictionaryFile,
  type TranslationResult,
  type TranslationOptions,
  type TranslationExample,
  type ParsedDictionary,
} from './eval/translation.js';
export { svd, nearestOrthogonal, orthonormalColumns, matMul, transpose, type Svd, type SvdOptions } from './tensor/svd.js';
// Plot: pictures of the space (2-D projection by PCA or t-SNE, label placement, SVG / HTML writers).
export { pca, type PcaResult } from './plot/pca.js';
export { tsne, minPointsFor, nearestNeighbours, inputSimilarities, type TsneOptions, type TsneProgress } from './plot/tsne.js';
export { kmeans } from './plot/kmeans.js';
export { buildScene, PALETTE, type Scene, type SceneInput, type Measure } from './plot/scene.js';
export { sceneToSvg, xmlText } from './plot/svg.js';
export { sceneToHtml } from './plot/html.js';
export { loadRasteriser, findCjkFont, type Rasteriser, type FontChoice } from './plot/png.js';
export {
  selectWords,
  projectWords,
  readWordList,
  parsePairs,
  PLOT_METHODS,
  type PlotData,
  type PlotMethod,
  type Selection,
} from './plot/plot.js';
// fastText: subword n-grams and hashing, subword composition, fastText .bin files.
export { fasttextHash, subwords, ngramRows, wordRowLists, type SubwordSettings } from './vocab/subwords.js';
export { subwordComposer, bucketsOf, type SubwordTable, type NgramRows } from './vectors/subword-table.js';
export { loadFasttextBin, writeFasttextBin, readFasttextHeader, type FasttextArgs, type FasttextBinModel } from './io/fasttext-bin.js';
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
