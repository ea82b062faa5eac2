// KeyedVectors: words + one Float32Array of rows, the query side of a model (as gensim's).
import { UnknownWordError, EmbedError } from '../errors.js';
import { normalizeText } from '../text/normalize.js';
import { suggestWords } from './suggest.js';
import type { RowSource } from './row-source.js';
import { SCAN_BLOCK_BYTES, scanKernel } from './scan-kernel.js';
import { candidateRows } from './prefilter.js';
import type { SubwordTable } from './subword-table.js';

export interface Neighbour {
  word: string;
  score: number;
}

/** A query term: a word (looked up) or a ready vector. */
export type Term = string | Float32Array;

/**
 * What a query term stands for (finalfusion's lookup): a word with its own row, a vector built from other
 * rows for a word without one (a subword model's n-grams), or a vector the caller gave. Only `word` has an
 * index, so only it can be excluded from a neighbour search. An unknown word is an UnknownWordError.
 */
export type Resolved =
  | { kind: 'word'; index: number; vector: Float32Array }
  | { kind: 'composed'; vector: Float32Array }
  | { kind: 'vector'; vector: Float32Array };

/** Builds a vector for a word that has no row (already normalised as the model's tokens are), or null if it cannot. */
export type Composer = (word: string) => Float32Array | null;

/**
 * The words of a model that stay in their file until asked for (a native model's vocab.tsv): a one-off
 * query on a million-word model looks up a few words and names ten, instead of first making a million
 * strings and counts.
 */
export interface WordSource {
  readonly size: number;
  /** The word of row i. */
  word(i: number): string;
  /** The first row whose word is exactly `word`, or -1. */
  find(word: string): number;
  /** Every word, in row order. */
  all(): string[];
  /** Every row's corpus count, in row order. */
  counts(): Float64Array;
}

export class KeyedVectors {
  private wordList: string[] | null;
  private wordSource: WordSource | null;
  private countList: Float64Array | null | undefined;
  private indexCache: Map<string, number> | null = null;
  private lookups = 0;
  private unitCache: Float32Array | null = null;
  private normCache: Float32Array | null = null;

  private matrix: Float32Array | null;
  /** A subword model's n-gram rows and settings (fastText), for export; null for other models. */
  subwordTable: SubwordTable | null = null;
  /** Called when a word without a row of its own is composed from its n-grams (the CLI notes it on stderr). */
  onComposed: ((word: string) => void) | null = null;
  private source: RowSource | null;
  /** Reads the row norms that came with the model (its norms file); null without. */
  private readonly normSource: RowSource | null;

  constructor(
    /** The words in row order, or a source that reads them on demand (counts then come from it too). */
    words: string[] | WordSource,
    /** The rows, or a source that reads them on demand (see row-source.ts). */
    vectors: Float32Array | RowSource,
    readonly dim: number,
    /** Corpus counts where known (our models, gensim/word2vec vocab files), else null. */
    counts: Float64Array | null = null,
    /** Whether queries should be lowercased (the model was trained with --lowercase). */
    readonly lowercase = false,
    /** Embeds words without a row of their own (subword models); without it such words are unknown. */
    private readonly compose: Composer | null = null,
    /** Whether the composer gets a word as given rather than normalised (foreign models trained on raw text: fastText's .bin). */
    private readonly composeAsGiven = false,
  ) {
    const values = vectors instanceof Float32Array ? vectors.length : vectors.rows * vectors.dim;
    const n = Array.isArray(words) ? words.length : words.size;
    if (values !== n * dim)
      throw new EmbedError(`model is inconsistent: ${n} words × ${dim} dims needs ${n * dim} values, found ${values}`);
    this.wordList = Array.isArray(words) ? words : null;
    this.wordSource = Array.isArray(words) ? null : words;
    this.countList = Array.isArray(words) ? counts : undefined;
    this.matrix = vectors instanceof Float32Array ? vectors : null;
    this.source = vectors instanceof Float32Array ? null : vectors;
    this.normSource = vectors instanceof Float32Array || !vectors.readNorms ? null : vectors;
  }

  /** All rows as one Float32Array (read from the source on first use). */
  get vectors(): Float32Array {
    if (!this.matrix) {
      this.matrix = this.source!.loadAll();
      this.source = null;
    }
    return this.matrix;
  }

