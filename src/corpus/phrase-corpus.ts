// embed phrases on a corpus file: tokenise it as training does (scan.ts: the same tokenizers, Chinese
// segmented on threads), run the phrase passes (src/phrases) and write the result atomically.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbedError, checkAborted, quote } from '../errors.js';
import { checkCorpusFile, checkEncoding } from '../text/corpus.js';
import type { ConcreteTokenizer, TokenizerMode } from '../text/tokenize.js';
import { fsyncPath, tempName, trackTemp } from '../io/atomic.js';
import {
  PHRASE_DEFAULTS,
  checkPhraseSettings,
  phraseTokenFile,
  type PhraseEvent,
  type PhraseReport,
  type PhraseSettings,
} from '../phrases/phrases.js';
import { scanCorpus, type ScanEvent } from './scan.js';

export type FindPhrasesEvent = ScanEvent | PhraseEvent;

export interface FindPhrasesOptions extends Partial<PhraseSettings> {
  /** As embed train's --tokenizer: auto picks by script; zh segments Chinese first (phrases join its words). */
  tokenizer?: TokenizerMode;
  lowercase?: boolean;
  encoding?: string;
  /** Segmenter threads (Chinese); default: the number of cores. */
  threads?: number;
  /** Where segmented Chinese is cached (as training's cache); null or absent: no cache. */
  cacheDir?: string | null;
  signal?: AbortSignal;
  onEvent?: (e: FindPhrasesEvent) => void;
}

export interface FindPhrasesResult extends PhraseReport {
  tokenizer: ConcreteTokenizer;
  segmenter: string | null;
  /** Problems with the input that did not stop the work (bad UTF-8 replaced). */
  warnings: string[];
}

/**
 * Reads a corpus (a file, or '-' for stdin), joins its phrases and writes the result to `output`
 * atomically: tokens separated by spaces, one line per input line.
 */
export async function findPhrases(corpus: string, output: string, options: FindPhrasesOptions = {}): Promise<FindPhrasesResult> {
  const settings: PhraseSettings = {
    scoring: options.scoring ?? PHRASE_DEFAULTS.scoring,
    threshold: options.threshold ?? (options.scoring === 'npmi' ? 0.5 : PHRASE_DEFAULTS.threshold),
    passes: options.passes ?? PHRASE_DEFAULTS.passes,
    minCount: options.minCount ?? PHRASE_DEFAULTS.minCount,
    connectors: options.connectors ?? PHRASE_DEFAULTS.connectors,
    maxPairs: options.maxPairs ?? PHRASE_DEFAULTS.maxPairs,
  };
  checkPhraseSettings(settings);
  const encoding = options.encoding ?? 'auto';
  checkEncoding(encoding);
  checkCorpusFile(corpus);
  if (fs.existsSync(output) && fs.statSync(output).isDirectory())
    throw new EmbedError(`output ${quote(output)} is a directory: give a file name to write the phrased text to`);
  const dir = path.dirname(path.resolve(output));
  if (!fs.existsSync(dir)) throw new EmbedError(`the folder of ${quote(output)} does not exist: create it or choose another output`);
  const signal = options.signal;
  const onEvent = options.onEvent ?? (() => {});
  // Work files and the result beside the output: the final rename stays on one file system.
  const work = fs.mkdtempSync(path.join(dir, `.embed-work-${process.pid}-`));
  const forgetWork = trackTemp(work);
  const tmp = tempName(path.resolve(output));
  const forgetTmp = trackTemp(tmp);
  try {
    const tokens = path.join(work, 'tokens.txt');
    const scan = await scanCorpus(
      corpus,
      {
        tokenizer: options.tokenizer ?? 'auto',
        lowercase: options.lowercase ?? false,
        encoding,
        threads: options.threads ?? Math.max(1, os.availableParallelism()),
      },
      { tokens },
      onEvent,
      signal,
      options.cacheDir ?? null,
    );
    if (scan.counts.tokens === 0)
      throw new EmbedError(`corpus ${quote(corpus)} has no words in it (tokenizer '${scan.tokenizer}'): check the file or --tokenizer`);
    checkAborted(signal);
    const report = await phraseTokenFile(tokens, tmp, work, settings, onEvent, signal);
    fsyncPath(tmp);
    fs.renameSync(tmp, output);
    fsyncPath(dir);
    return { ...report, tokenizer: scan.tokenizer, segmenter: scan.segmenter, warnings: scan.warnings };
  } finally {
    fs.rmSync(tmp, { force: true });
    fs.rmSync(work, { recursive: true, force: true });
    forgetTmp();
    forgetWork();
  }
}
