// The training options, declared once (as npm-check-updates' cli-options.ts): this table feeds the
// CLI's commander options, the validation of train()'s input, the library's defaults (config.ts) and
// the README's `embed train` table (test/options-table.test.mjs checks that they agree).
// Adding an option is one entry here, plus its field in TrainConfig.
import os from 'node:os';
import { UsageError } from '../errors.js';
import { DEFAULT_TFJS_BATCH } from '../engine/tfjs/defaults.js';
import type { TokenizerMode } from '../text/tokenize.js';
import { ENGINE_NAMES } from '../engine/names.js';
import type { BackendChoice } from '../tensor/backend.js';

export type OptionType = 'int' | 'float' | 'choice' | 'bool' | 'string';
export type OptionValue = number | string | boolean;
/** The options resolved so far (earlier entries of the table), for defaults that depend on them. */
export type ResolvedSoFar = Readonly<Record<string, OptionValue>>;

export interface OptionSpec {
  /** The CLI flag, e.g. '--dim' ('--no-cache' for a bool that defaults to true); absent: library only. */
  flag?: string;
  short?: string;
  /** The camelCase option name (commander derives the same from the flag). */
  key: string;
  type: OptionType;
  /** The placeholder in --help, e.g. 'n' in `--dim <n>`. */
  arg?: string;
  choices?: readonly string[];
  min?: number;
  max?: number;
  /** The bound itself is not allowed (floats). */
  minExclusive?: boolean;
  maxExclusive?: boolean;
  /** A value, or a function of the options before it in the table (alpha depends on arch). */
  default: OptionValue | ((o: ResolvedSoFar) => OptionValue);
  /** How --help and the README show a default that is a function. */
  defaultText?: string;
  /** The default with --items (item mode), where it differs from `default`: explicit values still win. */
  itemDefault?: OptionValue;
  description: string;
}