  /** Row i, without loading the whole matrix. */
  row(i: number): Float32Array {
    if (this.matrix) return this.matrix.subarray(i * this.dim, (i + 1) * this.dim);
    const out = new Float32Array(this.dim);
    this.source!.readRow(i, out);
    return out;
  }

  /** Rows [first, first + count) as one array (a view of the matrix when it is loaded; else read, checked). */
  rowRange(first: number, count: number): Float32Array {
    const dim = this.dim;
    if (this.matrix) return this.matrix.subarray(first * dim, (first + count) * dim);
    const out = new Float32Array(count * dim);
    this.source!.readRows(first, count, out);
    for (let r = 0; r < count; r++) this.source!.checkRow(first + r, out.subarray(r * dim, (r + 1) * dim));
    return out;
  }

  /** The words in row order (read from the word source on first use). */
  get words(): string[] {
    if (!this.wordList) this.wordList = this.wordSource!.all();
    return this.wordList;
  }

  /** Corpus counts where known (our models, gensim/word2vec vocab files), else null. */
  get counts(): Float64Array | null {
    if (this.countList === undefined) this.countList = this.wordSource!.counts();
    return this.countList;
  }

  /** The word of row i, without reading every word. */
  word(i: number): string {
    return this.wordList ? this.wordList[i] : this.wordSource!.word(i);
  }

  /** Word → row (first occurrence), built on first use: a one-off query on a million-word model
   *  answers from a linear scan instead of paying for the whole map. */
  get index(): Map<string, number> {
    if (this.indexCache) return this.indexCache;
    const m = new Map<string, number>();
    const w = this.words;
    for (let i = 0; i < w.length; i++) if (!m.has(w[i])) m.set(w[i], i);
    return (this.indexCache = m);
  }

  private find(word: string): number | undefined {
    if (!this.indexCache && ++this.lookups <= 16) {
      const i = this.wordList ? this.wordList.indexOf(word) : this.wordSource!.find(word);
      return i < 0 ? undefined : i;
    }
    return this.index.get(word);
  }

  get size(): number {
    return this.wordList ? this.wordList.length : this.wordSource!.size;
  }

  /** Index of a word, trying it as given, then normalised as the model's tokenizer would; -1 if unknown. */
  indexOf(word: string): number {
    const exact = this.find(word);
    if (exact !== undefined) return exact;
    const norm = normalizeText(word, this.lowercase);
    const n = norm === word ? undefined : this.find(norm);
    if (n !== undefined) return n;
    const lower = norm.toLowerCase() === norm ? undefined : this.find(norm.toLowerCase());
    return lower ?? -1;
  }

  /**
   * Whether the word has a row of its own. A word that only a composer can embed is not in the
   * vocabulary (gensim's FastText `in` answers true for every word; ours never lies): use resolve().
   */
  has(word: string): boolean {
    return this.indexOf(word) >= 0;
  }

  /**
   * The one lookup every query goes through: the word's row (as given, then normalised), else a vector
   * the composer builds, else an UnknownWordError naming the word with close vocabulary words. A vector
   * term is checked for size and passed through.
   */
  resolve(term: Term): Resolved {
    if (typeof term !== 'string') {
      if (term.length !== this.dim) throw new EmbedError(`vector has ${term.length} dimensions, the model has ${this.dim}`);
      return { kind: 'vector', vector: term };
    }
    const index = this.indexOf(term);
    if (index >= 0) return { kind: 'word', index, vector: this.row(index) };
    const norm = normalizeText(term, this.lowercase);
    const vector = this.compose?.(this.composeAsGiven ? term : norm);
    if (vector) {
      if (vector.length !== this.dim)
        throw new EmbedError(`composed vector for '${norm}' has ${vector.length} dimensions, the model has ${this.dim}`);
      this.onComposed?.(term);
      return { kind: 'composed', vector };
    }
    throw new UnknownWordError(term, suggestWords(this, norm));
  }

  /** Whether words without a row get vectors from their character n-grams (a subword model). */
  get composes(): boolean {
    return this.compose !== null;
  }

