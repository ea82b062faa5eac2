// 'embed/internal': the few internal details that tests check directly, because no public behaviour
// shows them exactly. NOT part of the API: no stability promise, and nothing in src/ imports this file
// (npm run lint:deps checks both). It sits above the CLI, like src/cli/main.ts, so it may reach into
// src/cli and src/ui. When one of these moves or changes, edit this barrel, not the tests.

// The learning-rate schedule at exact points (training events only sample it).
export { learningRate, workerLearningRate } from './engine/schedule.js';
// Which hierarchical-softmax output rows each wasm worker keeps a replica of (no output reports it).
export { hotRange } from './engine/wasm/layout.js';
// The wasm engine's alias table for negatives: its distribution must be the unigram table's exactly.
export { aliasTable } from './vocab/sampling.js';
// The CLI-only rows of the training option table, checked against the README with the library's rows.
export { TRAIN_CLI_OPTIONS } from './cli/commands/train.js';
// Terminal display widths (CJK is two columns), used by the CLI's tables.
export { displayWidth, padEnd, padStart } from './ui/width.js';
// The CLI's table/TSV printer, fed hostile words directly (every column escaped).
export { printRows } from './cli/format.js';
// GloVe's co-occurrence counting and shuffle, checked against a brute-force count with spills forced.
export { countCooccurrences, readRecords } from './corpus/cooccur.js';
export { shuffleRecordFile } from './corpus/shuffle.js';
export { TokenCacheWriter } from './corpus/token-cache.js';
// Pass 1's fast path: the ASCII range tokenizers against the regex ones, provisional ids and their
// renumbering after a prune (only a corpus of 8M+ distinct words prunes for real).
export { asciiSpaceRanges, asciiWordRanges } from './text/ascii-tokens.js';
export { scanCorpus } from './corpus/scan.js';
export { IdScan } from './corpus/id-scan.js';
