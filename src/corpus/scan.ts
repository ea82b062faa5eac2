// Pass 1 of training: tokenise the corpus once and count words, keeping what pass 2 needs so it does not
// tokenise again: first-seen word ids (id-scan.ts, the fast path), or the tokens as plain text (tokens
// separated by spaces, one corpus line per line) where phrases are joined next or Chinese is segmented.
// Chinese word segmentation is the expensive part, so for Chinese:
//   - segmentation runs on worker threads (ParallelTokenizer), results kept in corpus order;
//   - the token file is cached under <modelsDir>/.cache (scan-cache.ts), so the next run on the same
//     corpus with other training options skips pass 1's segmentation entirely.
import fs from 'node:fs';
import { checkAborted } from '../errors.js';
import { readCorpus, corpusSize } from '../text/corpus.js';
import { createTokenizer, detectTokenizer, type ConcreteTokenizer, type Tokenizer } from '../text/tokenize.js';
import { ParallelTokenizer } from '../text/parallel-tokenize.js';
import { chineseSegmenterId, jiebaUnavailableReason } from '../text/chinese.js';
import { WordCounter, type WordCounts } from '../vocab/vocabulary.js';
import type { TokenizerMode } from '../text/tokenize.js';
import { cacheLookup, cacheSlot, cacheStore } from './scan-cache.js';
import { IdScan } from './id-scan.js';

export type ScanEvent = { phase: 'scan'; bytesRead: number; bytesTotal: number; tokens: number };

/** What the scan needs to know: how to decode and tokenise, and how many segmenter threads it may use. */
export interface ScanOptions {
  tokenizer: TokenizerMode;
  lowercase: boolean;
  /** A TextDecoder label, or 'auto' (see text/corpus.ts). */
  encoding: string;
  threads: number;
}

/** Where pass 1 writes: the token text, or with `ids` given, provisional ids where the tokenizer allows. */
export interface ScanFiles {
  tokens: string;
  ids?: string;
}

export interface ScanResult {
  counts: WordCounts;
  /** The provisional ids (pass 2 renumbers them), or null: the tokens are in ScanFiles.tokens. */
  ids: IdScan | null;
  tokenizer: ConcreteTokenizer;
  /** The Chinese segmenter used (tokenizer 'zh'), else null. */
  segmenter: string | null;
  /** True when the tokens came from the cache. */
  cached: boolean;
  /** Lines for the 'start' event: which segmenter ran, cache use. */
  notes: string[];
  /** Problems worth telling the user even when quiet (bytes of bad UTF-8 replaced). */
  warnings: string[];
}

const AUTO_SAMPLE_CHARS = 1 << 16;

/** The tokens of token-file text (tokens separated by single spaces or newlines; empty pieces skipped). */
function splitTokens(text: string): string[] {
  const toks = text.split(/[ \n]/);
  let n = 0;
  for (let i = 0; i < toks.length; i++) if (toks[i]) toks[n++] = toks[i];
  toks.length = n;
  return toks;
}
/** Bound memory on huge corpora the way word2vec.c does: drop rare words when the table is huge. */
const MAX_TABLE = 8_000_000;

function segmenterNote(id: string): string {
  return `Chinese segmenter: ${id}` + (jiebaUnavailableReason ? ` (fallback: ${jiebaUnavailableReason})` : '');
}

/**
 * Tokenises `corpus` into `files` and counts its words. `cacheDir` null disables the cache.
 */
