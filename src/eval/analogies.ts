// Analogy evaluation on questions-words files (": section" lines, then "a b c d": a is to b as c is to d),
// with gensim's evaluate_word_analogies semantics, so the numbers agree question for question:
//  - only the first `restrictVocab` words are searched and may appear in a question; a question with
//    any other word is skipped (out of vocabulary), or counted wrong with dummy4unknown;
//  - case-insensitive by default: words are uppercased, the most frequent case variant stands for all;
//  - the answer is the best word that is none of a, b, c (by row, and in case-insensitive mode not
//    a case variant of them either); gensim looks at the top 5 rows after dropping the three input
//    rows, which we reproduce from a top-8.
// The maths runs in the wasm kernel of the similarity scan, by tiles of rows (topRows), never a
// per-question scan in JavaScript.
import fs from 'node:fs';
import { EmbedError } from '../errors.js';
import type { KeyedVectors } from '../vectors/keyed-vectors.js';
import { scanKernel } from '../vectors/scan-kernel.js';
import { evalVocab, unitRows } from './vocab.js';

export type AnalogyMethod = 'add' | 'mul';
export type SectionKind = 'semantic' | 'syntactic';

/** The five semantic sections of Google's questions-words.txt; every gram* section there is syntactic. */
export const GOOGLE_SEMANTIC = ['capital-common-countries', 'capital-world', 'currency', 'city-in-state', 'family'];

/**
 * Semantic or syntactic: a section named like Google's gram1…gram9 ("gram…") is syntactic, every other
 * section is semantic. On Google's file this gives exactly its 5 semantic and 9 syntactic sections.
 */
export function sectionKind(name: string): SectionKind {
  return /^gram/i.test(name) ? 'syntactic' : 'semantic';
}

export interface AnalogyQuestion {
  section: number;
  line: number;
  words: [string, string, string, string];
}

export interface ParsedAnalogies {
  sections: string[];
  questions: AnalogyQuestion[];
  /** Non-blank lines that are neither a section header nor four words. */
  invalidLines: number[];
}

export function parseAnalogies(text: string, file = 'analogy file'): ParsedAnalogies {
  const sections: string[] = [];
  const questions: AnalogyQuestion[] = [];
  const invalidLines: number[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith(': ')) {
      sections.push(line.replace(/^[: ]+/, '').trim());
      continue;
    }
    const w = line.trim().split(/\s+/u).filter(Boolean);
    if (w.length === 0) continue;
    if (sections.length === 0)
      throw new EmbedError(`cannot read '${file}': line ${i + 1} comes before any ': section' header (is it a questions-words file?)`);
    if (w.length !== 4) {
      invalidLines.push(i + 1);
      continue;
    }
    questions.push({ section: sections.length - 1, line: i + 1, words: w as AnalogyQuestion['words'] });
  }
  return { sections, questions, invalidLines };
}

export interface AnalogyOptions {
  /** Search and accept only the first N words (0: all). Default 30000. */
  restrictVocab?: number;
  /** Default true. */
  caseInsensitive?: boolean;
  /** 3CosAdd (default, as gensim) or 3CosMul (Levy & Goldberg 2014). */
  method?: AnalogyMethod;
  /** 3CosMul's epsilon. Default 1e-3 (Levy & Goldberg); gensim 4.2's most_similar_cosmul uses 1e-6. */
  epsilon?: number;
  /** Count questions with unknown words as wrong instead of skipping them (gensim's dummy4unknown). */
  dummy4unknown?: boolean;
  /**
   * Subword models: also answer questions whose a, b or c is outside the searched words, with the
   * word's own row or a vector composed from its n-grams (the answer must still be a searched word),
   * scored apart from the in-vocabulary score (fastText's "sisg" beside "sisg-").
   */
  composeUnknown?: boolean;
}

export interface Score {
  correct: number;
  /** Answered (in vocabulary) questions, or all questions with dummy4unknown. */
  answered: number;
  /** Skipped for unknown words. */
  oov: number;
  /** All questions. */
  questions: number;
  /** correct / answered (null when nothing was answered). */
  accuracy: number | null;
  /** correct / questions, unknown words counting as wrong. */
  accuracyAll: number | null;
}

export interface SectionScore extends Score {
  section: string;
  kind: SectionKind;
}

export interface AnalogyResult {
  method: AnalogyMethod;
  restrictVocab: number;
  caseInsensitive: boolean;
  dummy4unknown: boolean;
  sections: SectionScore[];
  semantic: Score;
  syntactic: Score;
  total: Score;
  /**
   * With composeUnknown: every question, those answered with composed vectors included (`answered`),
   * those still unanswerable counted in `oov` and as wrong in accuracyAll. Null without.
   */
  composed: { semantic: Score; syntactic: Score; total: Score } | null;
  /** Questions skipped for unknown words, as "section: a b c d". */
  skipped: string[];
  /** Questions answered wrongly: [question, predicted]. */
  wrong: [string, string][];
  invalidLines: number[];
  backend: string;
  seconds: number;
}

