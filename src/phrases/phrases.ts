// Phrase passes over a token file (tokens separated by spaces, one corpus line per line, as the training
// scan writes it). Each pass reads the previous token file twice — once to count words and pairs, once to
// join — so only one pass's counts are ever in memory. Lines are never joined across.
import fs from 'node:fs';
import path from 'node:path';
import { UsageError, checkAborted } from '../errors.js';
import { corpusSize, readCorpus } from '../text/corpus.js';
import { PhraseCounts } from './counts.js';
import { PhraseJoiner } from './join.js';
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

export type PhraseEvent = { phase: 'phrases'; pass: number; passes: number; step: 'count' | 'join'; bytesRead: number; bytesTotal: number };

export interface PassReport {
  threshold: number;
  /** Distinct phrases this pass formed. */
  phrases: number;
  /** Phrase tokens this pass wrote (occurrences). */
  joined: number;
  tokensIn: number;
  tokensOut: number;
  /** True when rare pairs were dropped to bound memory: some pairs were counted low, so some phrases may be missed. */
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
