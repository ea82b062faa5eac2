// The training driver: corpus → tokens → vocabulary → token cache → engine → saved model.
// Reports progress as events; never prints.
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { EmbedError, checkAborted } from '../errors.js';
import { readCorpus, checkCorpusFile } from '../text/corpus.js';
import type { ConcreteTokenizer } from '../text/tokenize.js';
import { buildVocabulary, type Vocabulary } from '../vocab/vocabulary.js';
import { scanCorpus } from './scan.js';
import { buildHuffman } from '../vocab/huffman.js';
import { buildUnigramTable, buildKeepProbabilities } from '../vocab/sampling.js';
import { resolveConfig, type TrainConfig } from './config.js';
import { initInputVectors } from './rng.js';
import { TokenCacheWriter, type TokenCache } from './token-cache.js';
import { selectEngine } from '../engine/select.js';
import type { EngineProgress, EngineResult } from '../engine/engine.js';
import { KeyedVectors } from '../vectors/keyed-vectors.js';
import { saveNative } from '../model/native.js';
import { defaultModelsDir, modelNameFromCorpus, modelTarget, recoverModelsDir, setLatest } from '../model/store.js';
import { ensureWritableDir, trackTemp } from '../model/atomic.js';
import { recoverModels } from '../model/model-dir.js';

export type TrainEvent =
  | { phase: 'start'; engine: string; engineDetails?: string; tokenizer: ConcreteTokenizer; config: TrainConfig; notes: string[] }
  | { phase: 'scan'; bytesRead: number; bytesTotal: number; tokens: number }
  | { phase: 'vocab'; vocabSize: number; tokens: number; keptTokens: number }
  | ({ phase: 'train'; wordsPerSec: number; elapsed: number } & EngineProgress)
  | { phase: 'save'; path: string };

export interface TrainOptions extends Partial<TrainConfig> {
  /** Model name or path: a bare name goes under modelsDir; default: the corpus file's name. */
  output?: string;
  modelsDir?: string;
  onEvent?: (e: TrainEvent) => void;
  signal?: AbortSignal;
  /** Reuse / keep the segmented corpus under <modelsDir>/.cache (Chinese only; default true). CLI: --no-cache. */
  cache?: boolean;
}

export interface TrainSummary {
  modelPath: string;
  vocabSize: number;
  corpusTokens: number;
  trainedWords: number;
  seconds: number;
  trainSeconds: number;
  wordsPerSec: number;
  finalLoss: number;
  engine: string;
  engineDetails: string;
  tokenizer: ConcreteTokenizer;
  /** The Chinese word segmenter that ran (tokenizer 'zh'), e.g. '@node-rs/jieba 2.0.3 (hmm)'; else null. */
  segmenter: string | null;
  /** Whether pass 1 (tokenising) was skipped thanks to the cache. */
  tokensFromCache: boolean;
  /** Problems with the input that did not stop training (bad UTF-8 bytes replaced). */
  warnings: string[];
  config: TrainConfig;
}

/** Where the model goes (see modelTarget): --output, else the corpus file's name in modelsDir. */
function outputPath(corpus: string, output: string | undefined, modelsDir: string): string {
  return output ? modelTarget(output, modelsDir, '--output') : modelTarget(modelNameFromCorpus(corpus), modelsDir, 'the model name from the corpus file');
}

/** Pass 2: tokens → ids in the token cache; words outside the vocabulary are dropped, as in word2vec.c. */
async function writeTokenCache(tokensPath: string, vocab: Vocabulary, cfg: TrainConfig, cachePath: string): Promise<TokenCache> {
  const writer = new TokenCacheWriter(cachePath, cfg.maxSentenceLength);
  const index = vocab.index;
  let ids = new Int32Array(1 << 16);
  let n = 0;
  for await (const chunk of readCorpus(tokensPath)) {
    let start = 0;
    const t = chunk.text;
    while (start <= t.length) {
      let end = t.indexOf(' ', start);
      if (end < 0) end = t.length;
      if (end > start) {
        const id = index.get(t.slice(start, end));
        if (id !== undefined) {
          if (n === ids.length) {
            const bigger = new Int32Array(ids.length * 2);
            bigger.set(ids);
            ids = bigger;
          }
          ids[n++] = id;
        }
      }
      start = end + 1;
    }
    // Cut long lines into sentences as we go, so the id buffer stays small.
    if (chunk.lineEnd || n >= cfg.maxSentenceLength * 64) {
      const whole = chunk.lineEnd ? n : n - (n % cfg.maxSentenceLength);
      writer.addSentence(ids, whole);
      ids.copyWithin(0, whole, n);
      n -= whole;
    }
  }
  if (n) writer.addSentence(ids, n);
  return writer.close();
}

/**
 * Passes 1 and 2: tokenise and count (scan.ts), build the vocabulary, write the token cache. Its own
 * function so that the word counts (every distinct word of the corpus) are garbage once it returns.
 */