function score(correct: number, answered: number, oov: number, questions: number): Score {
  return {
    correct,
    answered,
    oov,
    questions,
    accuracy: answered > 0 ? correct / answered : null,
    accuracyAll: questions > 0 ? correct / questions : null,
  };
}

function sum(parts: Score[]): Score {
  const t = (k: 'correct' | 'answered' | 'oov' | 'questions') => parts.reduce((s, p) => s + p[k], 0);
  return score(t('correct'), t('answered'), t('oov'), t('questions'));
}

/** A question to answer: its keys, its a, b, c as searched rows (-1: composed, with the vector in `composed`). */
interface Todo {
  q: AnalogyQuestion;
  keys: string[];
  rows: [number, number, number];
  composed?: (Float32Array | null)[];
}

/** v at unit length (zero stays zero). */
function unit(v: Float32Array): Float32Array {
  let s = 0;
  for (let d = 0; d < v.length; d++) s += v[d] * v[d];
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  return v.map((x) => x * inv);
}

/** How many of the top rows to fetch: the 3 inputs, then gensim's topn=5. */
const TOP_K = 8;

/**
 * The best TOP_K rows of the first `limit` for every question, by 3CosAdd or 3CosMul (row numbers, -1
 * where fewer), TOP_K per question. Every score is a sum or product of the cosines of a, b and c with
 * the row, so the cosines of the few distinct question words with every row are computed once, a tile
 * of rows at a time (one matrix product in the wasm kernel), and each question's scores are combined
 * from them and merged into its best TOP_K (bench/MEASUREMENTS.md, "Analogy evaluation by tiles").
 */
function topRows(kv: KeyedVectors, limit: number, todo: Todo[], method: AnalogyMethod, eps: number): Int32Array {
  const dim = kv.dim;
  const k = Math.min(TOP_K, limit);
  const nq = todo.length;
  // One slot a distinct word: a searched row (by number) or a composed vector (by its key).
  const slot = new Map<number | string, number>();
  const words: (number | Float32Array)[] = [];
  const abc = new Int32Array(3 * nq);
  todo.forEach((t, j) =>
    t.rows.forEach((r, m) => {
      const composed = t.composed?.[m];
      const id = composed ? t.keys[m] : r;
      let s = slot.get(id);
      if (s === undefined) slot.set(id, (s = words.push(composed ? unit(composed) : r) - 1));
      abc[3 * j + m] = s;
    }),
  );
  const units = unitRows(kv, limit);
  const nw = words.length;
  // A tile's product (nw × tile floats) stays within about 32 MB.
  const tile = Math.max(1, Math.min(limit, Math.floor((32 << 20) / (4 * nw))));
  const K = scanKernel();
  const [pW, pRows, pS, pAbc, pIdx, pScore] = K.layout([
    nw * dim * 4,
    tile * dim * 4,
    nw * tile * 4,
    abc.byteLength,
    nq * k * 4,
    nq * k * 4,
  ]);
  const mem = K.memory.buffer;
  const w = new Float32Array(mem, pW, nw * dim);
  words.forEach((r, i) => w.set(typeof r === 'number' ? units.subarray(r * dim, (r + 1) * dim) : r, i * dim));
  new Int32Array(mem, pAbc, abc.length).set(abc);
  new Int32Array(mem, pIdx, nq * k).fill(-1);
  new Float32Array(mem, pScore, nq * k).fill(-Infinity);
  const rows = new Float32Array(mem, pRows, tile * dim);
  for (let first = 0; first < limit; first += tile) {
    const count = Math.min(tile, limit - first);
    rows.set(units.subarray(first * dim, (first + count) * dim));
    K.gemm4(pW, nw, pRows, count, dim, pS);
    K.topk(pS, count, first, pAbc, nq, k, method === 'mul', Math.fround(1 + 2 * eps), pIdx, pScore);
  }
  return new Int32Array(mem, pIdx, nq * k).slice();
}

