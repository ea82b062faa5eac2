// The GloVe kind: the token-id file → co-occurrence records (counted and shuffled in bounded memory,
// corpus/cooccur.ts and corpus/shuffle.ts) → a GloVe job for an engine (engine/job.ts). Its trained
// vectors are W + W̃, as Stanford GloVe saves by default.
import fs from 'node:fs';
import type { TrainConfig } from './config.js';
import type { GloveJob, GloveParams, GloveState } from '../engine/job.js';
import type { EngineResult } from '../engine/engine.js';
import type { TokenCache } from '../corpus/token-cache.js';
import { countCooccurrences, type CooccurEvent, type CooccurStats } from '../corpus/cooccur.js';
import { shuffleRecordFile, type ShuffleEvent } from '../corpus/shuffle.js';

/** GloVe's lines are its contexts: cut only lines longer than this (the token cache buffers 64 of them). */
export const GLOVE_MAX_SENTENCE = 100_000;

export function gloveParams(cfg: TrainConfig): GloveParams {
  const { dim, epochs, alpha, xMax, gloveAlpha, gradClip, threads, seed } = cfg;
  return { dim, epochs, alpha, xMax, power: gloveAlpha, clip: gradClip, threads, seed };
}

export interface GloveRecords {
  path: string;
  records: number;
  /** sha256 of the shuffled file: a resumed run must count and shuffle the very same records. */
  digest: string;
  stats: CooccurStats & { countSeconds: number; shuffleSeconds: number; shuffleChunks: number };
}

/** Counts and shuffles the co-occurrences of `cache` into `dir` (removing the unshuffled file). */
export async function gloveRecords(
  cache: TokenCache,
  vocabSize: number,
  cfg: TrainConfig,
  dir: string,
  onEvent: (e: CooccurEvent | ShuffleEvent) => void,
  signal?: AbortSignal,
): Promise<GloveRecords> {
  const memoryBytes = cfg.memory * 1e9;
  const t0 = Date.now();
  const counted = await countCooccurrences(cache, { window: cfg.window, vocabSize, memoryBytes, dir, signal, onEvent });
  const t1 = Date.now();
  const shuffled = await shuffleRecordFile(counted, { memoryBytes, seed: cfg.seed, dir, signal, onEvent });
  fs.rmSync(counted.path, { force: true });
  const { path: _p, records: _r, ...stats } = counted;
  return {
    path: shuffled.path,
    records: shuffled.records,
    digest: shuffled.digest,
    stats: { ...stats, countSeconds: (t1 - t0) / 1000, shuffleSeconds: (Date.now() - t1) / 1000, shuffleChunks: shuffled.chunks },
  };
}

export function gloveJob(
  cfg: TrainConfig,
  vocabSize: number,
  records: { path: string; records: number },
  resume: GloveState | null = null,
): GloveJob {
  return {
    objective: 'glove',
    params: gloveParams(cfg),
    records: { path: records.path, records: records.records },
    vocabSize,
    resume,
    returnState: true,
  };
}

/** The files of a GloVe model's training state, beside vocab.tsv and vectors.f32. */
export const GLOVE_STATE_FILES = ['glove-weights.f32', 'glove-biases.f32', 'glove-gradsq.f32', 'glove-bias-gradsq.f32'];

export function gloveStateFiles(g: NonNullable<EngineResult['glove']>): Record<string, Float32Array> {
  const [w, b, gs, bgs] = GLOVE_STATE_FILES;
  return { [w]: g.weights, [b]: g.biases, [gs]: g.gradsq, [bgs]: g.biasGradsq };
}
