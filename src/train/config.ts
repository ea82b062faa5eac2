// The training configuration: its type, and defaults and validation from the option table (options.ts).
import { UsageError } from '../errors.js';
import { defaultAlpha, resolveOptions, staticDefaults } from './options.js';
import { checkEncoding } from '../text/corpus.js';

import type { TokenizerMode } from '../text/tokenize.js';
import type { EngineName } from '../engine/names.js';
import type { Arch, Loss, WindowType } from '../engine/job.js';
import type { Schedule } from '../engine/schedule.js';
import type { BackendChoice } from '../tensor/backend.js';
export type { TokenizerMode, EngineName, BackendChoice, Arch, Loss, WindowType, Schedule };

export type Method = 'word2vec' | 'fasttext' | 'glove';

export interface TrainConfig {
  /** What is learned: word2vec (skip-gram/CBOW), fastText's subword model (train/fasttext.ts), or GloVe (co-occurrence counts, AdaGrad). */
  method: Method;
  /** fastText: n-grams of "<word>" of minn..maxn code points, hashed into bucket rows. */
  minn: number;
  maxn: number;
  bucket: number;
  /** Item mode: verbatim ids, lines not cut, min-count 1 unless given (options.ts, itemDefault). */
  items: boolean;
  arch: Arch;
  loss: Loss;
  dim: number;
  window: number;
  /** How the context of a word is chosen (engine/job.ts). */
  windowType: WindowType;
  negative: number;
  sample: number;
  /** Negatives are drawn ∝ count^nsExponent (word2vec: 0.75). */
  nsExponent: number;
  alpha: number;
  minAlpha: number;
  /** How alpha falls to minAlpha (engine/schedule.ts). */
  schedule: Schedule;
  epochs: number;
  minCount: number;
  maxVocab: number; // 0 = no limit
  seed: number;
  threads: number;
  tokenizer: TokenizerMode;
  lowercase: boolean;
  engine: EngineName;
  /** TensorFlow.js backend (tfjs engine only): auto = native TensorFlow if installed, else wasm, else cpu. */
  backend: BackendChoice;
  /** Examples per minibatch for the tfjs engine; 0 = the engine's default. Other engines ignore it. */
  batchSize: number;
  /** Longest sentence handed to an engine, in tokens; longer lines are split (word2vec.c: 1000). */
  maxSentenceLength: number;
  /** Seconds between checkpoints within an epoch (one is written at every epoch end too); 0: epoch ends only. */
  checkpointEvery: number;
  /** Continue from the output model's checkpoint instead of starting over. */
  resume: boolean;
  /** A model or vector file to start from ('' = none): train/init.ts. */
  init: string;
  /** With init: the rows taken from it are not updated (the js engine's lock mask). */
  freeze: boolean;
  /** GloVe: f(x) = min(1, (x / xMax)^gloveAlpha); AdaGrad gradient clip; GB for counting and shuffling. */
  xMax: number;
  gloveAlpha: number;
  gradClip: number;
  memory: number;
  /** Phrase passes run on the tokens before the vocabulary is built (0: none), and the last pass's threshold. */
  phrases: number;
  phrasesThreshold: number;
  /** The corpus encoding, a TextDecoder label; auto: UTF-8, or UTF-16 with a BOM (see text/corpus.ts). */
  encoding: string;
}

/** The defaults that are plain values (alpha, minAlpha, schedule and threads depend on other things: see options.ts). */
export const DEFAULTS = (() => {
  const { cache: _cache, ...d } = staticDefaults();
  return Object.freeze(d);
})() as Readonly<Omit<TrainConfig, 'alpha' | 'minAlpha' | 'schedule' | 'threads' | 'window' | 'epochs'>>;

export { defaultAlpha };

/** Fill defaults and validate (the table in options.ts); throws UsageError on nonsense values. */
export function resolveConfig(partial: Partial<TrainConfig> = {}): TrainConfig {
  const { cache: _cache, ...cfg } = resolveOptions(partial) as unknown as TrainConfig & { cache: boolean };
  // The checks that need two options.
  if (cfg.loss === 'ns' && cfg.negative < 1)
    throw new UsageError(`--negative must be an integer from 1 to 1000 with --loss ns (got ${cfg.negative})`);
  if (cfg.minAlpha > cfg.alpha) throw new UsageError(`--min-alpha must be between 0 and --alpha (got ${cfg.minAlpha})`);
  if (cfg.method === 'fasttext' && cfg.maxn > 0 && cfg.minn > cfg.maxn)
    throw new UsageError(`--minn must be at most --maxn (got --minn ${cfg.minn} --maxn ${cfg.maxn})`);
  if (cfg.freeze && !cfg.init) throw new UsageError('--freeze needs --init MODEL|FILE: it keeps the rows taken from it');
  checkEncoding(cfg.encoding);
  return cfg;
}
