// What `embed plot` draws: the words chosen (most frequent, neighbourhoods, a list, pairs), their
// vectors, a 2-D projection (PCA or t-SNE), groups for colour, and each word's nearest neighbours among
// the plotted words (for the HTML page). The CLI turns this into a Scene and writes it.
import fs from 'node:fs';
import { EmbedError, EXIT, UnknownWordError, UsageError, quote } from '../errors.js';
import type { KeyedVectors } from '../vectors/keyed-vectors.js';
import { pca } from './pca.js';
import { tsne, minPointsFor, nearestNeighbours, type TsneProgress } from './tsne.js';
import { kmeans } from './kmeans.js';

export const PLOT_METHODS = ['pca', 'tsne'] as const;
export type PlotMethod = (typeof PLOT_METHODS)[number];

export interface ListEntry {
  word: string;
  group?: string;
}

export interface Selection {
  /** Words given on the command line. */
  words?: string[];
  /** The N most frequent words (the model's first rows). */
  top?: number;
  /** With `words`: also each word's K nearest neighbours, coloured by the word they surround. */
  neighbours?: number;
  /** Words from a list file, optionally with groups. */
  list?: ListEntry[];
  /** Arrows from a to b. */
  pairs?: [string, string][];
}

export interface ProjectOptions {
  method: PlotMethod;
  perplexity?: number;
  iterations?: number;
  seed?: number;
  /** k-means colours when nothing else gives groups (0: one colour). */
  clusters?: number;
  /** Neighbours per word kept for the HTML page. */
  neighbourCount?: number;
  onProgress?: (p: TsneProgress) => void;
  signal?: AbortSignal;
}

export interface PlotData {
  words: string[];
  /** Each word's model row (its frequency rank in our models), or -1 for a composed word. */
  rows: number[];
  vectors: Float32Array;
  dim: number;
  /** Words asked for that the model does not know (skipped). */
  unknown: string[];
  /** Words asked for by name (drawn in bold, labelled first). */
  emphasis: boolean[];
  groups: Int32Array | null;
  groupNames: string[];
  /** How the groups were made: 'list', 'neighbourhood', 'pairs', 'k-means' or 'none'. */
  grouping: string;
  pairs: [number, number][];
  coords: Float64Array;
  /** The share of variance of each PCA axis (PCA only). */
  explained?: [number, number];
  /** Each word's nearest plotted words, nearest first: indices and cosine similarities. */
  neighbours: { indices: Int32Array; scores: Float64Array; k: number };
}

/** Reads a word list: one word per line, or word<TAB>group; blank lines and lines starting with # are skipped. */
export function readWordList(file: string): ListEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new EmbedError(`cannot read the word list ${quote(file, 300)} (${err.code ?? err.message}): check the path`);
  }
  const out: ListEntry[] = [];
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    const [word, group] = raw.split('\t');
    if (word.trim() === '') continue;
    out.push(group !== undefined && group.trim() !== '' ? { word: word.trim(), group: group.trim() } : { word: word.trim() });
  }
  if (out.length === 0) throw new UsageError(`the word list ${quote(file, 300)} has no words (one word, or word<TAB>group, per line)`);
  return out;
}

/** Parses 'king:queen,man:woman' (commas or spaces between pairs). */
export function parsePairs(spec: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const item of spec.split(/[,\s]+/u).filter(Boolean)) {
    const parts = item.split(':');
    if (parts.length !== 2 || !parts[0] || !parts[1])
      throw new UsageError(`--pairs takes a:b pairs separated by commas (king:queen,man:woman), got ${quote(item)}`);
    pairs.push([parts[0], parts[1]]);
  }
  if (pairs.length === 0) throw new UsageError('--pairs takes a:b pairs separated by commas (king:queen,man:woman)');
  return pairs;
}

/** The default when nothing is chosen: the 300 most frequent words. */
export const DEFAULT_TOP = 300;

