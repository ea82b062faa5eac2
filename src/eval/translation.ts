// Word translation retrieval, scored as MUSE scores it (Conneau et al. 2018; MUSE's
// evaluation/word_translation.py): the dictionary's pairs with both words known are kept, every
// distinct source word among them is one query, and a query is right at k when any of its gold
// translations is among the k best target words. P@1, P@5, P@10; coverage = source words with a usable
// pair / all source words of the dictionary.
import fs from 'node:fs';
import { EmbedError, quote } from '../errors.js';
import type { KeyedVectors } from '../vectors/keyed-vectors.js';
import { lookupPairs, noPairsError, type DictionaryPair, type PairLookup } from '../vectors/align.js';
import { retrieve, type RetrievalMethod } from '../vectors/retrieve.js';

export interface ParsedDictionary {
  pairs: DictionaryPair[];
  /** 1-based numbers of lines that are not two words. */
  invalidLines: number[];
}

/** MUSE's format: `source target` per line (space or tab), several lines per source word allowed; '#' lines and blank lines skipped. */
export function parseDictionary(text: string): ParsedDictionary {
  const pairs: DictionaryPair[] = [];
  const invalidLines: number[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const f = line.split(/\s+/u);
    if (f.length !== 2) invalidLines.push(i + 1);
    else pairs.push({ src: f[0], tgt: f[1] });
  });
  return { pairs, invalidLines };
}

export function readDictionaryFile(file: string): ParsedDictionary {
  let text: string;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) throw new EmbedError(`${quote(file, 300)} is not a file: give a dictionary text file ('source target' per line)`);
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof EmbedError) throw e;
    throw new EmbedError(
      `cannot read dictionary ${quote(file, 300)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): check the path`,
    );
  }
  const parsed = parseDictionary(text);
  if (parsed.pairs.length === 0)
    throw new EmbedError(`${quote(file, 300)} has no 'source target' lines: a dictionary has one pair of words per line`);
  return parsed;
}

export interface TranslationOptions {
  method: RetrievalMethod;
  /** CSLS neighbourhood (default 10). */
  knn?: number;
  /** Search only the target's first N words (0: all). */
  restrict?: number;
  /** CSLS: each target word's neighbourhood r_S is taken among the first N source words (0: all, as MUSE). */
  cslsVocab?: number;
  /** Precision at these k (default 1, 5, 10). */
  ks?: number[];
  /** Keep this many queries with their predictions, for display (default 0). */
  examples?: number;
}

export interface TranslationExample {
  word: string;
  gold: string[];
  predictions: { word: string; score: number }[];
  /** 1-based rank of the first gold translation among the predictions, or null. */
  rank: number | null;
}

export interface TranslationResult {
  method: RetrievalMethod;
  knn: number;
  /** CSLS: source words the neighbourhoods were taken among (0: all). */
  cslsVocab: number;
  /** Distinct source words scored. */
  queries: number;
  /** Source words with a usable pair / source words in the dictionary. */
  coverage: number;
  lookup: Omit<PairLookup, 'src' | 'tgt'>;
  /** k → fraction of queries with a gold translation in the top k. */
  precision: Record<string, number>;
  correct: Record<string, number>;
  examples: TranslationExample[];
  seconds: number;
}

export async function evaluateTranslation(
  mapped: KeyedVectors,
  target: KeyedVectors,
  pairs: DictionaryPair[],
  opts: TranslationOptions,
): Promise<TranslationResult> {
  const t0 = performance.now();
  if (mapped.dim !== target.dim)
    throw new EmbedError(
      `the models have different dimensions (model ${mapped.dim}, target ${target.dim}): align them first (embed align)`,
    );
  const ks = opts.ks ?? [1, 5, 10];
  const limit = opts.restrict && opts.restrict > 0 ? Math.min(opts.restrict, target.size) : target.size;
  const lookup = lookupPairs(pairs, mapped, target);
  // A gold word outside the searched rows counts as unknown, as a word outside the model does.
  const gold = new Map<number, Set<number>>();
  let outside = 0;
  for (let n = 0; n < lookup.used; n++) {
    if (lookup.tgt[n] >= limit) {
      outside++;
      continue;
    }
    const s = lookup.src[n];
    if (!gold.has(s)) gold.set(s, new Set());
    gold.get(s)!.add(lookup.tgt[n]);
  }
  const { src: _s, tgt: _t, ...counts } = lookup;
  const stats = { ...counts, unknownTarget: counts.unknownTarget + outside, used: counts.used - outside, sourceWordsUsed: gold.size };
  if (gold.size === 0) throw noPairsError('the dictionary', { ...lookup, ...stats });
  const queries = Int32Array.from(gold.keys());
  const topn = Math.max(...ks);
  const top = await retrieve(mapped, target, queries, {
    method: opts.method,
    knn: opts.knn ?? 10,
    topn,
    targetLimit: limit,
    sourceLimit: opts.cslsVocab ?? 0,
  });
  const correct: Record<string, number> = {};
  for (const k of ks) correct[k] = 0;
  const examples: TranslationExample[] = [];
  for (let qi = 0; qi < queries.length; qi++) {
    const g = gold.get(queries[qi])!;
    let rank: number | null = null;
    for (let r = 0; r < top.k; r++)
      if (g.has(top.index[qi * top.k + r])) {
        rank = r + 1;
        break;
      }
    for (const k of ks) if (rank !== null && rank <= k) correct[k]++;
    if (examples.length < (opts.examples ?? 0))
      examples.push({
        word: mapped.words[queries[qi]],
        gold: [...g].map((j) => target.words[j]),
        predictions: Array.from({ length: Math.min(top.k, 5) }, (_, r) => ({
          word: target.words[top.index[qi * top.k + r]],
          score: top.score[qi * top.k + r],
        })),
        rank,
      });
  }
  const precision: Record<string, number> = {};
  for (const k of ks) precision[k] = correct[k] / queries.length;
  return {
    method: opts.method,
    knn: opts.knn ?? 10,
    cslsVocab: opts.method === 'csls' ? Math.min(opts.cslsVocab || mapped.size, mapped.size) : 0,
    queries: queries.length,
    coverage: stats.sourceWordsUsed / (stats.sourceWords || 1),
    lookup: stats,
    precision,
    correct,
    examples,
    seconds: (performance.now() - t0) / 1000,
  };
}