async function prepareCorpus(
  corpus: string,
  cfg: TrainConfig,
  work: string,
  cacheDir: string | null,
  emit: (e: TrainEvent) => void,
  signal: AbortSignal | undefined,
  onVocabulary: (tokenizer: ConcreteTokenizer, notes: string[]) => void,
) {
  const tokensPath = path.join(work, 'tokens.txt');
  const scan = await scanCorpus(corpus, cfg, tokensPath, emit, signal, cacheDir);
  const { counter, tokenizer } = scan;
  const corpusTokens = counter.tokens;
  if (corpusTokens === 0) throw new EmbedError(`corpus '${corpus}' has no words in it (tokenizer '${tokenizer}'): check the file or --tokenizer`);
  const vocab = buildVocabulary(counter, cfg.minCount, cfg.maxVocab);
  if (vocab.words.length === 0)
    throw new EmbedError(
      `no word occurs at least ${cfg.minCount} times in '${corpus}' (${corpusTokens} tokens): lower --min-count or use a larger corpus`,
    );
  if (cfg.loss === 'ns' && vocab.words.length < 2)
    throw new EmbedError(`only one word reaches --min-count ${cfg.minCount}: negative sampling needs at least two; lower --min-count`);
  onVocabulary(tokenizer, scan.notes);
  checkAborted(signal);
  const cache = await writeTokenCache(tokensPath, vocab, cfg, path.join(work, 'ids.i32'));
  fs.rmSync(tokensPath);
  emit({ phase: 'vocab', vocabSize: vocab.words.length, tokens: corpusTokens, keptTokens: cache.tokenCount });
  checkAborted(signal);
  return { vocab, cache, corpusTokens, tokenizer, segmenter: scan.segmenter, tokensFromCache: scan.cached, warnings: scan.warnings };
}

/**
 * Collects the garbage of passes 1 and 2 (token strings: hundreds of MB of V8 heap on a big corpus)
 * and hands it back to the OS before the weights are allocated, so peak memory is the larger of the
 * scan and the training, not their sum, and does not grow with the corpus. V8 grows its heap with
 * the allocation rate and would otherwise keep it through training. Two full collections: the first
 * frees the objects, the second lets V8 release the emptied pages (measured: 257 → 92 MB RSS).
 * Side effect for programs that import embed: V8 contexts they create later also get a `gc` global.
 */
function returnScanGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as (() => void) | undefined;
  if (typeof gc !== 'function') return;
  gc();
  gc();
}

export async function train(corpus: string, options: TrainOptions = {}): Promise<TrainSummary> {
  const t0 = Date.now();
  const cfg = resolveConfig(options);
  const emit = options.onEvent ?? (() => {});
  const signal = options.signal;
  checkCorpusFile(corpus);
  const modelsDir = options.modelsDir ?? defaultModelsDir();
  recoverModelsDir(modelsDir);
  const modelPath = outputPath(corpus, options.output, modelsDir);
  ensureWritableDir(path.dirname(modelPath));
  recoverModels(path.dirname(modelPath));
  const { engine, notes } = await selectEngine(cfg.engine);
  // What exactly will run (e.g. which tfjs backend), for the header; a missing native package is a note.
  const described = engine.describe ? await engine.describe(cfg) : null;
  if (described) notes.push(...described.notes);

  // The pid in the name lets a later run remove this directory if we are killed (SIGKILL, SIGHUP).
  const work = fs.mkdtempSync(path.join(path.dirname(modelPath), `.embed-work-${process.pid}-`));
  const forgetWork = trackTemp(work);
  try {
    const cacheDir = options.cache === false ? null : path.join(modelsDir, '.cache');
    const { vocab, cache, corpusTokens, tokenizer, segmenter, tokensFromCache, warnings } = await prepareCorpus(
      corpus, cfg, work, cacheDir, emit, signal,
      (tokenizer, scanNotes) =>
        emit({ phase: 'start', engine: engine.name, engineDetails: described?.details, tokenizer, config: cfg, notes: [...notes, ...scanNotes] }),
    );
    returnScanGarbage();

    const V = vocab.words.length;
    const input = initInputVectors(V, cfg.dim, cfg.seed);
    const trainStart = Date.now();
    let result: EngineResult;
    result = await engine.train(
      {
        config: cfg,
        vocabSize: V,
        keepProb: buildKeepProbabilities(vocab.counts, cfg.sample, cache.tokenCount),
        negTable: cfg.loss === 'ns' ? buildUnigramTable(vocab.counts) : null,
        huffman: cfg.loss === 'hs' ? buildHuffman(vocab.counts) : null,
        input,
        outputRows: cfg.loss === 'hs' ? Math.max(1, V - 1) : V,
        cache,
      },
      {
        signal,
        onProgress: (p) => {
          const elapsed = (Date.now() - trainStart) / 1000;
          emit({ phase: 'train', ...p, elapsed, wordsPerSec: elapsed > 0 ? p.wordsDone / elapsed : 0 });
        },
      },
    );
    checkAborted(signal);
    const trainSeconds = (Date.now() - trainStart) / 1000;
    for (let i = 0; i < input.length; i++)
      if (!Number.isFinite(input[i]))
        throw new EmbedError('training diverged (vectors contain NaN or infinity): lower --alpha and train again');

    const kv = new KeyedVectors(vocab.words, input, cfg.dim, vocab.counts, cfg.lowercase);
    const summary: TrainSummary = {
      modelPath,
      vocabSize: V,
      corpusTokens,
      trainedWords: result.wordsDone,
      seconds: 0,
      trainSeconds,
      wordsPerSec: trainSeconds > 0 ? result.wordsDone / trainSeconds : 0,
      finalLoss: result.finalLoss,
      engine: engine.name,
      engineDetails: result.details,
      tokenizer,
      segmenter,
      tokensFromCache,
      warnings,
      config: cfg,
    };
    emit({ phase: 'save', path: modelPath });
    saveNative(modelPath, kv, {
      tokenizer,
      corpus: { path: corpus === '-' ? '-' : path.resolve(corpus), tokens: corpusTokens },
      training: {
        config: cfg,
        engine: engine.name,
        engineDetails: result.details,
        trainedWords: result.wordsDone,
        seconds: trainSeconds,
        wordsPerSec: summary.wordsPerSec,
        finalLoss: result.finalLoss,
      },
    });
    setLatest(modelsDir, modelPath);
    summary.seconds = (Date.now() - t0) / 1000;
    return summary;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    forgetWork();
  }
}
