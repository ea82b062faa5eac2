// The engine interface: the hot loop that turns a token cache into trained weights.
// The trainer (src/train/trainer.ts) builds everything an engine needs (vocabulary tables, initial
// weights, the token cache) and hands it over as an EngineSetup; engines never touch text or files
// other than the token cache, and never print.
import type { TrainConfig } from '../train/config.js';
import type { HuffmanCodes } from '../vocab/huffman.js';
import type { TokenCache } from '../train/token-cache.js';

export interface EngineSetup {
  config: TrainConfig;
  vocabSize: number;
  /** Subsampling keep-probability per word id (1 = always keep). */
  keepProb: Float32Array;
  /** Unigram^0.75 table for negative sampling (loss 'ns'), else null. */
  negTable: Int32Array | null;
  /** Huffman codes for hierarchical softmax (loss 'hs'), else null. */
  huffman: HuffmanCodes | null;
  /**
   * The input vectors, row-major [vocabSize × dim], randomly initialised: the engine trains them in
   * place (an engine that works on its own copy copies the result back before train() resolves).
   */
  input: Float32Array;
  /**
   * Rows of the output weights (vocabSize for 'ns', vocabSize-1 inner nodes for 'hs'). They start at
   * zero, as in word2vec.c, and are the engine's own: only the input vectors are saved, so the
   * trainer never holds a copy of them (tens of MB on a big vocabulary).
   */
  outputRows: number;
  cache: TokenCache;
}

export interface EngineProgress {
  /** Words processed so far by all workers over all epochs (counting words dropped by subsampling), as word2vec.c counts. */
  wordsDone: number;
  /** epochs × cache.tokenCount */
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
}

export interface EngineResult {
  wordsDone: number;
  /** Pairs (skip-gram) or windows (CBOW) trained. */
  examples: number;
  finalLoss: number;
  /** A line for --verbose and the model metadata, e.g. 'wasm simd, 2 threads'. */
  details: string;
}

export interface Engine {
  readonly name: 'js' | 'wasm' | 'tfjs';
  train(setup: EngineSetup, hooks?: EngineHooks): Promise<EngineResult>;
  /**
   * Optional: what will run, before training (e.g. the tfjs backend), for the progress header, plus
   * notes for --verbose (e.g. why native TensorFlow was not used).
   */
  describe?(config: TrainConfig): Promise<{ details: string; notes: string[] }>;
}
