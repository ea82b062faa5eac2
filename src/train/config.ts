// Training options: defaults as word2vec.c / gensim, and validation with messages that say what to do.
import os from 'node:os';
import { UsageError } from '../errors.js';
import { checkEncoding } from '../text/corpus.js';

export type Arch = 'skipgram' | 'cbow';
export type Loss = 'ns' | 'hs';
export type TokenizerMode = 'auto' | 'space' | 'en' | 'zh' | 'char';
export type EngineName = 'auto' | 'js' | 'wasm' | 'tfjs';
/** TensorFlow.js backend for the tfjs engine (see src/tensor/backend.ts). */
export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

export interface TrainConfig {
  arch: Arch;
  loss: Loss;
  dim: number;
  window: number;
  negative: number;
  sample: number;
  alpha: number;
  minAlpha: number;
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
  /** The corpus encoding, a TextDecoder label; auto: UTF-8, or UTF-16 with a BOM (see text/corpus.ts). */
  encoding: string;
}

export const DEFAULTS = {
  arch: 'skipgram',
  loss: 'ns',
  dim: 100,
  window: 5,
  negative: 5,
  sample: 1e-3,
  epochs: 5,
  minCount: 5,
  maxVocab: 0,
  seed: 1,
  tokenizer: 'auto',
  lowercase: false,
  engine: 'auto',
  backend: 'auto',
  batchSize: 0,
  maxSentenceLength: 1000,
  encoding: 'auto',
} as const;

/** word2vec.c: 0.025 for skip-gram, 0.05 for CBOW. */
export function defaultAlpha(arch: Arch): number {
  return arch === 'cbow' ? 0.05 : 0.025;
}

function checkInt(name: string, v: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(v) || v < min || v > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
    throw new UsageError(`--${name} must be ${range} (got ${v})`);
  }
}

function oneOf<T extends string>(name: string, v: string, allowed: readonly T[]): T {
  if (!allowed.includes(v as T)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got '${v}')`);
  return v as T;
}

/** Fill defaults and validate; throws UsageError on nonsense values. */
export function resolveConfig(partial: Partial<TrainConfig> = {}): TrainConfig {
  const arch = oneOf('arch', partial.arch ?? DEFAULTS.arch, ['skipgram', 'cbow'] as const);
  const loss = oneOf('loss', partial.loss ?? DEFAULTS.loss, ['ns', 'hs'] as const);
  const alpha = partial.alpha ?? defaultAlpha(arch);
  const cfg: TrainConfig = {
    arch,
    loss,
    dim: partial.dim ?? DEFAULTS.dim,
    window: partial.window ?? DEFAULTS.window,
    negative: partial.negative ?? DEFAULTS.negative,
    sample: partial.sample ?? DEFAULTS.sample,
    alpha,
    minAlpha: partial.minAlpha ?? alpha * 1e-4,
    epochs: partial.epochs ?? DEFAULTS.epochs,
    minCount: partial.minCount ?? DEFAULTS.minCount,
    maxVocab: partial.maxVocab ?? DEFAULTS.maxVocab,
    seed: partial.seed ?? DEFAULTS.seed,
    threads: partial.threads ?? Math.max(1, os.availableParallelism?.() ?? os.cpus().length),
    tokenizer: oneOf('tokenizer', partial.tokenizer ?? DEFAULTS.tokenizer, ['auto', 'space', 'en', 'zh', 'char'] as const),
    lowercase: partial.lowercase ?? DEFAULTS.lowercase,
    engine: oneOf('engine', partial.engine ?? DEFAULTS.engine, ['auto', 'js', 'wasm', 'tfjs'] as const),
    backend: oneOf('backend', partial.backend ?? DEFAULTS.backend, ['auto', 'tensorflow', 'wasm', 'cpu'] as const),
    batchSize: partial.batchSize ?? DEFAULTS.batchSize,
    maxSentenceLength: partial.maxSentenceLength ?? DEFAULTS.maxSentenceLength,
    encoding: partial.encoding ?? DEFAULTS.encoding,
  };
  checkEncoding(cfg.encoding);
  checkInt('dim', cfg.dim, 1, 10000);
  checkInt('window', cfg.window, 1, 1000);
  checkInt('epochs', cfg.epochs, 1, 10000);
  checkInt('min-count', cfg.minCount, 1);
  checkInt('max-vocab', cfg.maxVocab, 0);
  checkInt('seed', cfg.seed, 0, 0xffffffff);
  checkInt('threads', cfg.threads, 1, 256);
  checkInt('batch-size', cfg.batchSize, 0, 1_000_000);
  checkInt('max-sentence-length', cfg.maxSentenceLength, 2, 1_000_000);
  if (cfg.loss === 'ns') checkInt('negative', cfg.negative, 1, 1000);
  else checkInt('negative', cfg.negative, 0, 1000);
  if (!(Number.isFinite(cfg.sample) && cfg.sample >= 0 && cfg.sample < 1))
    throw new UsageError(`--sample must be a number from 0 (off) to below 1, like 1e-3 (got ${cfg.sample})`);
  if (!(Number.isFinite(cfg.alpha) && cfg.alpha > 0 && cfg.alpha <= 10))
    throw new UsageError(`--alpha must be a positive learning rate like 0.025 (got ${cfg.alpha})`);
  if (!(Number.isFinite(cfg.minAlpha) && cfg.minAlpha >= 0 && cfg.minAlpha <= cfg.alpha))
    throw new UsageError(`--min-alpha must be between 0 and --alpha (got ${cfg.minAlpha})`);
  return cfg;
}

/**
 * word2vec.c's linear decay: alpha falls with the words processed over all epochs (all threads
 * together), and never below minAlpha.
 */
export function learningRate(cfg: TrainConfig, wordsDone: number, totalWords: number): number {
  const a = cfg.alpha * (1 - wordsDone / (cfg.epochs * totalWords + 1));
  return a < cfg.minAlpha ? cfg.minAlpha : a;
}
