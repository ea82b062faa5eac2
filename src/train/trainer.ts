// The training driver: corpus → tokens → vocabulary → token cache → engine → saved model.
// Reports progress as events; never prints.
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { EmbedError, checkAborted } from '../errors.js';
import { checkCorpusFile } from '../text/corpus.js';
import type { ConcreteTokenizer } from '../text/tokenize.js';
import { prepareCorpus, type PrepareEvent } from '../corpus/prepare.js';
import { resolveConfig, type TrainConfig } from './config.js';
import { word2vecJob, word2vecParams } from './word2vec.js';
import { selectEngine } from '../engine/select.js';
import type { EngineProgress } from '../engine/engine.js';
import { KeyedVectors } from '../vectors/keyed-vectors.js';
import { saveNative } from '../io/native.js';
import { defaultModelsDir, modelNameFromCorpus, modelTarget, recoverModelsDir, setLatest } from '../io/store.js';
import { ensureWritableDir, trackTemp } from '../io/atomic.js';
import { recoverModels } from '../io/model-dir.js';

export type TrainEvent =
  | { phase: 'start'; engine: string; engineDetails?: string; tokenizer: ConcreteTokenizer; config: TrainConfig; notes: string[] }
  | PrepareEvent
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
  return output
    ? modelTarget(output, modelsDir, '--output')
    : modelTarget(modelNameFromCorpus(corpus), modelsDir, 'the model name from the corpus file');
}

/**
 * Collects the garbage of passes 1 and 2 (token strings: hundreds of MB of V8 heap on a big corpus)
 * and hands it back to the OS before the weights are allocated, so peak memory is the larger of the
 * scan and the training, not their sum, and does not grow with the corpus. V8 grows its heap with
 * the allocation rate and would otherwise keep it through training. Two full collections: the first
 * frees the objects, the second lets V8 release the emptied pages (the drop in RSS: bench/MEASUREMENTS.md,
 * "Scan garbage before training").
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
  const { engine, notes } = await selectEngine(cfg.engine, { backend: cfg.backend, batchSize: cfg.batchSize });
  // What exactly will run (e.g. which tfjs backend), for the header; a missing native package is a note.
  const described = engine.describe ? await engine.describe(word2vecParams(cfg)) : null;
  if (described) notes.push(...described.notes);

  // The pid in the name lets a later run remove this directory if we are killed (SIGKILL, SIGHUP).
  const work = fs.mkdtempSync(path.join(path.dirname(modelPath), `.embed-work-${process.pid}-`));
  const forgetWork = trackTemp(work);
  try {
    const { vocab, cache, corpusTokens, tokenizer, segmenter, tokensFromCache, warnings } = await prepareCorpus(corpus, work, {
      ...cfg,
      cacheDir: options.cache === false ? null : path.join(modelsDir, '.cache'),
      signal,
      onEvent: emit,
      onVocabulary: (vocab, tokenizer, scanNotes) => {
        if (cfg.loss === 'ns' && vocab.words.length < 2)
          throw new EmbedError(
            `only one word reaches --min-count ${cfg.minCount}: negative sampling needs at least two; lower --min-count`,
          );
        emit({
          phase: 'start',
          engine: engine.name,
          engineDetails: described?.details,
          tokenizer,
          config: cfg,
          notes: [...notes, ...scanNotes],
        });
      },
    });
    returnScanGarbage();

    const V = vocab.words.length;
    const job = word2vecJob(cfg, vocab, cache);
    const trainStart = Date.now();
    const result = await engine.train(job, {
      signal,
      onProgress: (p) => {
        const elapsed = (Date.now() - trainStart) / 1000;
        emit({ phase: 'train', ...p, elapsed, wordsPerSec: elapsed > 0 ? p.wordsDone / elapsed : 0 });
      },
    });
    const input = result.input;
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
