// The training driver: corpus → tokens → vocabulary → token cache → engine → saved model.
// Reports progress as events; never prints.
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { EmbedError, InterruptedError, UsageError, checkAborted } from '../errors.js';
import { checkCorpusFile, isStdin } from '../text/corpus.js';
import type { ConcreteTokenizer } from '../text/tokenize.js';
import { prepareCorpus, type PrepareEvent } from '../corpus/prepare.js';
import { resolveConfig, type TrainConfig } from './config.js';
import { CHINESE_NGRAMS } from './options.js';
import { word2vecJob, word2vecParams } from './word2vec.js';
import { GLOVE_MAX_SENTENCE, GLOVE_STATE_FILES, gloveJob, gloveRecords, gloveStateFiles, type GloveRecords } from './glove.js';
import type { CooccurEvent } from '../corpus/cooccur.js';
import type { ShuffleEvent } from '../corpus/shuffle.js';
import { selectEngine } from '../engine/select.js';
import type { EngineProgress, EngineResult } from '../engine/engine.js';
import type { Job, SentenceJob } from '../engine/job.js';
import { checkpointDir, checkpointIdentity, removeCheckpoint } from './checkpoint.js';
import { readSentenceCheckpoint, runInSegments, type CheckpointState, type Checkpointing } from './segments.js';
import { checkRecords, gloveCheckpointWriter, readGloveCheckpoint, recordsDone, type GloveCheckpoint } from './glove-checkpoints.js';
import { KeyedVectors } from '../vectors/keyed-vectors.js';
import { ngramFiles, saveNative } from '../io/native.js';
import { composeTrained, fasttextJob, subwordSettings } from './fasttext.js';
import { knownHashes } from '../vectors/subword-table.js';
import { defaultModelsDir, modelNameFromCorpus, modelTarget, recoverModelsDir, setLatest } from '../io/store.js';
import { ensureWritableDir, trackTemp } from '../io/atomic.js';
import { recoverModels } from '../io/model-dir.js';
import { OUTPUT_FILE, initialWeights, readInit, type InitialWeights } from './init.js';
import { measureDrift, type Drift } from './drift.js';
import { buildKeepProbabilities } from '../vocab/sampling.js';

export type TrainEvent =
  | {
      phase: 'start';
      engine: string;
      engineDetails?: string;
      tokenizer: ConcreteTokenizer;
      config: TrainConfig;
      notes: string[];
      /** Set when --resume found a checkpoint: where training goes on from. */
      resumedFrom?: { epoch: number; wordsDone: number; wordsTotal: number };
    }
  | PrepareEvent
  | CooccurEvent
  | ShuffleEvent
  | ({ phase: 'train'; wordsPerSec: number; elapsed: number } & EngineProgress)
  | { phase: 'checkpoint'; path: string; wordsDone: number }
  | ({ phase: 'drift' } & Drift)
  | { phase: 'save'; path: string };

export interface TrainOptions extends Partial<TrainConfig> {
  /** Model name or path: a bare name goes under modelsDir; default: the corpus file's name. */
  output?: string;
  modelsDir?: string;
  onEvent?: (e: TrainEvent) => void;
  signal?: AbortSignal;
  /** Reuse / keep the segmented corpus under <modelsDir>/.cache (Chinese only; default true). CLI: --no-cache. */
  cache?: boolean;
  /**
   * Write checkpoints (default true, for a corpus file). False trains in one piece: for a corpus that
   * cannot be resumed anyway (eval next-item's temporary file), where a small corpus trained for many
   * epochs would otherwise restart its workers at every epoch end (README, "Items (recommendation)").
   */
  checkpoints?: boolean;
}

