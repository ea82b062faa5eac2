// What a phrase pass learns from its input: how often each word occurs, how often each pair of
// neighbours (a, b, or a connectors… b) occurs, and the number of words. Fed one token at a time;
// endLine() between lines, so no pair spans two lines.
import { detached } from '../text/detached.js';
import { PairTable } from './pair-table.js';

/** The most distinct words kept before the rarest are dropped (as the training scan does). */
const MAX_WORDS = 8_000_000;

export class PhraseCounts {
  /** Word → id. Ids are never reused, so a pair that names a dropped word cannot be matched to a new one. */
  private ids = new Map<string, number>();
  private counts: number[] = [];
  /** Connector sequences between the two words of a pair ('of', 'of_the') → id; 0 is none. */
  private mids = new Map<string, number>([['', 0]]);
  readonly pairs: PairTable;
  /** Every token, connector words included (word2phrase's train_words, gensim's corpus_word_count). */
  totalWords = 0;
  private wordsMinReduce = 1;
  // The line so far: the last word that may start a pair, and the connectors after it.
  private start = -1;
  private between: string[] = [];

  constructor(
    private connectors: ReadonlySet<string>,
    maxPairs: number,
  ) {
    this.pairs = new PairTable(maxPairs);
  }

  add(token: string): void {
    this.totalWords++;
    if (this.connectors.has(token)) {
      if (this.start >= 0) this.between.push(token);
      return;
    }
    let id = this.ids.get(token);
    if (id === undefined) {
      id = this.counts.length;
      this.ids.set(detached(token), id); // not a view that keeps its whole chunk of text alive
      this.counts.push(0);
    }
    this.counts[id]++;
    if (this.start >= 0) this.pairs.add(this.start, this.midId(this.between), id);
    this.start = id;
    if (this.between.length) this.between = [];
    if (this.ids.size > MAX_WORDS) this.pruneWords();
  }

  endLine(): void {
    this.start = -1;
    if (this.between.length) this.between = [];
  }

  private midId(between: readonly string[]): number {
    if (!between.length) return 0;
    const key = between.join('_');
    let id = this.mids.get(key);
    if (id === undefined) this.mids.set(key, (id = this.mids.size));
    return id;
  }

  /** Drops the rarest words; a pair is never more frequent than its words, so pairs go with them. */
  private pruneWords(): void {
    while (this.ids.size > MAX_WORDS * 0.75) {
      for (const [w, id] of this.ids)
        if (this.counts[id] <= this.wordsMinReduce) {
          this.ids.delete(w);
          this.counts[id] = 0;
        }
      this.wordsMinReduce++;
    }
    this.start = -1; // the line's current word may be gone
  }

  /** The id of a word that may end or start a pair, or -1 when it is a connector or unknown. */
  wordId(token: string): number {
    return this.ids.get(token) ?? -1;
  }

  wordCount(id: number): number {
    return id < 0 ? 0 : this.counts[id];
  }

  /** How often a followed b (through the connectors `between`); 0 if never or dropped. */
  pairCount(a: number, between: readonly string[], b: number): number {
    if (a < 0 || b < 0) return 0;
    const m = between.length ? this.mids.get(between.join('_')) : 0;
    return m === undefined ? 0 : this.pairs.get(a, m, b);
  }

  isConnector(token: string): boolean {
    return this.connectors.has(token);
  }

  /** Whether counts were dropped to stay within memory (the scores are then approximate for rare pairs). */
  get pruned(): boolean {
    return this.pairs.prunes > 0 || this.wordsMinReduce > 1;
  }
}
