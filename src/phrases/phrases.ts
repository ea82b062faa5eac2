// Phrase detection over a corpus (embed phrases, embed train --phrases): tokenise as training does, then
// run the passes. Each pass reads the previous token file twice — once to count words and pairs, once to
// join — so only one pass's counts are ever in memory. Lines are never joined across.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbedError, UsageError, checkAborted, quote } from '../errors.js';
import { checkCorpusFile, checkEncoding, corpusSize, readCorpus } from '../text/corpus.js';
import type { ConcreteTokenizer, TokenizerMode } from '../text/tokenize.js';
import { scanCorpus, type ScanEvent } from '../corpus/scan.js';
import { fsyncPath, tempName, trackTemp } from '../io/atomic.js';
import { PhraseCounts } from './counts.js';
import { PhraseJoiner } from './join.js';
import { ENGLISH_CONNECTOR_WORDS } from './connectors.js';
import { checkThreshold, passThresholds, type PhraseScoring } from './score.js';

export interface PhraseSettings {
  scoring: PhraseScoring;
  /** The last pass's threshold (earlier passes are stricter: passThresholds). */
  threshold: number;
  passes: number;
  minCount: number;
  /** Words that may sit inside a phrase but not start or end one; empty: none. */
  connectors: ReadonlySet<string>;
  /** Most distinct pairs counted before the rarest are dropped (bounds memory: 16 bytes each, ~1.5× in slots). */
  maxPairs: number;
}

export const PHRASE_DEFAULTS: PhraseSettings = {
  scoring: 'word2phrase',
  threshold: 100,
  passes: 1,
  minCount: 5,
  connectors: new Set(),
  maxPairs: 10_000_000,
};

export { ENGLISH_CONNECTOR_WORDS };

export type PhraseEvent =
  ScanEvent | { phase: 'phrases'; pass: number; passes: number; step: 'count' | 'join'; bytesRead: number; bytesTotal: number };

export interface PassReport {
  threshold: number;
  /** Distinct phrases this pass formed. */
  phrases: number;
  /** Phrase tokens this pass wrote (occurrences). */
  joined: number;
  tokensIn: number;
  tokensOut: number;
  /** True when rare pairs were dropped to bound memory: their scores were not computed. */
  pruned: boolean;
}

export interface FormedPhraseRow {
  phrase: string;
  score: number;
  /** Times it was joined in its pass. */
  count: number;
  /** The pass (1-based) that formed it. */
  pass: number;
}

export interface PhraseReport {
  passes: PassReport[];
  /** Every phrase formed, best score first (ties: by phrase). */
  phrases: FormedPhraseRow[];
}

/** Throws a UsageError for settings that cannot work. */
export function checkPhraseSettings(s: PhraseSettings): void {
  checkThreshold(s.scoring, s.threshold);
  if (!Number.isInteger(s.passes) || s.passes < 1 || s.passes > 10)
    throw new UsageError(`--passes must be an integer from 1 to 10 (got ${s.passes})`);
  if (!Number.isInteger(s.minCount) || s.minCount < 1) throw new UsageError(`--min-count must be an integer >= 1 (got ${s.minCount})`);
  if (!Number.isInteger(s.maxPairs) || s.maxPairs < 1000)
    throw new UsageError(`--max-pairs must be an integer >= 1000 (got ${s.maxPairs})`);
}

/** Calls onToken for each token of a token file (tokens separated by spaces, one corpus line per line). */
async function readTokens(file: string, onToken: (t: string) => void, onLineEnd: () => void, onBytes: (b: number) => void): Promise<void> {
  for await (const chunk of readCorpus(file, { onBytes })) {
    const t = chunk.text;
    let start = 0;
    while (start < t.length) {
      let end = t.indexOf(' ', start);
      if (end < 0) end = t.length;
      if (end > start) onToken(t.slice(start, end));
      start = end + 1;
    }
    if (chunk.lineEnd) onLineEnd();
  }
}

/** Writes tokens to a file, space-separated, a line per line, through a string buffer. */
class TokenWriter {
  private fd: number;
  private parts: string[] = [];
  private chars = 0;
  private lineStarted = false;
  tokens = 0;
  constructor(file: string) {
    this.fd = fs.openSync(file, 'w');
  }
  token(t: string): void {
    if (this.lineStarted) this.parts.push(' ');
    this.parts.push(t);
    this.lineStarted = true;
    this.tokens++;
    this.chars += t.length + 1;
    if (this.chars > 1 << 22) this.flush();
  }
  endLine(): void {
    this.parts.push('\n');
    this.lineStarted = false;
  }
  private flush(): void {
    if (this.parts.length) fs.writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.chars = 0;
  }
  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}

/**
 * Runs the phrase passes on a token file (as the training scan writes it) into `output`; `work` holds
 * the token files between passes. Pure in its inputs: the same file and settings give the same output.
 */
export async function phraseTokenFile(
  input: string,
  output: string,
  work: string,
  settings: PhraseSettings,
  onEvent: (e: PhraseEvent) => void = () => {},
  signal?: AbortSignal,
): Promise<PhraseReport> {
  checkPhraseSettings(settings);
  const thresholds = passThresholds(settings.scoring, settings.threshold, settings.passes);
  const passes: PassReport[] = [];
  const rows: FormedPhraseRow[] = [];
  let current = input;
  for (let p = 0; p < thresholds.length; p++) {
    const last = p === thresholds.length - 1;
    const next = last ? output : path.join(work, `pass${p + 1}.tokens`);
    const bytesTotal = corpusSize(current);
    let lastEmit = 0;
    const progress = (step: 'count' | 'join') => (bytesRead: number) => {
      const now = Date.now();
      if (now - lastEmit < 200 && bytesRead < bytesTotal) return;
      lastEmit = now;
      checkAborted(signal);
      onEvent({ phase: 'phrases', pass: p + 1, passes: thresholds.length, step, bytesRead, bytesTotal });
    };
    const counts = new PhraseCounts(settings.connectors, settings.maxPairs);
    await readTokens(
      current,
      (t) => counts.add(t),
      () => counts.endLine(),
      progress('count'),
    );
    checkAborted(signal);
    const writer = new TokenWriter(next);
    const joiner = new PhraseJoiner(counts, { scoring: settings.scoring, threshold: thresholds[p], minCount: settings.minCount }, (t) =>
      writer.token(t),
    );
    try {
      await readTokens(
        current,
        (t) => joiner.add(t),
        () => {
          joiner.endLine();
          writer.endLine();
        },
        progress('join'),
      );
    } finally {
      writer.close();
    }
    let joined = 0;
    for (const [phrase, f] of joiner.formed) {
      joined += f.count;
      rows.push({ phrase, score: f.score, count: f.count, pass: p + 1 });
    }
    passes.push({
      threshold: thresholds[p],
      phrases: joiner.formed.size,
      joined,
      tokensIn: counts.totalWords,
      tokensOut: writer.tokens,
      pruned: counts.pruned,
    });
    if (current !== input) fs.rmSync(current, { force: true });
    current = next;
  }
  rows.sort((a, b) => b.score - a.score || (a.phrase < b.phrase ? -1 : a.phrase > b.phrase ? 1 : 0));
  return { passes, phrases: rows };
}

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
  onEvent?: (e: PhraseEvent) => void;
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
      tokens,
      onEvent,
      signal,
      options.cacheDir ?? null,
    );
    if (scan.counter.tokens === 0)
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
