// Corpus preparation, the same for every kind of model: pass 1 tokenises and counts (scan.ts), the
// vocabulary is built, pass 2 writes the corpus as vocabulary ids (token-cache.ts) for the engines:
// from pass 1's provisional ids (id-scan.ts), or from its token text.
import fs from 'node:fs';
import path from 'node:path';
import { EmbedError, checkAborted, quote } from '../errors.js';
import { readCorpus } from '../text/corpus.js';
import type { ConcreteTokenizer } from '../text/tokenize.js';
import { buildVocabulary, type Vocabulary } from '../vocab/vocabulary.js';
import { PHRASE_DEFAULTS, phraseTokenFile } from '../phrases/phrases.js';
import { countTokenFile, scanCorpus, type ScanEvent, type ScanOptions } from './scan.js';
import { TokenCacheWriter, type TokenCache } from './token-cache.js';

export type PrepareEvent = ScanEvent | { phase: 'vocab'; vocabSize: number; tokens: number; keptTokens: number };

export interface PrepareOptions extends ScanOptions {
  minCount: number;
  /** 0 = no limit. */
  maxVocab: number;
  /** Longer lines are cut into sentences of this many ids (word2vec.c: 1000). */
  maxSentenceLength: number;
  /** Phrase passes on the tokens before the vocabulary is built (embed phrases; 0 or absent: none). */
  phrases?: number;
  /** The last phrase pass's word2phrase threshold (default 100). */
  phrasesThreshold?: number;
  /** Where segmented Chinese is cached (scan-cache.ts); null: no cache. */
  cacheDir: string | null;
  signal?: AbortSignal;
  onEvent: (e: PrepareEvent) => void;
  /** Continued training (--init MODEL): the old model's word counts, added to the corpus's (vocabulary.ts). */
  baseCounts?: ReadonlyMap<string, number>;
  /** Called once the vocabulary is known, before pass 2: the caller may refuse it (throw) or announce the run. */
  onVocabulary: (vocab: Vocabulary, tokenizer: ConcreteTokenizer, notes: string[]) => void;
}

export interface PreparedCorpus {
  vocab: Vocabulary;
  cache: TokenCache;
  corpusTokens: number;
  tokenizer: ConcreteTokenizer;
  /** The Chinese word segmenter that ran (tokenizer 'zh'), else null. */
  segmenter: string | null;
  /** Whether pass 1 was skipped thanks to the cache. */
  tokensFromCache: boolean;
  /** Problems with the input that did not stop training (bad UTF-8 bytes replaced). */
  warnings: string[];
}

/** Pass 2: tokens → ids in the token cache; words outside the vocabulary are dropped, as in word2vec.c. */
async function writeTokenCache(tokensPath: string, vocab: Vocabulary, maxSentenceLength: number, cachePath: string): Promise<TokenCache> {
  const writer = new TokenCacheWriter(cachePath, maxSentenceLength);
  const index = vocab.index;
  for await (const chunk of readCorpus(tokensPath)) {
    let start = 0;
    const t = chunk.text;
    while (start <= t.length) {
      let end = t.indexOf(' ', start);
      if (end < 0) end = t.length;
      if (end > start) {
        const id = index.get(t.slice(start, end));
        if (id !== undefined) writer.addId(id);
      }
      start = end + 1;
    }
    if (chunk.lineEnd) writer.endLine();
  }
  return writer.close();
}

/**
 * Passes 1 and 2 into the directory `work`: tokenise and count, build the vocabulary, write the token
 * cache (work/ids.i32). Its own function so that the word counts (every distinct word of the corpus)
 * are garbage once it returns.
 */
export async function prepareCorpus(corpus: string, work: string, opts: PrepareOptions): Promise<PreparedCorpus> {
  const { signal, onEvent } = opts;
  const tokensPath = path.join(work, 'tokens.txt');
  // Phrases are joined in token text; otherwise pass 1 may keep ids instead.
  const files = opts.phrases ? { tokens: tokensPath } : { tokens: tokensPath, ids: path.join(work, 'first-seen.i32') };
  const scan = await scanCorpus(corpus, opts, files, onEvent, signal, opts.cacheDir);
  const { tokenizer } = scan;
  let counter = scan.counts;
  if (opts.phrases) {
    // Phrases are joined in the token text, after the (cached) segmentation, and counted again.
    const phrased = path.join(work, 'phrased.txt');
    const settings = { ...PHRASE_DEFAULTS, passes: opts.phrases, threshold: opts.phrasesThreshold ?? PHRASE_DEFAULTS.threshold };
    const report = await phraseTokenFile(tokensPath, phrased, work, settings, undefined, signal);
    fs.renameSync(phrased, tokensPath); // replaces only the name: a cache entry linked there stays as it was
    counter = await countTokenFile(tokensPath, onEvent, signal);
    const formed = report.passes.map((p) => `${p.phrases} (threshold ${p.threshold})`).join(', then ');
    scan.notes.push(`phrases joined before training: ${formed}`);
    if (report.passes.some((p) => p.pruned))
      scan.warnings.push('phrases: more than 10M distinct word pairs; the rarest were dropped, so some rare phrases may be missed');
  }
  const corpusTokens = counter.tokens;
  if (corpusTokens === 0)
    throw new EmbedError(`corpus ${quote(corpus)} has no words in it (tokenizer '${tokenizer}'): check the file or --tokenizer`);
  const vocab = buildVocabulary(counter, opts.minCount, opts.maxVocab, opts.baseCounts);
  if (vocab.words.length === 0)
    throw new EmbedError(
      `no word occurs at least ${opts.minCount} times in ${quote(corpus)} (${corpusTokens} tokens): lower --min-count or use a larger corpus`,
    );
  opts.onVocabulary(vocab, tokenizer, scan.notes);
  checkAborted(signal);
  const cachePath = path.join(work, 'ids.i32');
  const cache = scan.ids
    ? scan.ids.writeTokenCache(vocab, opts.maxSentenceLength, cachePath)
    : await writeTokenCache(tokensPath, vocab, opts.maxSentenceLength, cachePath);
  fs.rmSync(tokensPath, { force: true });
  onEvent({ phase: 'vocab', vocabSize: vocab.words.length, tokens: corpusTokens, keptTokens: cache.tokenCount });
  checkAborted(signal);
  return { vocab, cache, corpusTokens, tokenizer, segmenter: scan.segmenter, tokensFromCache: scan.cached, warnings: scan.warnings };
}
