// Word counts → a frequency-sorted vocabulary with min-count / max-vocab pruning.
import { detached } from '../text/detached.js';

export interface Vocabulary {
  /** Words, most frequent first (ties broken by first appearance, so the order is deterministic). */
  words: string[];
  counts: Float64Array;
  index: Map<string, number>;
  /** Sum of counts of the kept words (the tokens that training sees per epoch). */
  totalCount: number;
}

/** Word counts as pass 1 leaves them: WordCounter here, or WordTable (word-table.ts) on the fast path. */
export interface WordCounts {
  /** Tokens counted. */
  readonly tokens: number;
  /** The words counted at least `minCount` times with their counts, in first-seen order. */
  entries(minCount: number): Iterable<[string, number]>;
  /** How often `word` was counted (0: never). */
  countOf(word: string): number;
}

/** Counts tokens; keeps insertion order so ties sort deterministically. */
export class WordCounter implements WordCounts {
  readonly counts = new Map<string, number>();
  tokens = 0;

  add(tokens: readonly string[]): void {
    const m = this.counts;
    for (const t of tokens) {
      const c = m.get(t);
      if (c === undefined) m.set(detached(t), 1);
      else m.set(t, c + 1); // an existing key keeps its first string
    }
    this.tokens += tokens.length;
  }

  /** Drops words seen once when the table grows past `limit` entries (word2vec.c's ReduceVocab), so memory stays bounded. */
  prune(limit: number, minReduce: number): number {
    if (this.counts.size <= limit) return minReduce;
    for (const [w, c] of this.counts) if (c <= minReduce) this.counts.delete(w);
    return minReduce + 1;
  }

  *entries(minCount: number): IterableIterator<[string, number]> {
    for (const e of this.counts) if (e[1] >= minCount) yield e;
  }

  countOf(word: string): number {
    return this.counts.get(word) ?? 0;
  }
}

/**
 * The words that reach minCount, most frequent first. `base` (continued training: the old model's counts)
 * adds to the corpus's counts, and its words are kept whatever their count, so no old row is lost.
 */
export function buildVocabulary(counter: WordCounts, minCount: number, maxVocab = 0, base?: ReadonlyMap<string, number>): Vocabulary {
  const entries: [string, number][] = [];
  // With base counts every word is looked at: an old word stays whatever its count here.
  for (const [w, c] of counter.entries(base ? 1 : minCount)) {
    const old = base?.get(w);
    if (old !== undefined) entries.push([w, c + old]);
    else if (c >= minCount) entries.push([w, c]);
  }
  if (base) for (const [w, c] of base) if (counter.countOf(w) === 0) entries.push([w, c]);
  // Array.prototype.sort is stable: equal counts keep first-seen order.
  entries.sort((a, b) => b[1] - a[1]);
  if (maxVocab > 0 && entries.length > maxVocab) entries.length = maxVocab;
  return vocabularyFrom(
    entries.map((e) => e[0]),
    entries.map((e) => e[1]),
  );
}

export function vocabularyFrom(words: string[], counts: ArrayLike<number>): Vocabulary {
  const index = new Map<string, number>();
  const c = new Float64Array(words.length);
  let total = 0;
  for (let i = 0; i < words.length; i++) {
    if (!index.has(words[i])) index.set(words[i], i);
    c[i] = counts[i];
    total += counts[i];
  }
  return { words, counts: c, index, totalCount: total };
}