  /**
   * A word's vector for an evaluation that composes unknown words: its row if it has one, else what
   * the composer builds, else null. Unlike resolve(), no note and no spelling suggestions (an
   * evaluation asks for thousands of words).
   */
  vectorOrNull(word: string): Float32Array | null {
    const index = this.indexOf(word);
    if (index >= 0) return this.row(index);
    const v = this.compose?.(this.composeAsGiven ? word : normalizeText(word, this.lowercase));
    return v && v.length === this.dim ? v : null;
  }

  /** The vector of a word: its row, or what the composer builds. */
  vector(word: string): Float32Array {
    return this.resolve(word).vector;
  }

  /** L2 norms of all rows (computed once). */
  norms(): Float32Array {
    if (this.normCache) return this.normCache;
    const { vectors: v, dim } = this;
    const out = new Float32Array(this.size);
    for (let i = 0, o = 0; i < out.length; i++, o += dim) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += v[o + d] * v[o + d];
      out[i] = Math.sqrt(s);
    }
    return (this.normCache = out);
  }

  /** All rows scaled to unit length (computed once; zero rows stay zero). */
  unitVectors(): Float32Array {
    if (this.unitCache) return this.unitCache;
    const { vectors: v, dim } = this;
    const norms = this.norms();
    const out = new Float32Array(v.length);
    for (let i = 0, o = 0; i < this.size; i++, o += dim) {
      const inv = norms[i] > 0 ? 1 / norms[i] : 0;
      for (let d = 0; d < dim; d++) out[o + d] = v[o + d] * inv;
    }
    return (this.unitCache = out);
  }

  /** A resolved term at unit length (zero stays zero). A word row's norm comes from norms()'s cache when
   *  it exists, so scores do not depend on the path taken. */
  unit(r: Resolved): Float32Array {
    const v = r.vector;
    let n = 0;
    if (r.kind === 'word' && this.normCache) n = this.normCache[r.index];
    else {
      for (let d = 0; d < this.dim; d++) n += v[d] * v[d];
      n = Math.sqrt(n);
    }
    const out = new Float32Array(this.dim);
    if (n > 0) for (let d = 0; d < this.dim; d++) out[d] = v[d] / n;
    return out;
  }

  /** Cosine similarity of two terms. */
  similarity(a: Term, b: Term): number {
    const ra = this.resolve(a),
      rb = this.resolve(b);
    const ua = this.unit(ra),
      ub = this.unit(rb);
    let s = 0;
    for (let d = 0; d < this.dim; d++) s += ua[d] * ub[d];
    return s;
  }

  /**
   * 3CosAdd / gensim's most_similar: the mean of the unit vectors of `positive` minus those of
   * `negative`, then the `topn` rows by cosine, excluding the input words' rows (a composed word or a
   * vector has no row to exclude). `restrict` limits the search to the first N (most frequent) words.
   */
  mostSimilar(positive: Term[], negative: Term[] = [], topn = 10, restrict = 0): Neighbour[] {
    const { vector, exclude } = this.queryVector(positive, negative);
    return this.nearestToVector(vector, topn, exclude, restrict);
  }

  /**
   * The query vector of mostSimilar: the sum of the unit vectors of `positive` minus those of
   * `negative`, with the rows of the input words (to exclude from a search in this model). A search in
   * another model of the same space (an aligned target) uses the vector and ignores the rows.
   */
  queryVector(positive: Term[], negative: Term[] = []): { vector: Float32Array; exclude: Set<number> } {
    if (positive.length + negative.length === 0) throw new EmbedError('give at least one word to compare with');
    const dim = this.dim;
    const q = new Float32Array(dim);
    const exclude = new Set<number>();
    const addTerm = (t: Term, sign: number) => {
      const r = this.resolve(t);
      if (r.kind === 'word') exclude.add(r.index);
      const u = this.unit(r);
      for (let d = 0; d < dim; d++) q[d] += sign * u[d];
    };
    for (const t of positive) addTerm(t, 1);
    for (const t of negative) addTerm(t, -1);
    return { vector: q, exclude };
  }

  /**
   * The `topn` rows nearest by cosine to vector q, skipping indices in `exclude`. The dot products run
   * in the wasm kernel (scan-kernel.ts) over blocks of rows read straight into its memory; the row norms
   * come from norms() when computed, else from the model's norms file (row-source.ts), else from the
   * same pass as the dot products. A model on disk with an int8 copy of its rows first narrows the rows
   * to read to those that can be in the answer (prefilter.ts); otherwise it is one sweep over the
   * matrix. Either way the scores are those of the plain JavaScript scan this replaced, bit for bit
   * (assembly/scan.ts).
   */
  nearestToVector(q: Float32Array, topn = 10, exclude: Set<number> = new Set(), restrict = 0): Neighbour[] {
    const dim = this.dim;
    let qn = 0;
    for (let d = 0; d < dim; d++) qn += q[d] * q[d];
    qn = Math.sqrt(qn) || 1;
    const limit = restrict > 0 ? Math.min(restrict, this.size) : this.size;
    const k = Math.max(0, Math.min(topn, limit));
    // Keep the best k in descending order; insertion is cheap for small k.
    const bestIdx = new Int32Array(k).fill(-1);
    const bestScore = new Float64Array(k).fill(-Infinity);
    const K = scanKernel();
    const source = this.matrix ? null : this.source;
    const normSource = this.normCache ? null : this.normSource;
    const quantized = source?.quantized;
    const only = quantized && normSource ? candidateRows(K, quantized, q, qn, k, limit, exclude) : null;
    const rowsToScan = only ? only.length : limit;
    const blockRows = Math.max(1, Math.min(rowsToScan, Math.floor(SCAN_BLOCK_BYTES / (dim * 4))));
    const [pq, pRows, pDots, pNorms] = K.layout([dim * 4, blockRows * dim * 4, blockRows * 8, blockRows * 8]);
    const mem = K.memory.buffer;
    new Float32Array(mem, pq, dim).set(q);
    const rows = new Float32Array(mem, pRows, blockRows * dim);
    const dots = new Float64Array(mem, pDots, blockRows);
    const norms = new Float64Array(mem, pNorms, blockRows);
    for (let at = 0; at < rowsToScan; at += blockRows) {
      const count = Math.min(blockRows, rowsToScan - at);
      if (only) {
        for (let r = 0; r < count; r++) {
          source!.readRows(only[at + r], 1, rows.subarray(r * dim, (r + 1) * dim));
          normSource!.readNorms!(only[at + r], 1, norms.subarray(r, r + 1));
        }
      } else if (this.matrix) rows.set(this.matrix.subarray(at * dim, (at + count) * dim));
      else source!.readRows(at, count, rows);
      if (this.normCache) for (let r = 0; r < count; r++) norms[r] = this.normCache[at + r];
      else if (normSource && !only) normSource.readNorms!(at, count, norms);
      if (this.normCache || normSource) K.dots(pq, pRows, count, dim, pDots);
      else K.dotsNorms(pq, pRows, count, dim, pDots, pNorms);
      for (let r = 0; r < count; r++) {
        const i = only ? only[at + r] : at + r;
        const n = norms[r];
        const s = dots[r] / (n * qn);
        // A NaN or infinite value in a row makes its dot product or norm so: the source refuses the row.
        if (!Number.isFinite(s) && n !== 0) this.source?.checkRow(i, rows.subarray(r * dim, (r + 1) * dim));
        if (k === 0 || s <= bestScore[k - 1] || n === 0 || exclude.has(i)) continue;
        let j = k - 1;
        while (j > 0 && bestScore[j - 1] < s) {
          bestScore[j] = bestScore[j - 1];
          bestIdx[j] = bestIdx[j - 1];
          j--;
        }
        bestScore[j] = s;
        bestIdx[j] = i;
      }
    }
    const out: Neighbour[] = [];
    for (let j = 0; j < k; j++) if (bestIdx[j] >= 0) out.push({ word: this.word(bestIdx[j]), score: bestScore[j] });
    return out;
  }

  /** The first n (most frequent) words, as a model of their own (word rows only). */
  top(n: number): KeyedVectors {
    if (n <= 0 || n >= this.size) return this;
    return new KeyedVectors(
      this.words.slice(0, n),
      this.vectors.slice(0, n * this.dim),
      this.dim,
      this.counts?.slice(0, n) ?? null,
      this.lowercase,
    );
  }

  /** A − B + C (3CosAdd): `analogy('king', 'man', 'woman')` → queen. */
  analogy(a: Term, b: Term, c: Term, topn = 10, restrict = 0): Neighbour[] {
    return this.mostSimilar([a, c], [b], topn, restrict);
  }
}