export interface TrainSummary {
  modelPath: string;
  vocabSize: number;
  corpusTokens: number;
  trainedWords: number;
  seconds: number;
  /** Reading, tokenising and counting the corpus and writing it as ids (passes 1 and 2), before training. */
  prepareSeconds: number;
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
  /** --method glove: the co-occurrence records and how they were counted and shuffled. */
  glove?: { records: number } & GloveRecords['stats'];
  /** --init: how far training moved the words shared with the source (drift.ts). */
  drift?: Drift;
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
  const modelsDir = options.modelsDir ?? defaultModelsDir();
  // --init: the source's settings are the defaults; what the caller gives overrides them (readInit refuses contradictions).
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<TrainConfig>;
  const init = options.init ? readInit(options.init, given, modelsDir) : null;
  const cfg = resolveConfig(init ? { ...init.defaults, ...given } : options);
  if (cfg.freeze && cfg.engine === 'tfjs')
    throw new UsageError('--freeze: the tfjs engine has no frozen rows; drop --engine or use --engine wasm or js');
  const emit = options.onEvent ?? (() => {});
  const signal = options.signal;
  checkCorpusFile(corpus);
  recoverModelsDir(modelsDir);
  const modelPath = outputPath(corpus, options.output, modelsDir);
  ensureWritableDir(path.dirname(modelPath));
  recoverModels(path.dirname(modelPath));
  const glove = cfg.method === 'glove';
  // GloVe runs on the wasm engine only (the others lack its objective).
  const engineName = glove && cfg.engine === 'auto' ? 'wasm' : cfg.engine;
  const { engine, notes } = await selectEngine(engineName, {
    backend: cfg.backend,
    batchSize: cfg.batchSize,
  });
  if (glove && engine.unsupported({ objective: 'glove' } as Job))
    throw new UsageError(`--method glove: the ${engine.name} engine does not train GloVe yet; use --engine wasm`);
  // What exactly will run (e.g. which tfjs backend), for the header; a missing native package is a note.
  const described = engine.describe && !glove ? await engine.describe(word2vecParams(cfg)) : null;
  if (described) notes.push(...described.notes);

  // Checkpoints need a corpus that can be read again on --resume.
  const corpusIsFile = !isStdin(corpus) && fs.statSync(corpus).isFile();
  if (cfg.resume && !corpusIsFile) throw new UsageError('--resume needs a corpus file that can be read again (not stdin or a pipe)');
  const ckDir = checkpointDir(modelPath);
  let checkpointing: Checkpointing | null = null;
  let gloveCheckpointing: Checkpointing<GloveCheckpoint> | null = null;

