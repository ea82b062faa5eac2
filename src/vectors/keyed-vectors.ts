// KeyedVectors: words + one Float32Array of rows, the query side of a model (as gensim's).
import { UnknownWordError, EmbedError } from '../errors.js';
import { normalizeText } from '../text/normalize.js';
import { suggestWords } from './suggest.js';

export interface Neighbour {
  word: string;
  score: number;
}

/** A query term: a word (looked up) or a ready vector. */
export type Term = string | Float32Array;

export class KeyedVectors {
  readonly index: Map<string, number>;
  private unitCache: Float32Array | null = null;
  private normCache: Float32Array | null = null;

  constructor(
    readonly words: string[],
    readonly vectors: Float32Array,
    readonly dim: number,
    /** Corpus counts where known (our models, gensim/word2vec vocab files), else null. */
    readonly counts: Float64Array | null = null,
    /** Whether queries should be lowercased (the model was trained with --lowercase). */
    readonly lowercase = false,
  ) {
    if (vectors.length !== words.length * dim)
      throw new EmbedError(`model is inconsistent: ${words.length} words × ${dim} dims needs ${words.length * dim} values, found ${vectors.length}`);
    this.index = new Map();
    for (let i = 0; i < words.length; i++) if (!this.index.has(words[i])) this.index.set(words[i], i);
  }

  get size(): number {
    return this.words.length;
  }

  /** Index of a word, trying it as given, then normalised as the model's tokenizer would; -1 if unknown. */
  indexOf(word: string): number {
    const exact = this.index.get(word);
    if (exact !== undefined) return exact;
    const norm = normalizeText(word, this.lowercase);
    const n = this.index.get(norm);
    if (n !== undefined) return n;
    const lower = this.index.get(norm.toLowerCase());
    return lower ?? -1;
  }

  has(word: string): boolean {
    return this.indexOf(word) >= 0;
  }

  /** Index of a word, or an UnknownWordError naming it with close vocabulary words. */
  require(word: string): number {
    const i = this.indexOf(word);
    if (i < 0) throw new UnknownWordError(word, suggestWords(this, normalizeText(word, this.lowercase)));
    return i;
  }

  vector(word: string): Float32Array {
    const i = this.require(word);
    return this.vectors.subarray(i * this.dim, (i + 1) * this.dim);
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

  unitVector(i: number): Float32Array {
    const { vectors: v, dim } = this;
    const n = this.norms()[i];
    const out = new Float32Array(dim);
    if (n > 0) for (let d = 0; d < dim; d++) out[d] = v[i * dim + d] / n;
    return out;
  }

  /** Cosine similarity of two words. */
  similarity(a: string, b: string): number {
    const ia = this.require(a), ib = this.require(b);
    const ua = this.unitVector(ia), ub = this.unitVector(ib);
    let s = 0;
    for (let d = 0; d < this.dim; d++) s += ua[d] * ub[d];
    return s;
  }

  /**
   * 3CosAdd / gensim's most_similar: the mean of the unit vectors of `positive` minus those of
   * `negative`, then the `topn` rows by cosine, excluding the input words. `restrict` limits the
   * search to the first N (most frequent) words.
   */
  mostSimilar(positive: Term[], negative: Term[] = [], topn = 10, restrict = 0): Neighbour[] {
    if (positive.length + negative.length === 0) throw new EmbedError('give at least one word to compare with');
    const dim = this.dim;
    const q = new Float32Array(dim);
    const exclude = new Set<number>();
    const addTerm = (t: Term, sign: number) => {
      let u: Float32Array;
      if (typeof t === 'string') {
        const i = this.require(t);
        exclude.add(i);
        u = this.unitVector(i);
      } else {
        if (t.length !== dim) throw new EmbedError(`vector has ${t.length} dimensions, the model has ${dim}`);
        let n = 0;
        for (let d = 0; d < dim; d++) n += t[d] * t[d];
        n = Math.sqrt(n) || 1;
        u = t.map((x) => x / n);
      }
      for (let d = 0; d < dim; d++) q[d] += sign * u[d];
    };
    for (const t of positive) addTerm(t, 1);
    for (const t of negative) addTerm(t, -1);
    return this.nearestToVector(q, topn, exclude, restrict);
  }

  /** The `topn` rows nearest by cosine to vector q, skipping indices in `exclude`. */
  nearestToVector(q: Float32Array, topn = 10, exclude: Set<number> = new Set(), restrict = 0): Neighbour[] {
    const dim = this.dim;
    let qn = 0;
    for (let d = 0; d < dim; d++) qn += q[d] * q[d];
    qn = Math.sqrt(qn) || 1;
    const v = this.vectors;
    const norms = this.norms();
    const limit = restrict > 0 ? Math.min(restrict, this.size) : this.size;
    const k = Math.max(0, Math.min(topn, limit));
    // Keep the best k in descending order; insertion is cheap for small k.
    const bestIdx = new Int32Array(k).fill(-1);
    const bestScore = new Float64Array(k).fill(-Infinity);
    for (let i = 0, o = 0; i < limit; i++, o += dim) {
      if (norms[i] === 0 || exclude.has(i)) continue;
      let s = 0;
      for (let d = 0; d < dim; d++) s += q[d] * v[o + d];
      s /= norms[i] * qn;
      if (k === 0 || s <= bestScore[k - 1]) continue;
      let j = k - 1;
      while (j > 0 && bestScore[j - 1] < s) {
        bestScore[j] = bestScore[j - 1];
        bestIdx[j] = bestIdx[j - 1];
        j--;
      }
      bestScore[j] = s;
      bestIdx[j] = i;
    }
    const out: Neighbour[] = [];
    for (let j = 0; j < k; j++) if (bestIdx[j] >= 0) out.push({ word: this.words[bestIdx[j]], score: bestScore[j] });
    return out;
  }

  /** A − B + C (3CosAdd): `analogy('king', 'man', 'woman')` → queen. */
  analogy(a: string, b: string, c: string, topn = 10, restrict = 0): Neighbour[] {
    return this.mostSimilar([a, c], [b], topn, restrict);
  }
}
