// --init: what a training starts from. Either one of our word2vec models (continued: its vocabulary
// counts join the new corpus's, its settings are the defaults, its input rows and output weights are
// the start), or any vector file we can load (its rows start the shared words; nothing else is known).
// Every other row starts as a fresh run with the same seed would start it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { EmbedError, UsageError, quote } from '../errors.js';
import { loadModelFile } from '../io/load.js';
import type { ModelMeta } from '../io/native.js';
import { fillUniform } from '../engine/initial-rows.js';
import type { Vocabulary } from '../vocab/vocabulary.js';
import type { TrainConfig } from './config.js';

/** The file a word2vec model keeps its output weights in (README, "Model format"). */
export const OUTPUT_FILE = 'output.f32';

/** The settings a continued model keeps unless the command line gives them (not seed, threads, engine). */
const INHERITED = [
  'method',
  'arch',
  'loss',
  'dim',
  'window',
  'windowType',
  'negative',
  'sample',
  'nsExponent',
  'alpha',
  'minAlpha',
  'schedule',
  'epochs',
  'minCount',
  'maxVocab',
  'tokenizer',
  'lowercase',
  'items',
  'maxSentenceLength',
] as const;

export interface InitSource {
  path: string;
  /** 'model': one of our trained word2vec models, continued; 'vectors': rows only (a vector file, an imported model). */
  kind: 'model' | 'vectors';
  format: string;
  words: string[];
  /** Row-major, words.length × dim. */
  rows: Float32Array;
  dim: number;
  /** Corpus counts by word (kind 'model'): they join the new corpus's counts. */
  counts: Map<string, number> | null;
  /** The model's output weights and the loss they belong to (kind 'model', when it kept them). */
  output: { values: Float32Array; loss: string } | null;
  /** Settings the model was trained with, as defaults (kind 'model'). */
  defaults: Partial<TrainConfig>;
  notes: string[];
  warnings: string[];
}

/** Reads `--init`: refuses a missing file, another kind of model, or a dim or method that contradicts it. */
export function readInit(name: string, given: Partial<TrainConfig>, modelsDir: string): InitSource {
  // A path, or a model's name in the models directory (as --model takes it).
  const named = path.join(modelsDir, name);
  const file = fs.existsSync(name) || name.startsWith('.') || !fs.existsSync(named) ? name : named;
  if (!fs.existsSync(file))
    throw new EmbedError(`--init ${quote(name)} does not exist: give a model (a name or a directory) or a vector file`);
  const loaded = loadModelFile(file);
  const meta = loaded.meta as (ModelMeta & { training?: { config?: Partial<TrainConfig> } }) | null;
  const trained = meta?.training?.config;
  const method = trained?.method ?? 'word2vec';
  if (trained && method !== 'word2vec')
    throw new UsageError(`--init: continuing a ${method} model is not supported yet (word2vec only): train it anew without --init`);
  if (given.method && given.method !== 'word2vec')
    throw new UsageError(`--init starts word2vec models only (not --method ${given.method}): drop --method or --init`);
  const dim = loaded.kv.dim;
  if (given.dim !== undefined && given.dim !== dim)
    throw new UsageError(`--dim ${given.dim} does not match --init ${quote(file)}, which has dim ${dim}: drop --dim`);
  const kv = loaded.kv;
  const words = kv.words;
  const src: InitSource = {
    path: path.resolve(file),
    kind: trained ? 'model' : 'vectors',
    format: loaded.format,
    words,
    rows: kv.vectors,
    dim,
    counts: null,
    output: null,
    defaults: { dim },
    notes: [],
    warnings: [...loaded.warnings],
  };
  if (!trained) {
    src.warnings.push(`--init ${quote(file)} has vectors only: shared words start from them, output weights start fresh`);
    return src;
  }
  for (const key of INHERITED) if (trained[key] !== undefined) (src.defaults as Record<string, unknown>)[key] = trained[key];
  const counts = kv.counts;
  src.counts = new Map(words.map((w, i) => [w, counts ? counts[i] : 0]));
  src.output = readOutput(file, meta!, dim);
  if (!src.output)
    src.warnings.push(`--init ${quote(file)} has no output weights (trained before they were kept): only the input side is known`);
  return src;
}

/** The model's output weights if it kept them, checked against their record in meta.json. */
function readOutput(dir: string, meta: ModelMeta, dim: number): InitSource['output'] {
  const record = meta.files?.[OUTPUT_FILE];
  const info = meta.output as { loss?: string } | undefined;
  if (!record || !info?.loss) return null;
  const bytes = fs.readFileSync(path.join(dir, OUTPUT_FILE));
  const sha = crypto.createHash('sha256').update(bytes).digest('hex');
  if (bytes.length !== record.bytes || sha !== record.sha256 || bytes.length % (4 * dim))
    throw new EmbedError(`--init ${quote(dir)}: ${OUTPUT_FILE} is damaged (run embed verify); retrain the model`);
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  return { values, loss: info.loss };
}

/** Where a training starts: its input rows, output weights (null: zeros), frozen rows, and the words it shares with the source. */
export interface InitialWeights {
  input: Float32Array;
  output: Float32Array | null;
  frozen: Uint8Array | null;
  /** New row index of each shared word, and its source row (the old vectors, for drift). */
  sharedIndex: Int32Array;
  oldRows: Float32Array;
  notes: string[];
}

/** The initial weights of a training on `vocab` from `src` (cfg: the resolved settings). */
export function initialWeights(src: InitSource, vocab: Vocabulary, cfg: TrainConfig, outputRows: number): InitialWeights {
  const dim = src.dim;
  const V = vocab.words.length;
  const input = new Float32Array(V * dim);
  // The same seeded rows a fresh run draws; shared words' rows are then replaced.
  fillUniform(input, dim, cfg.seed);
  const srcIndex = new Map<string, number>();
  src.words.forEach((w, i) => srcIndex.has(w) || srcIndex.set(w, i));
  const shared: number[] = [];
  const from: number[] = [];
  for (let i = 0; i < V; i++) {
    const j = srcIndex.get(vocab.words[i]);
    if (j === undefined) continue;
    shared.push(i);
    from.push(j);
    input.set(src.rows.subarray(j * dim, (j + 1) * dim), i * dim);
  }
  const oldRows = new Float32Array(shared.length * dim);
  from.forEach((j, k) => oldRows.set(src.rows.subarray(j * dim, (j + 1) * dim), k * dim));
  const notes = [`--init: ${shared.length} of ${V} words start from ${src.path}`];
  let frozen: Uint8Array | null = null;
  if (cfg.freeze) {
    frozen = new Uint8Array(V);
    for (const i of shared) frozen[i] = 1;
  }
  let output: Float32Array | null = null;
  if (src.output && src.output.loss === cfg.loss && cfg.loss === 'ns') {
    // Negative sampling: one output row per word, kept by word; new words' rows start at zero as word2vec.c's.
    output = new Float32Array(outputRows * dim);
    const old = src.output.values;
    shared.forEach((i, k) => output!.set(old.subarray(from[k] * dim, (from[k] + 1) * dim), i * dim));
  } else if (src.output) {
    notes.push(
      cfg.loss === 'hs'
        ? '--init: hierarchical softmax output weights start at zero: the Huffman tree is rebuilt for the new counts'
        : `--init: the model's output weights are for --loss ${src.output.loss}: they start at zero`,
    );
  }
  return { input, output, frozen, sharedIndex: Int32Array.from(shared), oldRows, notes };
}
