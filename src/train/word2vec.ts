// The word2vec kind: training options → a sentence job for an engine (engine/job.ts). Its trained input
// rows are the word vectors as they are: one row per vocabulary word.
import type { TrainConfig } from './config.js';
import type { SentenceJob, SentenceParams } from '../engine/job.js';
import type { Vocabulary } from '../vocab/vocabulary.js';
import type { TokenCache } from '../corpus/token-cache.js';
import { buildHuffman } from '../vocab/huffman.js';
import { buildUnigramTable, buildKeepProbabilities } from '../vocab/sampling.js';

export function word2vecParams(cfg: TrainConfig): SentenceParams {
  const { arch, loss, dim, window, windowType, negative, alpha, minAlpha, schedule, epochs, seed, threads, maxSentenceLength } = cfg;
  return {
    arch,
    loss,
    dim,
    window,
    windowType,
    negative,
    alpha,
    minAlpha,
    schedule,
    epochs,
    lastEpoch: epochs,
    seed,
    threads,
    maxSentenceLength,
  };
}

/** The job for a vocabulary and its token-id file: random initial rows, zero output weights (trainer.ts replaces them for --init). */
export function word2vecJob(cfg: TrainConfig, vocab: Vocabulary, corpus: TokenCache): SentenceJob {
  const V = vocab.words.length;
  return {
    objective: 'sentences',
    params: word2vecParams(cfg),
    corpus,
    vocabSize: V,
    keepProb: buildKeepProbabilities(vocab.counts, cfg.sample, corpus.tokenCount),
    negTable: cfg.loss === 'ns' ? buildUnigramTable(vocab.counts, cfg.nsExponent) : null,
    huffman: cfg.loss === 'hs' ? buildHuffman(vocab.counts) : null,
    inputRows: null,
    outputRows: cfg.loss === 'hs' ? Math.max(1, V - 1) : V,
    weights: { input: { uniformSeed: cfg.seed }, output: null, rng: null },
    resume: null,
    // The output weights are saved with the model (output.f32): continuing it starts from them.
    returnState: true,
  };
}
