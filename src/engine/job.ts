// What an engine is asked to do: a job of plain numbers and typed arrays for one objective. Jobs know
// nothing of tokenizers, files (other than the token-id file) or the CLI; a kind of model (src/train/)
// builds one, and turns the trained weights back into vectors.
//
// Objectives: 'sentences' (skip-gram or CBOW, negative sampling or hierarchical softmax, over the
// sentences of a token-id file) is the one today. Another objective (GloVe's co-occurrence records with
// AdaGrad state) joins the Job union with a job type of its own, without touching this one.
import type { HuffmanCodes } from '../vocab/huffman.js';
import type { Schedule } from './schedule.js';
import type { TokenCache } from '../corpus/token-cache.js';

export type Arch = 'skipgram' | 'cbow';
export type Loss = 'ns' | 'hs';
/**
 * How a centre word's context is chosen: 'dynamic' (word2vec.c: a window shrunk by a random b in
 * [0, window) per word), 'fixed' (always `window` words each side), 'sentence' (item2vec: every other
 * word of the sentence; a sentence longer than 2·window+1 is shuffled first and each word takes the
 * 2·window words around it in the shuffled order, a random sample that keeps the cost linear).
 */
export type WindowType = 'dynamic' | 'fixed' | 'sentence';

/** The scalar settings of a sentence job: plain values, cheap to hand to every worker thread. */
export interface SentenceParams {
  arch: Arch;
  loss: Loss;
  dim: number;
  window: number;
  /** Absent: 'dynamic' (jobs built before the option existed). */
  windowType?: WindowType;
  /** Negative samples per target (loss 'ns'). */
  negative: number;
  /** The learning rate falls from alpha towards minAlpha over all epochs, as schedule says (schedule.ts). */
  alpha: number;
  minAlpha: number;
  /** Absent: 'word2vec', word2vec.c's (jobs and checkpoints from before the option). */
  schedule?: Schedule;
  epochs: number;
  /**
   * The job pauses once every worker has finished this epoch (the last one to finish it raises the pause;
   * the others stop at their next sentence): epochs for a whole run, less for a segment.
   */
  lastEpoch: number;
  /** Seeds each worker's random stream (unless weights.rng hands the streams in). */
  seed: number;
  threads: number;
  /** The longest sentence of the token-id file, in ids. */
  maxSentenceLength: number;
}

/**
 * The input rows that make up each input word, as a compressed list: word w's rows are
 * rows[offsets[w] .. offsets[w+1]). Its hidden vector is their mean, and every one of them receives
 * its gradient (fastText: the word's row plus one row per character n-gram). Null in a job means
 * word w is input row w alone (word2vec).
 */
export interface InputRows {
  offsets: Int32Array;
  rows: Int32Array;
  /** Rows of the input matrix (vocabulary words plus n-gram buckets). */
  count: number;
}

/**
 * Where a worker stands, to go on exactly where it stopped: the epoch in progress, the token-id offset
 * of its next sentence, and its share of the schedule (alpha is refreshed every 10,000 words, so the
 * value in use and the words since the refresh are part of the state).
 */
export interface WorkerPosition {
  epoch: number;
  position: number;
  wordsDone: number;
  sinceUpdate: number;
  alpha: number;
}

/** Initial input rows: given values (continued training), or uniform in [-1/dim, 1/dim) from a seed (rng.ts). */
export type InitialRows = Float32Array | { uniformSeed: number };

export interface SentenceJob {
  objective: 'sentences';
  params: SentenceParams;
  /** The corpus as sentences of word ids (corpus/token-cache.ts). */
  corpus: TokenCache;
  vocabSize: number;
  /** Subsampling keep-probability per word id (1 = always keep). */
  keepProb: Float32Array;
  /** Unigram^nsExponent table for negative sampling (loss 'ns'), else null. */
  negTable: Int32Array | null;
  /** Huffman codes for hierarchical softmax (loss 'hs'), else null. */
  huffman: HuffmanCodes | null;
  inputRows: InputRows | null;
  /**
   * Per word, 1 = its input row is frozen (--freeze: rows taken from --init stay bit-identical); the
   * kernel never adds a gradient to it. Absent or null: every row trains. The wasm and js engines have it.
   */
  frozen?: Uint8Array | null;
  /** Rows of the output weights: vocabSize for 'ns', vocabSize - 1 inner nodes for 'hs'. */
  outputRows: number;
  weights: {
    input: InitialRows;
    /** Output weights to start from (continued training); null: zeros, as word2vec.c. */
    output: Float32Array | null;
    /** One random state per worker to start from (resuming); null: derived from params.seed. */
    rng: Uint32Array | null;
  };
  /** One position per worker to start from (resuming a stopped job); null: the start of epoch 1. */
  resume: WorkerPosition[] | null;
  /**
   * Whether the result hands back the output weights and the random states too (continued training,
   * checkpoints). Off by default: only the input rows are saved, and the output weights are tens of MB.
   */
  returnState: boolean;
  /**
   * The previous segment's EngineResult.scratch (checkpointed segments): working memory the engine
   * may take again instead of allocating its like. Opaque outside the engine that made it.
   */
  scratch?: unknown;
}

/** The scalar settings of a GloVe job (Stanford GloVe's glove.c). */
export interface GloveParams {
  dim: number;
  /** Iterations over the records. */
  epochs: number;
  /** AdaGrad's initial learning rate (glove.c: eta, 0.05). */
  alpha: number;
  /** The weighting function f(x) = min(1, (x / xMax)^power). */
  xMax: number;
  power: number;
  /** Each gradient component is clipped to [-clip, clip] (glove.c: grad_clip_value, 100). */
  clip: number;
  threads: number;
  /** Seeds the initial weights. */
  seed: number;
}

/** GloVe's arrays: W and W̃ (2V rows × dim: words, then contexts), their biases (2V) and AdaGrad sums. */
export interface GloveArrays {
  weights: Float32Array;
  biases: Float32Array;
  gradsq: Float32Array;
  biasGradsq: Float32Array;
}

/**
 * Where a GloVe fit stands, to go on exactly there. The fit draws no random numbers after the seeded
 * initial weights (which the arrays replace), so this is all of it.
 */
export interface GloveState extends GloveArrays {
  /** Iterations finished. */
  iteration: number;
  /** Per worker, in the next iteration: the next record to fit (its share's start if none yet), the cost so far. */
  positions: number[];
  costs: number[];
  /** Records skipped so far (an update that was not finite), all iterations. */
  skipped: number;
  /** The last finished iteration's cost per record (NaN before the first). */
  loss: number;
}

/** GloVe: AdaGrad over the shuffled co-occurrence records of corpus/cooccur.ts. */
export interface GloveJob {
  objective: 'glove';
  params: GloveParams;
  /** The record file (16 bytes a record: int32 i, int32 j, float64 x), shuffled. */
  records: { path: string; records: number };
  vocabSize: number;
  /** The state to go on from (resuming a stopped fit); null: seeded initial weights, iteration 1. */
  resume: GloveState | null;
  /** Whether the result hands back W, W̃, the biases and the AdaGrad sums (glove in EngineResult). */
  returnState: boolean;
}

/** Every objective an engine may be given. */
export type Job = SentenceJob | GloveJob;

/** Input rows of a sentence job's input matrix. */
export function inputRowCount(job: SentenceJob): number {
  return job.inputRows ? job.inputRows.count : job.vocabSize;
}
