import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WordCounter, buildVocabulary, buildHuffman, buildUnigramTable, buildKeepProbabilities, resolveConfig } from '../dist/index.js';
import { learningRate, workerLearningRate, aliasTable } from '../dist/internal.js';

test('vocabulary: counts, min-count, frequency order with first-seen ties, max-vocab', () => {
  const c = new WordCounter();
  c.add('b a c a b a d e e'.split(' '));
  const v = buildVocabulary(c, 2);
  assert.deepEqual(v.words, ['a', 'b', 'e']);
  assert.deepEqual([...v.counts], [3, 2, 2]);
  assert.equal(v.totalCount, 7);
  assert.equal(v.index.get('e'), 2);
  assert.deepEqual(buildVocabulary(c, 1, 2).words, ['a', 'b']);
});

function code(h, w) {
  return [...h.codes.slice(h.codeOffsets[w], h.codeOffsets[w + 1])].join('');
}

test('Huffman codes: prefix-free, Kraft equality, frequent words get shorter codes', () => {
  const counts = [45, 16, 13, 12, 9, 5];
  const h = buildHuffman(counts);
  const codes = counts.map((_, w) => code(h, w));
  // The classic textbook example: lengths 1,3,3,3,4,4.
  assert.deepEqual(
    codes.map((c) => c.length),
    [1, 3, 3, 3, 4, 4],
  );
  for (let i = 0; i < codes.length; i++)
    for (let j = 0; j < codes.length; j++) if (i !== j) assert.ok(!codes[j].startsWith(codes[i]), `${codes[i]} prefixes ${codes[j]}`);
  assert.equal(
    codes.reduce((s, c) => s + 2 ** -c.length, 0),
    1,
  );
  // Points are inner nodes 0..V-2, the root (V-2) first on every path.
  for (let w = 0; w < counts.length; w++) assert.equal(h.points[h.codeOffsets[w]], counts.length - 2);
  assert.ok([...h.points].every((p) => p >= 0 && p <= counts.length - 2));
});

test('unigram table follows count^0.75', () => {
  const counts = [1000, 100, 10];
  const t = buildUnigramTable(counts, 0.75, 1_000_000);
  const freq = [0, 0, 0];
  for (const w of t) freq[w]++;
  const z = counts.reduce((s, c) => s + c ** 0.75, 0);
  counts.forEach((c, i) => assert.ok(Math.abs(freq[i] / t.length - c ** 0.75 / z) < 1e-3, `word ${i}`));
});

// Bucket b gives b with probability keep[b] / N and alias[b] otherwise, each bucket 1/V of the draws:
// word w's share, counted in units of 1/(N·V), must be exactly its N·V·(slots / N) = slots · V.
test("the wasm engine's alias table has exactly the unigram table's distribution", () => {
  for (const counts of [
    [1_000_000, 1000, 1],
    [5, 5, 5, 5],
    [9, 0, 3, 1, 1, 700, 2],
    Array.from({ length: 997 }, (_, i) => 1e6 / (i + 1)),
  ]) {
    const table = buildUnigramTable(counts, 0.75, counts.length === 997 ? 0 : 1234);
    const V = counts.length;
    const { pairs, total } = aliasTable(table, V);
    assert.equal(total, table.length);
    const slots = new Array(V).fill(0);
    for (const w of table) slots[w]++;
    const share = new Array(V).fill(0);
    for (let b = 0; b < V; b++) {
      const keep = pairs[2 * b],
        alias = pairs[2 * b + 1];
      assert.ok(keep >= 0 && keep <= total && alias >= 0 && alias < V, `bucket ${b}: keep ${keep}, alias ${alias}`);
      share[b] += keep;
      share[alias] += total - keep;
    }
    assert.deepEqual(
      share,
      slots.map((n) => n * V),
    );
  }
});

