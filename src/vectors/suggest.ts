// Close vocabulary words for an unknown query word: same word in other case, then small edit distance
// among the most frequent words (bounded work, so a miss still answers at once).

/** What suggestions read of a model (KeyedVectors has it): its words, most frequent first. */
export interface WordList {
  readonly size: number;
  readonly words: ArrayLike<string>;
}

function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

export function suggestWords(kv: WordList, word: string, n = 3, scan = 100_000): string[] {
  const target = word.toLowerCase();
  const max = Math.max(1, Math.min(2, Math.floor([...target].length / 3)));
  const found: { w: string; d: number; i: number }[] = [];
  const limit = Math.min(scan, kv.size);
  for (let i = 0; i < limit; i++) {
    const w = kv.words[i];
    const lw = w.toLowerCase();
    const d = lw === target ? 0 : lw.startsWith(target) && lw.length <= target.length + 3 ? 1 : editDistance(target, lw, max);
    if (d <= max) found.push({ w, d, i });
  }
  found.sort((x, y) => x.d - y.d || x.i - y.i);
  return found.slice(0, n).map((f) => f.w);
}