export async function scanCorpus(
  corpus: string,
  cfg: ScanOptions,
  files: ScanFiles,
  emit: (e: ScanEvent) => void,
  signal: AbortSignal | undefined,
  cacheDir: string | null,
): Promise<ScanResult> {
  const slot = cacheDir ? cacheSlot(cacheDir, corpus, cfg) : null;
  if (slot) {
    const hit = cacheLookup(slot, files.tokens);
    if (hit) {
      const counter = await countTokenFile(files.tokens, emit, signal);
      const notes = [`tokenised corpus reused from ${cacheDir} (pass --no-cache to segment again)`];
      if (hit.tokenizer === 'zh') notes.unshift(segmenterNote(hit.segmenter));
      return {
        counts: counter,
        ids: null,
        tokenizer: hit.tokenizer,
        segmenter: hit.tokenizer === 'zh' ? hit.segmenter : null,
        cached: true,
        notes,
        warnings: [],
      };
    }
  }

  const bytesTotal = corpusSize(corpus);
  let bytesRead = 0;
  const counter = new WordCounter();
  let out = -1;
  let outBuf: string[] = [];
  let outLen = 0;
  let minReduce = 1;
  const flush = () => {
    if (out < 0) out = fs.openSync(files.tokens, 'w');
    if (outBuf.length) fs.writeSync(out, outBuf.join(''));
    outBuf = [];
    outLen = 0;
  };
  const pushText = (s: string) => {
    outBuf.push(s);
    outLen += s.length;
    if (outLen > 1 << 22) flush();
    if (counter.counts.size > MAX_TABLE) minReduce = counter.prune(MAX_TABLE, minReduce);
  };

  const warnings: string[] = [];
  let tokenizer: ConcreteTokenizer | null = cfg.tokenizer === 'auto' ? null : cfg.tokenizer;
  let tokenize: Tokenizer | null = null;
  let pool: ParallelTokenizer | null = null;
  let ids: IdScan | null = null;
  const setup = (mode: ConcreteTokenizer) => {
    tokenizer = mode;
    // Only segmentation is worth the threads; the other tokenizers are fast in one thread
    // (bench/MEASUREMENTS.md, "Tokenizer threads").
    if (mode === 'zh') pool = new ParallelTokenizer(mode, cfg.lowercase, Math.max(1, Math.min(cfg.threads, 16)));
    else if (files.ids) ids = new IdScan(files.ids, mode, cfg.lowercase);
    else tokenize = createTokenizer(mode, cfg.lowercase);
  };
  const counts = (): WordCounts => (ids as IdScan | null)?.table ?? counter;
  const onTokenText = (t: string) => {
    // Token text from the workers: count its tokens here, in corpus order (vocabulary ties stay deterministic).
    counter.add(splitTokens(t));
    pushText(t);
  };
  const process = async (chunk: { text: string; lineEnd: boolean }) => {
    if (pool) {
      for (const t of await pool.add(chunk)) onTokenText(t);
      return;
    }
    if (ids) {
      ids.add(chunk.text, chunk.lineEnd);
      minReduce = ids.prune(MAX_TABLE, minReduce);
      return;
    }
    const toks = tokenize!(chunk.text);
    if (toks.length) {
      counter.add(toks);
      pushText(toks.join(' ') + (chunk.lineEnd ? '\n' : ' '));
    } else if (chunk.lineEnd) pushText('\n');
  };
  // Chunks read while the tokenizer is undecided. Blank lines are only counted (in `blanks`, the number
  // before each held chunk): detection needs 64 KB of text, and a corpus may start with any number of
  // blank lines, which must not pile up in memory.
  const held: { text: string; lineEnd: boolean; blanks: number }[] = [];
  let heldChars = 0;
  let blanks = 0;
  const blank = { text: '', lineEnd: true };
  const decide = async () => {
    setup(
      detectTokenizer(
        held
          .map((c) => c.text)
          .join('\n')
          .slice(0, AUTO_SAMPLE_CHARS),
      ),
    );
    for (const c of held) {
      for (let i = 0; i < c.blanks; i++) await process(blank);
      await process(c);
    }
    for (let i = 0; i < blanks; i++) await process(blank);
    held.length = 0;
  };

  let lastEmit = 0;
  try {
    if (tokenizer) setup(tokenizer);
    // Progress follows the bytes, not the lines: a corpus with no newline yet (one long line, a pipe
    // that pauses) still shows it is being read.
    const onBytes = (b: number) => {
      bytesRead = b;
      const now = Date.now();
      if (now - lastEmit > 200) {
        lastEmit = now;
        emit({ phase: 'scan', bytesRead, bytesTotal, tokens: counts().tokens });
      }
    };
    for await (const chunk of readCorpus(corpus, { onBytes, encoding: cfg.encoding, warnings, signal })) {
      if (!tokenizer) {
        if (chunk.lineEnd && !chunk.text.trim()) {
          blanks++;
          continue;
        }
        held.push({ ...chunk, blanks });
        blanks = 0;
        heldChars += chunk.text.length;
        if (heldChars >= AUTO_SAMPLE_CHARS) await decide();
        continue;
      }
      await process(chunk);
      checkAborted(signal);
    }
    if (!tokenizer) await decide();
    if (pool) for (const t of await (pool as ParallelTokenizer).finish()) onTokenText(t);
    if (!ids) flush();
  } finally {
    if (out >= 0) fs.closeSync(out);
    (ids as IdScan | null)?.close();
    if (pool) await (pool as ParallelTokenizer).close();
  }
  emit({ phase: 'scan', bytesRead, bytesTotal: bytesTotal || bytesRead, tokens: counts().tokens });

  const mode = tokenizer as ConcreteTokenizer;
  const segmenter = mode === 'zh' ? chineseSegmenterId() : null;
  const notes = segmenter ? [segmenterNote(segmenter)] : [];
  // Cache only segmented text: for the other tokenizers re-reading the corpus costs about as much as reading a cache.
  if (slot && segmenter && minReduce === 1 && cacheStore(slot, files.tokens, { tokenizer: mode, segmenter, tokens: counter.tokens }))
    notes.push(`tokenised corpus cached in ${cacheDir}`);
  return { counts: counts(), ids, tokenizer: mode, segmenter, cached: false, notes, warnings };
}

/** Counts the tokens of a token file (a cache hit, or text with phrases joined). */
export async function countTokenFile(tokensPath: string, emit: (e: ScanEvent) => void, signal?: AbortSignal): Promise<WordCounter> {
  const counter = new WordCounter();
  const bytesTotal = corpusSize(tokensPath);
  let bytesRead = 0;
  let lastEmit = 0;
  let minReduce = 1;
  for await (const chunk of readCorpus(tokensPath, { onBytes: (b) => (bytesRead = b) })) {
    counter.add(splitTokens(chunk.text));
    if (counter.counts.size > MAX_TABLE) minReduce = counter.prune(MAX_TABLE, minReduce);
    const now = Date.now();
    if (now - lastEmit > 200) {
      lastEmit = now;
      checkAborted(signal);
      emit({ phase: 'scan', bytesRead, bytesTotal, tokens: counter.tokens });
    }
  }
  emit({ phase: 'scan', bytesRead: bytesTotal, bytesTotal, tokens: counter.tokens });
  return counter;
}