test("subsampling keep-probability is word2vec.c's formula, capped at 1", () => {
  const keep = buildKeepProbabilities([1_000_000, 1000, 1], 1e-3, 10_000_000);
  const t = 1e-3 * 10_000_000;
  assert.ok(Math.abs(keep[0] - (Math.sqrt(1_000_000 / t) + 1) * (t / 1_000_000)) < 1e-6);
  assert.equal(keep[1], 1);
  assert.equal(keep[2], 1);
  assert.deepEqual([...buildKeepProbabilities([5, 5], 0, 10)], [1, 1]);
});

const near = (a, b) => assert.ok(Math.abs(a - b) < 1e-12, `${a} is not ${b}`);

test("learning rate, word2vec schedule: word2vec.c's decay, floored at alpha·1e-4", () => {
  const cfg = resolveConfig({ alpha: 0.025, epochs: 5, schedule: 'word2vec' });
  assert.equal(cfg.minAlpha, 0.025 * 1e-4);
  assert.equal(learningRate(cfg, 0, 1000), 0.025);
  near(learningRate(cfg, 2500, 1000), 0.025 * (1 - 2500 / 5001));
  assert.equal(learningRate(cfg, 5001, 1000), cfg.minAlpha);
  assert.equal(resolveConfig({ arch: 'cbow' }).alpha, 0.05);
});

test('learning rate, linear schedule (the word2vec default): straight from alpha to alpha / 5', () => {
  const cfg = resolveConfig({ alpha: 0.025, epochs: 5 });
  assert.equal(cfg.schedule, 'linear');
  near(cfg.minAlpha, 0.005);
  assert.equal(learningRate(cfg, 0, 1000), 0.025);
  near(learningRate(cfg, 2500, 1000), 0.025 - 0.02 / 2);
  near(learningRate(cfg, 4000, 1000), 0.025 - 0.02 * 0.8);
  near(learningRate(cfg, 5000, 1000), 0.005);
  near(learningRate(cfg, 6000, 1000), 0.005);
  // An explicit --min-alpha is the end point; every worker sees the same rate.
  const low = resolveConfig({ alpha: 0.05, minAlpha: 0, epochs: 2 });
  near(learningRate(low, 500, 1000), 0.0375);
  near(workerLearningRate(low, 500, 1000, 1, 123), 0.0375);
});

test("learning rate, gensim schedule: each worker's own place in its epoch, a staircase", () => {
  const cfg = resolveConfig({ alpha: 0.025, epochs: 5, schedule: 'gensim' });
  near(cfg.minAlpha, 0.025 * 1e-4);
  const span = 0.025 - cfg.minAlpha;
  // 2 workers: each is half-way through epoch 3 after its 500 of the epoch's 1000 words.
  near(workerLearningRate(cfg, 2500, 1000, 3, 500), 0.025 - span * (2.5 / 5));
  near(workerLearningRate(cfg, 2000, 1000, 3, 0), 0.025 - span * (2 / 5));
  // The last epoch ends at 10% of the way from minAlpha to alpha, not at minAlpha.
  near(workerLearningRate(cfg, 5000, 1000, 5, 500), 0.025 - span * (4.5 / 5));
});

test("learning-rate schedule defaults: fastText and items keep word2vec.c's, glove ignores it", () => {
  for (const o of [{ method: 'fasttext' }, { items: true }, { method: 'glove' }]) {
    const cfg = resolveConfig(o);
    assert.equal(cfg.schedule, 'word2vec', JSON.stringify(o));
    near(cfg.minAlpha, cfg.alpha * 1e-4);
  }
  assert.throws(() => resolveConfig({ schedule: 'cosine' }), /--schedule/);
});

test('config validation rejects nonsense with a message naming the option', () => {
  assert.throws(() => resolveConfig({ dim: 0 }), /--dim/);
  assert.throws(() => resolveConfig({ window: 0 }), /--window/);
  assert.throws(() => resolveConfig({ loss: 'ns', negative: 0 }), /--negative/);
  assert.throws(() => resolveConfig({ sample: -1 }), /--sample/);
  assert.throws(() => resolveConfig({ alpha: 0 }), /--alpha/);
  assert.doesNotThrow(() => resolveConfig({ loss: 'hs', negative: 0 }));
});