  // The pid in the name lets a later run remove this directory if we are killed (SIGKILL, SIGHUP).
  const work = fs.mkdtempSync(path.join(path.dirname(modelPath), `.embed-work-${process.pid}-`));
  const forgetWork = trackTemp(work);
  let gloveWriter: ReturnType<typeof gloveCheckpointWriter> | null = null;
  let start: InitialWeights | null = null;
  try {
    const prepareStart = Date.now();
    const { vocab, cache, corpusTokens, tokenizer, segmenter, tokensFromCache, warnings } = await prepareCorpus(corpus, work, {
      ...cfg,
      maxSentenceLength: glove ? GLOVE_MAX_SENTENCE : cfg.maxSentenceLength,
      cacheDir: options.cache === false ? null : path.join(modelsDir, '.cache'),
      baseCounts: init?.counts ?? undefined,
      signal,
      onEvent: emit,
      onVocabulary: (vocab, tokenizer, scanNotes) => {
        // Chinese words are 1-3 characters: fastText's 3..6 n-grams of <word> give them almost none.
        if (
          cfg.method === 'fasttext' &&
          (tokenizer === 'zh' || tokenizer === 'char') &&
          options.minn === undefined &&
          options.maxn === undefined
        ) {
          cfg.minn = CHINESE_NGRAMS.minn;
          cfg.maxn = CHINESE_NGRAMS.maxn;
          scanNotes.push(`Chinese text: character n-grams of ${cfg.minn} to ${cfg.maxn} (--minn, --maxn to choose)`);
        }
        if (!glove && cfg.loss === 'ns' && vocab.words.length < 2)
          throw new EmbedError(
            `only one word reaches --min-count ${cfg.minCount}: negative sampling needs at least two; lower --min-count`,
          );
        if (init) {
          start = initialWeights(init, vocab, cfg, cfg.loss === 'hs' ? Math.max(1, vocab.words.length - 1) : vocab.words.length);
          scanNotes.push(...start.notes);
        }
        let from: CheckpointState | null = null;
        let gloveFrom: GloveCheckpoint | null = null;
        if (corpusIsFile && options.checkpoints !== false) {
          const identity = checkpointIdentity(corpus, cfg, engine.name, vocab);
          const base = { dir: ckDir, identity, everySeconds: cfg.checkpointEvery };
          if (glove) {
            gloveFrom = cfg.resume ? readGloveCheckpoint(ckDir, identity, vocab.words.length, cfg.dim) : null;
            gloveCheckpointing = { ...base, from: gloveFrom };
          } else {
            from = cfg.resume ? readSentenceCheckpoint(ckDir, identity) : null;
            checkpointing = { ...base, from };
          }
          if (cfg.resume && !from && !gloveFrom) scanNotes.push(`no checkpoint in ${ckDir}: training from the start`);
        }
        const done = from ? from.positions.reduce((a, p) => a + p.wordsDone, 0) : 0;
        emit({
          phase: 'start',
          engine: engine.name,
          engineDetails: described?.details,
          tokenizer,
          config: cfg,
          notes: [...notes, ...scanNotes],
          // GloVe's progress counts co-occurrence records (iterations × records), as its training events do.
          resumedFrom: gloveFrom
            ? {
                epoch: gloveFrom.fit.iteration + 1,
                wordsDone: recordsDone(gloveFrom.fit, gloveFrom.records.records),
                wordsTotal: cfg.epochs * gloveFrom.records.records,
              }
            : from
              ? {
                  epoch: Math.min(...from.positions.map((p) => p.epoch)),
                  wordsDone: done,
                  wordsTotal: cfg.epochs * vocab.counts.reduce((a, c) => a + c, 0),
                }
              : undefined,
        });
      },
    });
    returnScanGarbage();
    const prepareSeconds = (Date.now() - prepareStart) / 1000;

    const V = vocab.words.length;
    let records: GloveRecords | null = null;
    const gck = gloveCheckpointing as Checkpointing<GloveCheckpoint> | null;
    if (glove) {
      records = await gloveRecords(cache, V, cfg, work, emit, signal);
      fs.rmSync(cache.path, { force: true });
      if (gck?.from) checkRecords(ckDir, gck.from.records, records);
    }
    const job = records
      ? gloveJob(cfg, V, records, gck?.from?.fit ?? null)
      : cfg.method === 'fasttext'
        ? fasttextJob(cfg, vocab, cache)
        : word2vecJob(cfg, vocab, cache);
    const begin = start as InitialWeights | null;
    if (begin && job.objective === 'sentences') {
      job.weights = { input: begin.input, output: begin.output, rng: null };
      job.frozen = begin.frozen;
      // Old and new counts together: their frequencies are of their sum, not of the new corpus alone.
      if (init?.counts) job.keepProb = buildKeepProbabilities(vocab.counts, cfg.sample, vocab.totalCount);
    }
    const ck = checkpointing as Checkpointing | null;
    // An engine that cannot run part of a job (pause, resume: tfjs) trains it whole, without checkpoints.
    const segmentable = ck && job.objective === 'sentences' && !engine.unsupported({ ...job, resume: [] });
    if (cfg.resume && !segmentable && !gck)
      throw new UsageError(`--resume: the ${engine.name} engine cannot continue a stopped run; use --engine wasm or js`);
    const trainStart = Date.now();
    const wordsBefore = gck?.from
      ? recordsDone(gck.from.fit, gck.from.records.records)
      : ck?.from
        ? ck.from.positions.reduce((a, p) => a + p.wordsDone, 0)
        : 0;
    // GloVe checkpoints come from inside the fit (its workers stay up between iterations).
    gloveWriter =
      gck && records
        ? gloveCheckpointWriter(ckDir, gck.identity, records, (s) =>
            emit({ phase: 'checkpoint', path: ckDir, wordsDone: recordsDone(s, records!.records) }),
          )
        : null;
    const hooks = {
      signal,
      onProgress: (p: EngineProgress) => {
        const elapsed = (Date.now() - trainStart) / 1000;
        emit({ phase: 'train', ...p, elapsed, wordsPerSec: elapsed > 0 ? (p.wordsDone - wordsBefore) / elapsed : 0 });
      },
      gloveCheckpoints:
        gloveWriter && gck ? { everySeconds: gck.everySeconds, ready: gloveWriter.ready, save: gloveWriter.save } : undefined,
    };
    const result: EngineResult = segmentable
      ? await runInSegments(engine, job as SentenceJob, hooks, {
          ...ck,
          onCheckpoint: (state) =>
            emit({ phase: 'checkpoint', path: ck.dir, wordsDone: state.positions.reduce((a, p) => a + p.wordsDone, 0) }),
        })
      : await engine.train(job, hooks);
    await gloveWriter?.settled();
    const input = result.input;
    checkAborted(signal);
    const trainSeconds = (Date.now() - trainStart) / 1000;
    for (let i = 0; i < input.length; i++)
      if (!Number.isFinite(input[i]))
        throw new EmbedError('training diverged (vectors contain NaN or infinity): lower --alpha and train again');

    // fastText: composed word vectors (one row read per in-vocabulary query) plus the trained n-gram rows.
    const sub = job.objective === 'sentences' && cfg.method === 'fasttext' ? composeTrained(job, input, cfg.dim) : null;
    const drift = begin ? measureDrift(begin.oldRows, input, begin.sharedIndex, cfg.dim) : undefined;
    if (drift) emit({ phase: 'drift', ...drift });
    // word2vec keeps its output weights: what continuing it (--init MODEL) starts from.
    const output = cfg.method === 'word2vec' && job.objective === 'sentences' ? result.output : undefined;
    const kv = new KeyedVectors(vocab.words, sub ? sub.vectors : input, cfg.dim, vocab.counts, cfg.lowercase);
    const summary: TrainSummary = {
      modelPath,
      vocabSize: V,
      corpusTokens,
      trainedWords: result.wordsDone,
      seconds: 0,
      prepareSeconds,
      trainSeconds,
      wordsPerSec: trainSeconds > 0 ? (result.wordsDone - wordsBefore) / trainSeconds : 0,
      finalLoss: result.finalLoss,
      engine: engine.name,
      engineDetails: result.details,
      tokenizer,
      segmenter,
      tokensFromCache,
      warnings: [...(init?.warnings ?? []), ...warnings],
      config: cfg,
      drift,
      glove: records ? { records: records.records, ...records.stats } : undefined,
    };
    emit({ phase: 'save', path: modelPath });
    saveNative(
      modelPath,
      kv,
      {
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
        ...(sub ? { subwords: subwordSettings(cfg) } : {}),
        // GloVe keeps what continuing needs: W and W̃ (2V rows: words, then contexts), biases, AdaGrad sums.
        ...(result.glove ? { glove: { rows: 2 * V, dim: cfg.dim, files: GLOVE_STATE_FILES } } : {}),
        ...(output ? { output: { rows: output.length / cfg.dim, dim: cfg.dim, loss: cfg.loss, file: OUTPUT_FILE } } : {}),
        ...(init ? { init: { from: init.path, kind: init.kind, format: init.format, freeze: cfg.freeze, drift: drift ?? null } } : {}),
      },
      {
        files: {
          ...(sub ? ngramFiles(sub.ngramIds, sub.ngramRows, knownHashes(vocab.words, subwordSettings(cfg))) : {}),
          ...(result.glove ? gloveStateFiles(result.glove) : {}),
          ...(output ? { [OUTPUT_FILE]: output } : {}),
        },
      },
    );
    setLatest(modelsDir, modelPath);
    // The model is whole: its checkpoint is no longer needed.
    removeCheckpoint(ckDir);
    summary.seconds = (Date.now() - t0) / 1000;
    return summary;
  } catch (e) {
    // A checkpoint being written when the run stopped is finished first, so the message below is true.
    await gloveWriter?.settled().catch(() => {});
    // A stopped run keeps its last checkpoint: say how to go on from it.
    if (e instanceof InterruptedError && fs.existsSync(path.join(ckDir, 'state.json')))
      throw new InterruptedError(
        `interrupted: training stopped, no model was written; the last checkpoint is kept: run the same command with --resume to go on`,
      );
    throw e;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    forgetWork();
  }
}
