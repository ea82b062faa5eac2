// The fastText kind (Bojanowski et al. 2017): word2vec whose input word is a bag of rows, its own row
// plus one row per character n-gram of "<word>" hashed into `bucket` rows (vocab/subwords.ts). The job
// is word2vec's with the row lists; the trained rows become composed word vectors (the mean of each
// word's rows, so an in-vocabulary query stays one row read) and the trained n-gram rows, which answer
// words outside the vocabulary.
import os from 'node:os';
import { EmbedError } from '../errors.js';
import type { TrainConfig } from './config.js';
import type { SentenceJob } from '../engine/job.js';
import type { Vocabulary } from '../vocab/vocabulary.js';
import type { TokenCache } from '../corpus/token-cache.js';
import { meanOfRows, wordRowLists, type SubwordSettings } from '../vocab/subwords.js';
import { word2vecJob } from './word2vec.js';

export function subwordSettings(cfg: TrainConfig): SubwordSettings {
  return { minn: cfg.minn, maxn: cfg.maxn, bucket: cfg.maxn > 0 ? cfg.bucket : 0 };
}

const GB = 1e9;

/**
 * Refuses, with one line, n-gram rows that cannot fit: the input matrix is (words + bucket) × dim
 * float32 (800 MB for the default 2,000,000 × 100; 2.4 GB at dim 300), allocated once, and copied once
 * when training ends. The wasm engine's 4 GiB limit is checked by the engine itself.
 */
export function checkBucketMemory(cfg: TrainConfig, words: number): void {
  const s = subwordSettings(cfg);
  const bytes = (words + s.bucket) * cfg.dim * 4;
  const limit = os.totalmem() * 0.45; // the rows and their copy at the end
  if (bytes > limit)
    throw new EmbedError(
      `--bucket ${cfg.bucket} at --dim ${cfg.dim} needs ${(bytes / GB).toFixed(1)} GB of n-gram rows (twice that at the end of training), more than this machine's ${(os.totalmem() / GB).toFixed(1)} GB allow: lower --bucket or --dim`,
    );
}

/** word2vec's job, with each word's row list (computed once) and bucket more input rows. */
export function fasttextJob(cfg: TrainConfig, vocab: Vocabulary, corpus: TokenCache): SentenceJob {
  checkBucketMemory(cfg, vocab.words.length);
  const job = word2vecJob(cfg, vocab, corpus);
  job.inputRows = wordRowLists(vocab.words, subwordSettings(cfg));
  return job;
}

export interface SubwordResult {
  /** Composed word vectors, vocabSize × dim. */
  vectors: Float32Array;
  /** The buckets some vocabulary word uses (ascending) and their trained rows; the others were never trained. */
  ngramIds: Int32Array;
  ngramRows: Float32Array;
}

/** Trained input rows → composed word vectors and the trained n-gram rows. */
export function composeTrained(job: SentenceJob, input: Float32Array, dim: number): SubwordResult {
  const lists = job.inputRows!;
  const V = job.vocabSize;
  const vectors = new Float32Array(V * dim);
  for (let w = 0; w < V; w++)
    meanOfRows(input, dim, lists.rows, vectors.subarray(w * dim, (w + 1) * dim), lists.offsets[w], lists.offsets[w + 1]);
  const used = new Uint8Array(lists.count - V);
  for (let k = 0; k < lists.rows.length; k++) if (lists.rows[k] >= V) used[lists.rows[k] - V] = 1;
  let n = 0;
  for (let b = 0; b < used.length; b++) n += used[b];
  const ngramIds = new Int32Array(n);
  const ngramRows = new Float32Array(n * dim);
  for (let b = 0, i = 0; b < used.length; b++)
    if (used[b]) {
      ngramIds[i] = b;
      ngramRows.set(input.subarray((V + b) * dim, (V + b + 1) * dim), i * dim);
      i++;
    }
  return { vectors, ngramIds, ngramRows };
}
