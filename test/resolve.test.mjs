// One term-resolution path (KeyedVectors.resolve): a word's row, a vector a composer builds for a word
// without a row (what a subword model will plug in), a caller's vector, or unknown with suggestions.
// A tiny hand-made model, so every expected score is computed here, independently of the library.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedVectors, doesntMatch, rankByCentrality, UnknownWordError, EmbedError, EXIT } from '../dist/index.js';

const WORDS = ['apple', 'banana', 'car', 'truck', 'red'];
const ROWS = [
  [1, 0.2, 0, 0],
  [0.8, 0.6, 0, 0.1],
  [0, 0, 1, 0.3],
  [0.1, 0, 0.9, 0.5],
  [0.5, -0.2, 0.3, -1],
];
const DIM = 4;
const matrix = () => new Float32Array(ROWS.flat());

// Test-only composer: 'applebanana' is the mean of two rows, any other word cannot be composed.
const asked = [];
const meanOf = (a, b) => ROWS[a].map((x, d) => (x + ROWS[b][d]) / 2);
const composer = (word) => {
  asked.push(word);
  return word === 'applebanana' ? new Float32Array(meanOf(0, 1)) : null;
};
const kvWith = (compose, lowercase = false) => new KeyedVectors(WORDS, matrix(), DIM, null, lowercase, compose);

const cos = (a, b) => {
  let s = 0,
    na = 0,
    nb = 0;
  for (let d = 0; d < a.length; d++) ((s += a[d] * b[d]), (na += a[d] * a[d]), (nb += b[d] * b[d]));
  return s / Math.sqrt(na * nb);
};
const unit = (v) => v.map((x) => x / Math.hypot(...v));
/** Brute force: every row by cosine to q, best first, skipping the rows named in `skip`. */
const ranking = (q, skip) =>
  WORDS.map((w, i) => ({ word: w, score: cos(q, ROWS[i]) }))
    .filter((r) => !skip.includes(r.word))
    .sort((a, b) => b.score - a.score);
const close = (got, want) => {
  assert.deepEqual(
    got.map((r) => r.word),
    want.map((r) => r.word),
  );
  got.forEach((r, i) => assert.ok(Math.abs(r.score - want[i].score) < 1e-6, `${r.word}: ${r.score} vs ${want[i].score}`));
};

test('resolve: a word is its row, a composable word is composed, a vector passes through; has() is rows only', () => {
  const kv = kvWith(composer);
  const w = kv.resolve('banana');
  assert.equal(w.kind, 'word');
  assert.equal(w.index, 1);
  assert.deepEqual([...w.vector], [...new Float32Array(ROWS[1])]);
  const c = kv.resolve('applebanana');
  assert.equal(c.kind, 'composed');
  assert.equal('index' in c, false);
  assert.deepEqual([...c.vector], [...new Float32Array(meanOf(0, 1))]);
  assert.deepEqual([...kv.vector('applebanana')], [...c.vector]);
  const v = new Float32Array([1, 2, 3, 4]);
  assert.deepEqual(kv.resolve(v), { kind: 'vector', vector: v });
  // "contains" never lies: only a word with its own row is in the vocabulary.
  assert.equal(kv.has('apple'), true);
  assert.equal(kv.has('applebanana'), false);
  assert.equal(kv.indexOf('applebanana'), -1);
});

test('the composer is asked only for words without a row, with the normalised word', () => {
  asked.length = 0;
  const kv = kvWith(composer, true);
  kv.resolve('apple');
  kv.resolve('APPLE');
  assert.deepEqual(asked, []);
  // Full-width letters fold (NFKC) and --lowercase models lowercase, as for words with rows.
  assert.equal(kv.resolve('ＡｐｐｌｅBanana').kind, 'composed');
  assert.deepEqual(asked, ['applebanana']);
});

test('similarity accepts a composed word: the cosine of the composed vector', () => {
  const kv = kvWith(composer);
  const ab = meanOf(0, 1);
  for (const [i, w] of WORDS.entries()) {
    assert.ok(Math.abs(kv.similarity('applebanana', w) - cos(ab, ROWS[i])) < 1e-6, w);
    assert.ok(Math.abs(kv.similarity(w, 'applebanana') - cos(ab, ROWS[i])) < 1e-6, w);
  }
  assert.ok(Math.abs(kv.similarity('applebanana', 'applebanana') - 1) < 1e-6);
});

test('mostSimilar/analogy accept a composed word: it excludes no row, the words with rows are excluded', () => {
  const kv = kvWith(composer);
  const ab = meanOf(0, 1);
  // Alone: nothing to exclude, so its two parts lead the list.
  const alone = kv.mostSimilar(['applebanana'], [], 10);
  close(alone, ranking(ab, []));
  assert.deepEqual(
    alone
      .slice(0, 2)
      .map((r) => r.word)
      .sort(),
    ['apple', 'banana'],
  );
  // With words that have rows: exactly those rows are excluded (car positive, red negative).
  const q = ab.map((_, d) => unit(ab)[d] + unit(ROWS[2])[d] - unit(ROWS[4])[d]);
  close(kv.mostSimilar(['applebanana', 'car'], ['red'], 10), ranking(q, ['car', 'red']));
  close(kv.analogy('applebanana', 'red', 'car', 10), ranking(q, ['car', 'red']));
  // A composed word gives the same answer as its vector passed in.
  assert.deepEqual(kv.mostSimilar(['applebanana', 'car'], ['red']), kv.mostSimilar([new Float32Array(ab), 'car'], ['red']));
  // A word with a row is still excluded.
  close(kv.mostSimilar(['apple'], [], 10), ranking(ROWS[0], ['apple']));
});

test('doesntMatch / rankByCentrality accept a composed word', () => {
  const kv = kvWith(composer);
  assert.equal(doesntMatch(kv, ['applebanana', 'apple', 'banana', 'truck']), 'truck');
  const units = [meanOf(0, 1), ROWS[0], ROWS[1], ROWS[3]].map(unit);
  const mean = units[0].map((_, d) => units.reduce((s, u) => s + u[d], 0) / 4);
  const names = ['applebanana', 'apple', 'banana', 'truck'];
  const want = units.map((u, i) => ({ word: names[i], score: cos(u, mean) })).sort((a, b) => b.score - a.score);
  close(rankByCentrality(kv, names), want);
  assert.equal(doesntMatch(kv, ['car', 'truck', 'applebanana']), 'applebanana');
});

test('unknown words: no composer, or a composer that cannot, give UnknownWordError with suggestions; a bad composer is refused', () => {
  for (const kv of [kvWith(null), kvWith(composer)]) {
    const queries = [
      () => kv.resolve('aple'),
      () => kv.similarity('car', 'aple'),
      () => kv.mostSimilar(['car', 'aple']),
      () => doesntMatch(kv, ['car', 'aple']),
      () => kv.vector('aple'),
    ];
    const unknown = (e) =>
      e instanceof UnknownWordError && e.exitCode === EXIT.unknownWord && e.word === 'aple' && e.suggestions.includes('apple');
    for (const q of queries) assert.throws(q, unknown);
  }
  assert.throws(() => kvWith(null).resolve('applebanana'), UnknownWordError);
  const badComposer = kvWith(() => new Float32Array(3));
  const wrongSize = (e) => e instanceof EmbedError && /3 dimensions, the model has 4/.test(e.message);
  assert.throws(() => badComposer.resolve('applebanana'), wrongSize);
});
