// The engine interface: the hot loop that runs a job (job.ts) and hands back the trained weights.
// Engines never touch text or files other than the job's token-id file, and never print.
import type { GloveArrays, GloveState, Job, SentenceParams, WorkerPosition } from './job.js';
import type { BackendChoice } from '../tensor/backend.js';

export interface EngineProgress {
  /** Words processed so far by all workers over all epochs (counting words dropped by subsampling), as word2vec.c counts. */
  wordsDone: number;
  /** epochs × the corpus's token count */
  wordsTotal: number;
  epoch: number; // 1-based, the epoch of the slowest worker
  alpha: number;
  /** Average loss per predicted target since the previous report (NaN if nothing trained in between). */
  loss: number;
}

export interface EngineHooks {
  /** Called at least every ~200 ms of training. */
  onProgress?: (p: EngineProgress) => void;
  /** When aborted, the engine stops soon (well under a second) and train() rejects with InterruptedError. */
  signal?: AbortSignal;
  /**
   * When aborted, the workers stop at their next sentence and train() resolves with `paused` and the
   * positions to resume from (checkpoints). Engines without resume support ignore it.
   */
  pause?: AbortSignal;
  /**
   * GloVe: `save` receives the whole state (fresh copies, the callee's to keep) at every iteration end
   * but the last and, when everySeconds > 0, that often within an iteration (the workers pause after
   * their current block of records, and go on once it is copied). The engine awaits `ready` (the
   * previous save written) before it copies.
   */
  gloveCheckpoints?: { everySeconds: number; ready: () => Promise<void>; save: (s: GloveState) => void };
}

export interface EngineResult {
  wordsDone: number;
  /** Pairs (skip-gram) or windows (CBOW) trained. */
  examples: number;
  finalLoss: number;
  /** A line for --verbose and the model metadata, e.g. 'wasm simd, 2 threads'. */
  details: string;
  /** The trained input rows. */
  input: Float32Array;
  /**
   * True when `input` is a view of the engine's own memory, which a next job handed these rows back
   * (a checkpointed segment) trains in place: whoever keeps them meanwhile (a checkpoint being
   * written) must be done with them before that job starts.
   */
  inputInPlace?: boolean;
  /** With job.returnState: the output weights and each worker's random state at the end. */
  output?: Float32Array;
  rng?: Uint32Array;
  /** With job.returnState: where each worker stopped (job.resume of the next job). */
  positions?: WorkerPosition[];
  /** True when hooks.pause stopped the job before its last epoch ended. */
  paused?: boolean;
  /** With job.returnState: working memory a next job (the next segment) may reuse, as job.scratch. */
  scratch?: unknown;
  /** GloVe with job.returnState: W and W̃ (2V rows × dim: words, then contexts), their biases (2V) and AdaGrad sums. */
  glove?: GloveArrays;
}

/** How an engine runs, as opposed to what it computes: today only the tfjs engine has settings. */
export interface EngineSettings {
  /** TensorFlow.js backend: auto = native TensorFlow if installed, else wasm, else cpu. */
  backend: BackendChoice;
  /** Examples per minibatch; 0 = the engine's default. */
  batchSize: number;
}

export interface Engine {
  readonly name: 'js' | 'wasm' | 'tfjs';
  /** Why this engine cannot run `job` (an objective or feature it lacks), or null if it can. */
  unsupported(job: Job): string | null;
  train(job: Job, hooks?: EngineHooks): Promise<EngineResult>;
  /**
   * Optional: what will run, before training (e.g. the tfjs backend), for the progress header, plus
   * notes for --verbose (e.g. why native TensorFlow was not used).
   */
  describe?(params: SentenceParams): Promise<{ details: string; notes: string[] }>;
}