/** Hardware threads: the default for --threads. */
function cores(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

/** word2vec.c: 0.025 for skip-gram, 0.05 for CBOW. */
export function defaultAlpha(arch: string): number {
  return arch === 'cbow' ? 0.05 : 0.025;
}

export const ARCHS = ['skipgram', 'cbow'] as const;
const isGlove = (o: ResolvedSoFar) => o.method === 'glove';
export const LOSSES = ['ns', 'hs'] as const;
export const METHODS = ['word2vec', 'fasttext', 'glove'] as const;
/** --minn/--maxn when the tokenizer is Chinese and neither is given (measured: README, "fastText numbers"). */
export const CHINESE_NGRAMS = { minn: 1, maxn: 2 } as const;

/** --window-type: see the js kernel's windowBounds (src/engine/js/kernel.ts). */
export const WINDOW_TYPES = ['dynamic', 'fixed', 'sentence'] as const;

/** --schedule: see src/engine/schedule.ts. */
export const SCHEDULES = ['linear', 'word2vec', 'gensim'] as const;
/**
 * The linear schedule ends at alpha / 5. With word2vec.c's decay to ~0, embed scored below gensim (whose
 * corpus_file schedule ends near alpha / 10 with 2 workers) on 2M–10M words; ending at alpha / 10 still
 * lost WordSim on 2M-word CBOW, alpha / 5 did not (README, "Learning-rate schedule").
 */
const LINEAR_FINAL_ALPHA = 0.2;

/** In resolution order: a function default sees the entries above it. */
export const TRAIN_OPTIONS: readonly OptionSpec[] = [
  // First: the entries below with an itemDefault read it (README, "Items (recommendation)").
  {
    flag: '--items',
    key: 'items',
    type: 'bool',
    default: false,
    description:
      'item mode (recommendation): each line a sequence or basket of ids separated by whitespace, taken verbatim (no normalisation, no lowercasing, lines not cut); --min-count defaults to 1',
  },
  {
    flag: '--method',
    key: 'method',
    type: 'choice',
    arg: 'method',
    choices: METHODS,
    default: 'word2vec',
    description:
      "what is learned: word2vec (one row per word), fasttext (a word's row plus its character n-gram rows), or glove (global co-occurrence counts)",
  },
  { flag: '--arch', key: 'arch', type: 'choice', arg: 'arch', choices: ARCHS, default: 'skipgram', description: 'model architecture' },
  {
    flag: '--loss',
    key: 'loss',
    type: 'choice',
    arg: 'loss',
    choices: LOSSES,
    default: 'ns',
    description: 'ns: negative sampling, hs: hierarchical softmax',
  },
  { flag: '--dim', key: 'dim', type: 'int', arg: 'n', min: 1, max: 10000, default: 100, description: 'vector dimensions' },
  {
    flag: '--window',
    key: 'window',
    type: 'int',
    arg: 'n',
    min: 1,
    max: 1000,
    default: (o) => (isGlove(o) ? 10 : 5),
    defaultText: '5, glove 10',
    description: 'maximum context window (word2vec: a random size up to this per word; glove: symmetric, pairs weighted 1/distance)',
  },
  {
    flag: '--window-type',
    key: 'windowType',
    type: 'choice',
    arg: 'type',
    choices: WINDOW_TYPES,
    default: 'dynamic',
    description:
      "dynamic: word2vec's window, shrunk at random per word; fixed: always --window words each side; sentence: every other word of the line is context (item2vec), on lines longer than 2×window+1 a random 2×window of them (the line is shuffled, seeded, each epoch)",
  },
  // With --loss ns at least 1: checked in resolveConfig, which sees both.
  {
    flag: '--negative',
    key: 'negative',
    type: 'int',
    arg: 'n',
    min: 0,
    max: 1000,
    default: 5,
    description: 'negative samples per positive pair (with --loss ns)',
  },
  // fastText's option names. Checked against each other in resolveConfig (minn <= maxn).
  {
    flag: '--minn',
    key: 'minn',
    type: 'int',
    arg: 'n',
    min: 1,
    max: 100,
    default: 3,
    description: 'with --method fasttext: shortest character n-gram of <word> (Chinese text: 1)',
  },
  {
    flag: '--maxn',
    key: 'maxn',
    type: 'int',
    arg: 'n',
    min: 0,
    max: 100,
    default: 6,
    description: 'with --method fasttext: longest character n-gram of <word> (0: no n-grams; Chinese text: 2)',
  },
  {
    flag: '--bucket',
    key: 'bucket',
    type: 'int',
    arg: 'n',
    min: 1,
    max: 100_000_000,
    default: 2_000_000,
    description: 'with --method fasttext: hash buckets (rows) for the n-grams; memory is bucket × dim × 4 bytes (800 MB at dim 100)',
  },
  {
    flag: '--sample',
    key: 'sample',
    type: 'float',
    arg: 't',
    min: 0,
    max: 1,
    maxExclusive: true,
    default: 1e-3,
    description: 'subsampling threshold for frequent words (0 = off)',
  },
  {
    flag: '--ns-exponent',
    key: 'nsExponent',
    type: 'float',
    arg: 'x',
    min: -10,
    max: 10,
    default: 0.75,
    description: 'negatives are drawn with probability ∝ count^x (word2vec: 0.75; 1: by frequency, 0: uniform, < 0: rare words first)',
  },
  {
    flag: '--alpha',
    key: 'alpha',
    type: 'float',
    arg: 'rate',
    min: 0,
    minExclusive: true,
    max: 10,
    default: (o) => (isGlove(o) ? 0.05 : defaultAlpha(String(o.arch))),
    defaultText: '0.025 skip-gram, 0.05 CBOW and glove',
    description: 'initial learning rate',
  },
  {
    flag: '--schedule',
    key: 'schedule',
    type: 'choice',
    arg: 'mode',
    choices: SCHEDULES,
    default: (o) => (o.method === 'word2vec' && !o.items ? 'linear' : 'word2vec'),
    defaultText: 'linear; fasttext and --items: word2vec',
    description:
      "how the learning rate falls from --alpha to --min-alpha over all epochs: linear (straight); word2vec (word2vec.c's, bit for bit with its --min-alpha default); gensim (gensim's corpus_file staircase, which depends on --threads)",
  },
  // At most --alpha: checked in resolveConfig.
  {
    flag: '--min-alpha',
    key: 'minAlpha',
    type: 'float',
    arg: 'rate',
    min: 0,
    max: 10,
    default: (o) => Number(o.alpha) * (o.schedule === 'linear' ? LINEAR_FINAL_ALPHA : 1e-4),
    defaultText: 'alpha / 5 with --schedule linear, else alpha × 1e-4',
    description: 'final learning rate',
  },
  {
    flag: '--epochs',
    key: 'epochs',
    type: 'int',
    arg: 'n',
    min: 1,
    max: 10000,
    default: (o) => (isGlove(o) ? 15 : 5),
    defaultText: '5, glove 15',
    description: 'passes over the corpus (glove: iterations over the co-occurrence records)',
  },
  {
    flag: '--x-max',
    key: 'xMax',
    type: 'float',
    arg: 'x',
    min: 0,
    minExclusive: true,
    max: 1e12,
    default: 100,
    description: 'glove: co-occurrence count at which the weighting f(x) reaches 1 (GloVe: 100; its text8 demo uses 10)',
  },
  {
    flag: '--glove-alpha',
    key: 'gloveAlpha',
    type: 'float',
    arg: 'p',
    min: 0,
    max: 10,
    default: 0.75,
    description: 'glove: exponent of the weighting f(x) = (x / x-max)^p below x-max (the learning rate is --alpha)',
  },
  {
    flag: '--memory',
    key: 'memory',
    type: 'float',
    arg: 'GB',
    min: 0.0001,
    max: 4096,
    default: 1,
    description: 'glove: memory for counting and shuffling co-occurrences, in GB; the rest is spilled to temporary files',
  },
  {
    flag: '--min-count',
    key: 'minCount',
    type: 'int',
    arg: 'n',
    min: 1,
    default: 5,
    itemDefault: 1,
    description: 'ignore words seen fewer times',
  },
  {
    flag: '--max-vocab',
    key: 'maxVocab',
    type: 'int',
    arg: 'n',
    min: 0,
    default: 0,
    description: 'keep at most this many most frequent words (0 = no limit)',
  },
  {
    flag: '--seed',
    key: 'seed',
    type: 'int',
    arg: 'n',
    min: 0,
    max: 0xffffffff,
    default: 1,
    description: 'random seed; with --threads 1 training is reproducible bit for bit',
  },
  {
    flag: '--threads',
    key: 'threads',
    type: 'int',
    arg: 'n',
    min: 1,
    max: 256,
    default: cores,
    defaultText: 'number of cores',
    description: 'worker threads',
  },
  {
    flag: '--tokenizer',
    key: 'tokenizer',
    type: 'choice',
    arg: 'mode',
    choices: ['auto', 'space', 'en', 'zh', 'char', 'ids'] satisfies TokenizerMode[],
    default: 'auto',
    itemDefault: 'ids',
    description:
      'space: split on whitespace (pre-tokenised text); en: words; zh: Chinese word segmentation; char: one token per Han character; ids: split on whitespace, verbatim (no NFKC); auto: by script',
  },
  {
    flag: '--encoding',
    key: 'encoding',
    type: 'string',
    arg: 'name',
    default: 'auto',
    description: 'corpus encoding: any TextDecoder label (utf-8, latin1, gb18030, big5, utf-16le, …); auto: UTF-8, or UTF-16 with a BOM',
  },
  { flag: '--lowercase', key: 'lowercase', type: 'bool', default: false, description: 'lowercase the text (queries are lowercased too)' },
  {
    flag: '--phrases',
    key: 'phrases',
    type: 'int',
    arg: 'passes',
    min: 0,
    max: 10,
    default: 0,
    description: 'join phrases first (new york → new_york), as embed phrases with this many passes (0: off)',
  },
  {
    flag: '--phrases-threshold',
    key: 'phrasesThreshold',
    type: 'float',
    arg: 'x',
    min: 0,
    default: 100,
    description: "with --phrases: the last pass's word2phrase threshold (each earlier pass doubles it)",
  },
  {
    flag: '--no-cache',
    key: 'cache',
    type: 'bool',
    default: true,
    description: 'do not reuse or store the segmented Chinese corpus in <models-dir>/.cache',
  },
  {
    flag: '--engine',
    key: 'engine',
    type: 'choice',
    arg: 'engine',
    choices: ENGINE_NAMES,
    default: 'auto',
    description: 'training engine (auto: fastest available)',
  },
  {
    flag: '--backend',
    key: 'backend',
    type: 'choice',
    arg: 'backend',
    choices: ['auto', 'tensorflow', 'wasm', 'cpu'] satisfies BackendChoice[],
    default: 'auto',
    description:
      'TensorFlow.js backend for --engine tfjs (auto: native TensorFlow if @tensorflow/tfjs-node is installed, else wasm, else cpu)',
  },
  {
    flag: '--batch-size',
    key: 'batchSize',
    type: 'int',
    arg: 'n',
    min: 0,
    max: 1_000_000,
    default: 0,
    description: `examples per minibatch for --engine tfjs (0: ${DEFAULT_TFJS_BATCH.skipgramNs} for skip-gram/ns, else ${DEFAULT_TFJS_BATCH.other}); bigger is faster per pair but staler`,
  },
  {
    flag: '--checkpoint-every',
    key: 'checkpointEvery',
    type: 'float',
    arg: 'seconds',
    min: 0,
    max: 1e6,
    default: 300,
    description: 'write a checkpoint at every epoch end and at least this often (0: at epoch ends only)',
  },
  {
    flag: '--resume',
    key: 'resume',
    type: 'bool',
    default: false,
    description: "continue from this model's last checkpoint (same corpus and options)",
  },
  {
    flag: '--init',
    key: 'init',
    type: 'string',
    arg: 'model|file',
    default: '',
    description:
      'start from a model (continue it: vocabulary grows, known rows and output weights kept) or any vector file (shared words take its vectors)',
  },
  {
    flag: '--freeze',
    key: 'freeze',
    type: 'bool',
    default: false,
    description: 'with --init: keep the rows taken from it unchanged (runs on the js engine)',
  },
  // Library only (glove.c's grad_clip_value).
  {
    key: 'gradClip',
    type: 'float',
    min: 0,
    minExclusive: true,
    default: 100,
    description: 'glove: gradient components are clipped to ±this',
  },
  // Library only (word2vec.c's MAX_SENTENCE_LENGTH): longer lines are split.
  {
    key: 'maxSentenceLength',
    type: 'int',
    min: 2,
    max: 1_000_000,
    default: 1000,
    itemDefault: 1_000_000,
    description: 'longest sentence handed to an engine, in tokens',
  },
];

/** How messages name an option: its flag, or its key where the CLI has none. */
export function optionName(spec: OptionSpec): string {
  return spec.flag && !spec.flag.startsWith('--no-') ? spec.flag : spec.key;
}

function rangeText(spec: OptionSpec): string {
  const { min, max } = spec;
  if (spec.type === 'int') {
    if (min !== undefined && max !== undefined) return `an integer from ${min} to ${max}`;
    return min !== undefined ? `an integer >= ${min}` : 'an integer';
  }
  // Floats: "from 0 to below 1", "above 0 and at most 10", "from 0 to 10".
  if (min === undefined && max === undefined) return 'a number';
  const lo = min === undefined ? '' : spec.minExclusive ? `above ${min}` : `from ${min}`;
  if (max === undefined) return `a number ${lo}`;
  const hi = spec.maxExclusive ? `below ${max}` : lo.startsWith('from') ? `${max}` : `at most ${max}`;
  return lo ? `a number ${lo} ${lo.startsWith('from') ? 'to' : 'and'} ${hi}` : `a number ${hi}`;
}

function shown(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : String(v);
}

/** Throws UsageError unless v is a valid value of the option (the CLI and train() say the same). */
export function checkOption(spec: OptionSpec, v: unknown): OptionValue {
  const name = optionName(spec);
  switch (spec.type) {
    case 'choice':
      if (typeof v !== 'string' || !spec.choices!.includes(v))
        throw new UsageError(`${name} must be one of ${spec.choices!.join(', ')} (got ${shown(v)})`);
      return v;
    case 'bool':
      if (typeof v !== 'boolean') throw new UsageError(`${name} must be true or false (got ${shown(v)})`);
      return v;
    case 'string':
      if (typeof v !== 'string') throw new UsageError(`${name} must be a string (got ${shown(v)})`);
      return v;
    case 'int':
    case 'float': {
      const n = v as number;
      const ok =
        typeof v === 'number' &&
        (spec.type === 'int' ? Number.isSafeInteger(n) : Number.isFinite(n)) &&
        (spec.min === undefined || (spec.minExclusive ? n > spec.min : n >= spec.min)) &&
        (spec.max === undefined || (spec.maxExclusive ? n < spec.max : n <= spec.max));
      if (!ok) throw new UsageError(`${name} must be ${rangeText(spec)} (got ${shown(v)})`);
      return n;
    }
  }
}

/** Parses and checks a command-line argument (commander's argParser). */
export function parseOption(spec: OptionSpec, text: string): OptionValue {
  if (spec.type === 'int' || spec.type === 'float') {
    const t = text.trim();
    const n = Number(t);
    const looks = spec.type === 'int' ? /^[+-]?\d+$/.test(t) : t !== '' && Number.isFinite(n);
    if (!looks) throw new UsageError(`${optionName(spec)} must be ${rangeText(spec)} (got ${shown(text)})`);
    return checkOption(spec, n);
  }
  return checkOption(spec, text);
}

/** Every option of the table: given (and valid) or its default. Keys not in the table are left alone. */
export function resolveOptions(given: Readonly<Record<string, unknown>>): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {};
  for (const spec of TRAIN_OPTIONS) {
    const v = given[spec.key];
    const def = out.items === true && spec.itemDefault !== undefined ? spec.itemDefault : spec.default;
    out[spec.key] = v === undefined ? (typeof def === 'function' ? def(out) : def) : checkOption(spec, v);
  }
  return out;
}

/** The defaults that are plain values (not functions of other options). */
export function staticDefaults(): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {};
  for (const spec of TRAIN_OPTIONS) if (typeof spec.default !== 'function') out[spec.key] = spec.default;
  return out;
}
