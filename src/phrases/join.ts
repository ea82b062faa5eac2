// One pass of joining: left to right along each line, a word and the next (with connector words between
// them) become one token `a_b` (`a_of_b`) when their score is above the threshold. A word joined into a
// phrase does not start the next one (word2phrase.c and gensim agree), so one pass makes pairs; later
// passes, on this output, make longer phrases.
import type { PhraseCounts } from './counts.js';
import { comparableThreshold, phraseScore, type PhraseScoring } from './score.js';

export const JOINER = '_';

export interface JoinSettings {
  scoring: PhraseScoring;
  threshold: number;
  minCount: number;
}

/** A phrase formed in a pass: its score and how many times it was joined. */
export interface FormedPhrase {
  score: number;
  count: number;
}

export class PhraseJoiner {
  /** Every distinct phrase this pass formed. */
  readonly formed = new Map<string, FormedPhrase>();
  private threshold: number;
  // The line so far: a word that may start a phrase (null: none) and the connector words after it.
  private start: string | null = null;
  private startId = -1;
  private between: string[] = [];

  constructor(
    private counts: PhraseCounts,
    private settings: JoinSettings,
    /** Receives each output token, in order. */
    private emit: (token: string) => void,
  ) {
    this.threshold = comparableThreshold(settings.scoring, settings.threshold);
  }

  add(token: string): void {
    const c = this.counts;
    if (c.isConnector(token)) {
      if (this.start !== null) this.between.push(token);
      else this.emit(token);
      return;
    }
    const id = c.wordId(token);
    if (this.start !== null) {
      const score = this.score(this.startId, id);
      if (score > this.threshold) {
        const phrase = [this.start, ...this.between, token].join(JOINER);
        const seen = this.formed.get(phrase);
        if (seen) seen.count++;
        else this.formed.set(phrase, { score, count: 1 });
        this.emit(phrase);
        this.start = null;
        this.between = [];
        return;
      }
      this.flush();
    }
    this.start = token;
    this.startId = id;
  }

  endLine(): void {
    this.flush();
  }

  private score(a: number, b: number): number {
    const c = this.counts;
    const { scoring, minCount } = this.settings;
    return phraseScore(scoring, c.wordCount(a), c.wordCount(b), c.pairCount(a, this.between, b), c.totalWords, minCount);
  }

  /** Emits the pending word and connectors as they were. */
  private flush(): void {
    if (this.start !== null) this.emit(this.start);
    for (const w of this.between) this.emit(w);
    this.start = null;
    this.between = [];
  }
}