/** Picks the words and their vectors. Unknown words are collected, not fatal, unless none remain (exit 3). */
export function selectWords(kv: KeyedVectors, sel: Selection): Omit<PlotData, 'coords' | 'neighbours' | 'explained'> {
  const words: string[] = [];
  const rows: number[] = [];
  const vecs: Float32Array[] = [];
  const emphasis: boolean[] = [];
  const groupOf: string[] = [];
  const seen = new Map<string, number>();
  const unknown: string[] = [];
  const add = (word: string, named: boolean, group = ''): number => {
    let r;
    try {
      r = kv.resolve(word);
    } catch (e) {
      if (!(e instanceof UnknownWordError)) throw e;
      if (!unknown.includes(word)) unknown.push(word);
      return -1;
    }
    const key = r.kind === 'word' ? kv.words[r.index] : `\u0000${word}`;
    const have = seen.get(key);
    if (have !== undefined) {
      if (named) emphasis[have] = true;
      if (group && !groupOf[have]) groupOf[have] = group;
      return have;
    }
    const i = words.length;
    seen.set(key, i);
    words.push(r.kind === 'word' ? kv.words[r.index] : word);
    rows.push(r.kind === 'word' ? r.index : -1);
    vecs.push(r.vector);
    emphasis.push(named);
    groupOf.push(group);
    return i;
  };
  let grouping = 'none';
  const given = sel.words ?? [];
  const nothingChosen = !given.length && !sel.top && !sel.list?.length && !sel.pairs?.length;
  if (sel.list?.length) {
    for (const e of sel.list) add(e.word, false, e.group ?? '');
    if (sel.list.some((e) => e.group)) grouping = 'list';
  }
  for (const w of given) {
    const i = add(w, true, sel.neighbours ? w : '');
    if (i >= 0 && sel.neighbours) {
      for (const nb of kv.mostSimilar([w], [], sel.neighbours)) add(nb.word, false, w);
      if (grouping === 'none') grouping = 'neighbourhood';
    }
  }
  const pairs: [number, number][] = [];
  const sideNames = sel.pairs?.length ? [sel.pairs.map((p) => p[0]).join(', '), sel.pairs.map((p) => p[1]).join(', ')] : [];
  for (const [a, b] of sel.pairs ?? []) {
    // Without other groups, the two sides of the pairs get two colours (king, man… → queen, woman…).
    const i = add(a, true, grouping === 'none' ? sideNames[0] : '');
    const j = add(b, true, grouping === 'none' ? sideNames[1] : '');
    if (i >= 0 && j >= 0) pairs.push([i, j]);
  }
  if (pairs.length && grouping === 'none') grouping = 'pairs';
  const top = sel.top ?? (nothingChosen ? DEFAULT_TOP : 0);
  for (let r = 0; r < Math.min(top, kv.size); r++) add(kv.words[r], false);
  if (words.length === 0) {
    const list = unknown
      .slice(0, 10)
      .map((w) => quote(w))
      .join(', ');
    throw new EmbedError(`none of the words is in the model's vocabulary: ${list}${unknown.length > 10 ? ', …' : ''}`, EXIT.unknownWord);
  }
  const dim = kv.dim;
  const vectors = new Float32Array(words.length * dim);
  vecs.forEach((v, i) => vectors.set(v, i * dim));
  let groups: Int32Array | null = null;
  const groupNames: string[] = [];
  if (grouping !== 'none') {
    const ids = new Map<string, number>();
    groups = new Int32Array(words.length).fill(-1);
    groupOf.forEach((g, i) => {
      if (!g) return;
      if (!ids.has(g)) {
        ids.set(g, groupNames.length);
        groupNames.push(g);
      }
      groups![i] = ids.get(g)!;
    });
  }
  return { words, rows, vectors, dim, unknown, emphasis, groups, groupNames, grouping, pairs };
}

/** The largest perplexity t-SNE accepts for n points. */
export const maxPerplexity = (n: number): number => Math.floor((n - 2) / 3);

/** Projects the selection to 2-D, adds k-means groups when it has none, and each word's plotted neighbours. */
export function projectWords(sel: Omit<PlotData, 'coords' | 'neighbours' | 'explained'>, opts: ProjectOptions): PlotData {
  const n = sel.words.length;
  const { vectors, dim } = sel;
  let coords: Float64Array;
  let explained: [number, number] | undefined;
  if (opts.method === 'tsne') {
    const perplexity = opts.perplexity ?? 30;
    if (n < minPointsFor(perplexity)) {
      const most = maxPerplexity(n);
      throw new UsageError(
        `t-SNE with perplexity ${perplexity} needs at least ${minPointsFor(perplexity)} words, and ${n} were chosen: ` +
          (most >= 2 ? `use --perplexity ${most} or less, ` : '') +
          'choose more words (--top, --neighbours), or use --method pca',
      );
    }
    coords = tsne(vectors, n, dim, {
      perplexity,
      iterations: opts.iterations,
      seed: opts.seed,
      onProgress: opts.onProgress,
      signal: opts.signal,
    });
  } else if (n === 1) {
    coords = new Float64Array(2);
  } else {
    const r = pca(vectors, n, dim, 2);
    coords = new Float64Array(2 * n);
    coords.set(r.coords.subarray(0, r.coords.length));
    if (dim < 2) for (let i = n - 1; i >= 0; i--) [coords[2 * i], coords[2 * i + 1]] = [r.coords[i], 0];
    explained = [r.explained[0] ?? 0, r.explained[1] ?? 0];
  }
  let { groups, groupNames, grouping } = sel;
  // k-means only where clusters can hold a few words each.
  const clusters = Math.min(opts.clusters ?? 0, Math.floor(n / 4));
  if (grouping === 'none' && clusters >= 2) {
    groups = kmeans(vectors, n, dim, clusters, opts.seed ?? 1);
    groupNames = Array.from({ length: clusters }, (_, c) => `cluster ${c + 1}`);
    grouping = 'k-means';
  }
  const k = Math.min(opts.neighbourCount ?? 10, n - 1);
  const nb = k > 0 ? nearestNeighbours(vectors, n, dim, k) : { indices: new Int32Array(0), distances: new Float64Array(0) };
  const scores = nb.distances.map((d) => 1 - d / 2);
  return { ...sel, groups, groupNames, grouping, coords, explained, neighbours: { indices: nb.indices, scores, k } };
}