export async function evaluateAnalogies(kv: KeyedVectors, parsed: ParsedAnalogies, opts: AnalogyOptions = {}): Promise<AnalogyResult> {
  const t0 = performance.now();
  const method = opts.method ?? 'add';
  const restrict = opts.restrictVocab ?? 30000;
  const caseInsensitive = opts.caseInsensitive ?? true;
  const dummy = opts.dummy4unknown ?? false;
  const eps = opts.epsilon ?? 1e-3;
  const compose = opts.composeUnknown ?? false;
  if (compose && !kv.composes)
    throw new EmbedError('--compose-unknown needs a subword model (embed train --method fasttext, or a fastText .bin)');
  if (parsed.questions.length === 0) throw new EmbedError('the analogy file has no questions (lines "a b c d" after a ": section" line)');
  const vocab = evalVocab(kv, restrict, caseInsensitive);
  const n = parsed.sections.length;
  const correct = new Array(n).fill(0),
    answered = new Array(n).fill(0),
    oov = new Array(n).fill(0),
    questions = new Array(n).fill(0);
  const skipped: string[] = [];
  const wrong: [string, string][] = [];
  // With compose: the questions answered with composed vectors, correct and answered, by section.
  const cCorrect = new Array(n).fill(0),
    cAnswered = new Array(n).fill(0);
  const composedVector = new Map<string, Float32Array | null>();
  const composedOf = (word: string) => {
    if (!composedVector.has(word)) composedVector.set(word, kv.vectorOrNull(word));
    return composedVector.get(word)!;
  };

  // Questions whose four words are all known, as row indices; with compose, also those whose a, b, c
  // have vectors from the model and whose answer is a searched word.
  const todo: (Todo & { viaCompose: boolean })[] = [];
  for (const q of parsed.questions) {
    questions[q.section]++;
    const keys = q.words.map(vocab.key);
    const rows = keys.map((k) => vocab.index.get(k) ?? -1);
    if (rows.some((r) => r < 0)) {
      oov[q.section]++;
      skipped.push(`${parsed.sections[q.section]}: ${q.words.join(' ')}`);
      if (dummy) answered[q.section]++;
      if (compose && rows[3] >= 0) {
        const composed = [0, 1, 2].map((m) => (rows[m] < 0 ? composedOf(q.words[m]) : null));
        if (composed.every((v, m) => v !== null || rows[m] >= 0)) {
          cAnswered[q.section]++;
          todo.push({ q, keys, rows: [rows[0], rows[1], rows[2]], composed, viaCompose: true });
        }
      }
      continue;
    }
    answered[q.section]++;
    todo.push({ q, keys, rows: [rows[0], rows[1], rows[2]], viaCompose: false });
  }

  let backendName = 'none';
  if (todo.length > 0) {
    backendName = 'wasm';
    const best = topRows(kv, vocab.limit, todo, method, eps);
    const k = Math.min(TOP_K, vocab.limit);
    for (let i = 0; i < todo.length; i++) {
      const { q, keys, rows, viaCompose } = todo[i];
      // gensim: drop the input rows, keep the top 5, answer with the first that is not an input word.
      const ignore = new Set(keys.slice(0, 3));
      let predicted: string | null = null;
      let seen = 0;
      for (let j = 0; j < k && seen < 5; j++) {
        const r = best[i * k + j];
        if (r < 0) break;
        if (r === rows[0] || r === rows[1] || r === rows[2]) continue;
        seen++;
        predicted = vocab.key(kv.word(r));
        if (!ignore.has(predicted)) break;
      }
      if (viaCompose) {
        if (predicted === keys[3]) cCorrect[q.section]++;
      } else if (predicted === keys[3]) correct[q.section]++;
      else
        wrong.push([
          `${parsed.sections[q.section]}: ${q.words.join(' ')}`,
          predicted === null ? '' : kv.word(vocab.index.get(predicted) ?? 0),
        ]);
    }
  }

  const sections = parsed.sections.map((s, i) => ({
    section: s,
    kind: sectionKind(s),
    ...score(correct[i], answered[i], oov[i], questions[i]),
  }));
  // The composed score: in-vocabulary answers plus composed ones, over every question.
  const withComposed = parsed.sections.map((s, i) => ({
    kind: sectionKind(s),
    ...score(correct[i] + cCorrect[i], answered[i] - (dummy ? oov[i] : 0) + cAnswered[i], oov[i] - cAnswered[i], questions[i]),
  }));
  return {
    method,
    restrictVocab: vocab.limit,
    caseInsensitive,
    dummy4unknown: dummy,
    sections,
    composed: compose
      ? {
          semantic: sum(withComposed.filter((s) => s.kind === 'semantic')),
          syntactic: sum(withComposed.filter((s) => s.kind === 'syntactic')),
          total: sum(withComposed),
        }
      : null,
    semantic: sum(sections.filter((s) => s.kind === 'semantic')),
    syntactic: sum(sections.filter((s) => s.kind === 'syntactic')),
    total: sum(sections),
    skipped,
    wrong,
    invalidLines: parsed.invalidLines,
    backend: backendName,
    seconds: (performance.now() - t0) / 1000,
  };
}

export function readAnalogyFile(file: string): ParsedAnalogies {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new EmbedError(`cannot read '${file}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const parsed = parseAnalogies(text, file);
  if (parsed.questions.length === 0)
    throw new EmbedError(
      `'${file}' has no usable analogy questions (expected ': section' lines followed by 'a b c d' lines${parsed.invalidLines.length ? `; ${parsed.invalidLines.length} lines did not have four words` : ''})`,
    );
  return parsed;
}
