// Phrase scores: is "a b" (or "a of b" with connector words) one unit?
//   word2phrase: word2vec.c's (count(ab) − min_count) / (count(a) · count(b)) × total_words, computed in
//                float32 step by step as word2phrase.c does, so a score at the threshold falls the same way.
//   npmi:        gensim's normalised pointwise mutual information, ln(p(ab) / (p(a) p(b))) / −ln(p(ab)), in [−1, 1].
// A pair scores only when a, b and ab each occur at least min_count times (word2phrase drops rarer
// entries from its vocabulary; gensim's npmi asks it of the bigram, which implies it of a and b).
import { UsageError } from '../errors.js';

export const PHRASE_SCORINGS = ['word2phrase', 'npmi'] as const;
export type PhraseScoring = (typeof PHRASE_SCORINGS)[number];

const f = Math.fround;

export function phraseScore(
  scoring: PhraseScoring,
  countA: number,
  countB: number,
  countAB: number,
  totalWords: number,
  minCount: number,
): number {
  if (countA < minCount || countB < minCount || countAB < minCount) return -Infinity;
  if (scoring === 'word2phrase') return f(f(f(f(countAB - minCount) / f(countA)) / f(countB)) * f(totalWords));
  const pab = countAB / totalWords;
  if (pab >= 1) return 1; // the whole corpus is this one pair
  return Math.log(pab / ((countA / totalWords) * (countB / totalWords))) / -Math.log(pab);
}

/** The threshold as the scores are compared with it: word2phrase.c keeps it as a float. */
export function comparableThreshold(scoring: PhraseScoring, threshold: number): number {
  return scoring === 'word2phrase' ? f(threshold) : threshold;
}

/** Throws a UsageError when the threshold cannot mean anything for this scoring. */
export function checkThreshold(scoring: PhraseScoring, threshold: number): void {
  if (!Number.isFinite(threshold)) throw new UsageError(`--threshold must be a number (got ${threshold})`);
  if (scoring === 'npmi' && (threshold < -1 || threshold >= 1))
    throw new UsageError(`--threshold ${threshold} is outside npmi's range: give a value in [-1, 1) (gensim uses 0.5)`);
  if (scoring === 'word2phrase' && threshold < 0)
    throw new UsageError(`--threshold ${threshold} is negative: word2phrase scores are >= 0 (word2vec.c uses 100)`);
}

/**
 * The threshold of each pass. The last pass uses `threshold`; each earlier one is stricter, so the first
 * passes join only the strongest pairs and later ones build longer phrases from them. word2phrase: twice
 * the next (word2vec.c's demo-phrases.sh runs 200 then 100). npmi: half way from the next to 1.
 */
export function passThresholds(scoring: PhraseScoring, threshold: number, passes: number): number[] {
  const out: number[] = [];
  for (let i = passes - 1; i >= 0; i--) out.push(scoring === 'word2phrase' ? threshold * 2 ** i : 1 - (1 - threshold) / 2 ** i);
  return out;
}
