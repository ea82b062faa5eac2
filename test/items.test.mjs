// Items (recommendation): --items takes ids verbatim and never cuts a line, the window types reach the
// kernels (js and wasm) and mean what they say, and eval next-item's protocol separates trained item
// vectors from random ones on a real sample (corpora/online-retail-sample.txt.gz, see corpora/README.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, runCli, tmpDir } from './helpers.mjs';
import {
  KeyedVectors,
  evalNextItem,
  loadModel,
  numpyPermutation,
  prepareCorpus,
  readSequences,
  resolveConfig,
  splitNextItem,
  train,
  word2vecJob,
} from '../dist/index.js';

/** mulberry32: uint32 draws. */
function mulberry32(seed) {
  let r = seed >>> 0;
  return () => {
    r = (r + 0x6d2b79f5) >>> 0;
    let t = r;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const SAMPLE = path.join(ROOT, 'corpora', 'online-retail-sample.txt.gz');
const FAST = { dim: 32, epochs: 10, threads: 1, engine: 'wasm' };

test("the split is NumPy's: RandomState(4).permutation, the paper's test and validation lines", async () => {
  const seqs = await readSequences(SAMPLE);
  assert.equal(seqs.length, 4234);
  const split = splitNextItem(seqs, { pairs: 2000, seed: 4 });
  // The check values of ../shared/data/README.md (verified there against NumPy 1.24).
  assert.deepEqual(
    split.test.slice(0, 3).map((p) => p.line),
    [3820, 3875, 3617],
  );
  assert.deepEqual(
    split.test.slice(1000, 1003).map((p) => p.line),
    [1666, 3215, 137],
  );
  assert.equal(split.test.slice(0, 1000).filter((p) => p.query === p.target).length, 22);
  // np.random.RandomState(0).permutation(10)
  assert.deepEqual(numpyPermutation(10, 0), [2, 8, 4, 9, 1, 6, 7, 3, 0, 5]);
  // Training lines are the sequences without their last item.
  assert.deepEqual(split.train[3820], seqs[3820].slice(0, -1));
});

test('next-item: trained item vectors rank the next item far above chance, random vectors do not', async () => {
  const dir = tmpDir();
  const trained = await evalNextItem(SAMPLE, { ...FAST, modelsDir: dir, output: 'retail' });
  assert.equal(trained.pairs, 1000);
  assert.equal(trained.training.config.minCount, 1, 'item mode: min-count 1');
  assert.equal(trained.training.tokenizer, 'ids');
  assert.ok(trained.hitRate > 0.12, `HR@10 ${trained.hitRate}`);
  assert.ok(trained.hitRate > 4 * trained.randomHitRate, `HR@10 ${trained.hitRate} vs chance ${trained.randomHitRate}`);
  assert.ok(trained.ndcg > 0.06, `NDCG@10 ${trained.ndcg}`);
  // The kept model scores the same through --model; the same items with random vectors score only the
  // repeated items (a hit by the protocol's rule) and chance.
  const { kv } = loadModel(path.join(dir, 'retail'));
  const again = await evalNextItem(SAMPLE, { model: kv });
  assert.equal(again.hitRate, trained.hitRate);
  const next = mulberry32(7);
  const noise = Float32Array.from({ length: kv.words.length * kv.dim }, () => next() / 2 ** 32 - 0.5);
  for (const metric of ['cosine', 'euclidean']) {
    const random = await evalNextItem(SAMPLE, { model: new KeyedVectors(kv.words, noise, kv.dim), metric });
    assert.ok(random.hitRate < 0.06, `random vectors, ${metric}: HR@10 ${random.hitRate}`);
    assert.ok(random.hitRate < trained.hitRate / 3);
  }
});

test('eval next-item on the CLI: --json, --k, --metric, --pairs; --model refuses training options', async () => {
  const dir = tmpDir();
  const r = await runCli([
    'eval',
    'next-item',
    SAMPLE,
    '--dim',
    '16',
    '--epochs',
    '3',
    '--threads',
    '1',
    '--pairs',
    '200',
    '--k',
    '20',
    '--metric',
    'euclidean',
    '--models-dir',
    dir,
    '-o',
    'm',
    '--json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.pairs, 200);
  assert.equal(j.k, 20);
  assert.equal(j.metric, 'euclidean');
  assert.equal(j.splitSeed, 4);
  assert.equal(j.training.config.windowType, 'dynamic');
  assert.ok(j.hitRate > j.randomHitRate);
  for (const [args, message] of [
    [['--window-type', 'wide'], /^embed: error: --window-type must be one of dynamic, fixed, sentence \(got 'wide'\)$/],
    [['--ns-exponent', '11'], /^embed: error: --ns-exponent must be a number from -10 to 10 \(got 11\)$/],
    [['--k', '0'], /--k must be an integer >= 1/],
  ]) {
    const r2 = await runCli(['eval', 'next-item', SAMPLE, ...args]);
    assert.equal(r2.code, 2, r2.stderr);
    assert.match(r2.stderr.trim().split('\n')[0], message);
  }
  const bad = await runCli(['eval', 'next-item', SAMPLE, '--model', path.join(dir, 'm'), '--epochs', '9']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--model scores an existing model: training options \(--epochs\) do not apply/);
  const scored = await runCli([
    'eval',
    'next-item',
    SAMPLE,
    '--model',
    path.join(dir, 'm'),
    '--pairs',
    '200',
    '--k',
    '20',
    '--metric',
    'euclidean',
    '--json',
  ]);
  assert.equal(scored.code, 0, scored.stderr);
  assert.equal(JSON.parse(scored.stdout).hitRate, j.hitRate);
});

test('--items: ids verbatim (case, width, punctuation), min-count 1, and a line of 8,000 items is one sentence', async () => {
  const dir = tmpDir();
  const corpus = path.join(dir, 'baskets.txt');
  const long = Array.from({ length: 8000 }, (_, i) => `x${i % 3000}`).join(' ');
  fs.writeFileSync(corpus, ['A-1 a-1 Ａ１ 85123A', 'a-1 A-1 POST 85123A ﬁ', long, 'BANK_CHARGES A-1'].join('\n') + '\n');
  const cfg = resolveConfig({ items: true, threads: 1 });
  assert.equal(cfg.minCount, 1);
  assert.equal(cfg.tokenizer, 'ids');
  assert.equal(resolveConfig({ items: true, minCount: 2 }).minCount, 2, 'an explicit value wins');
  assert.equal(resolveConfig({}).minCount, 5, 'text mode unchanged');
  const prep = await prepareCorpus(corpus, tmpDir(), { ...cfg, cacheDir: null, onEvent: () => {}, onVocabulary: () => {} });
  for (const id of ['A-1', 'a-1', 'Ａ１', '85123A', 'ﬁ', 'POST', 'BANK_CHARGES', 'x2999'])
    assert.ok(prep.vocab.index.has(id), `${id} is an item`);
  assert.ok(!prep.vocab.index.has('A1') && !prep.vocab.index.has('fi'), 'no NFKC');
  // --ns-exponent reaches the negative-sampling table: 1 draws by count (x0…x1999: 3 times, x2000…x2999: twice).
  const table = (nsExponent) => word2vecJob(resolveConfig({ ...cfg, nsExponent }), prep.vocab, prep.cache).negTable;
  const share = (t, id) => t.filter((w) => w === prep.vocab.index.get(id)).length / t.length;
  assert.ok(Math.abs(share(table(1), 'x0') / share(table(1), 'x2999') - 1.5) < 0.05);
  assert.ok(Math.abs(share(table(0), 'x0') / share(table(0), 'x2999') - 1) < 0.05);
  assert.ok(share(table(-1), 'x0') < share(table(-1), 'x2999'));
  assert.equal(prep.cache.sentenceCount, 4, 'no line is cut');
  assert.equal(prep.cache.tokenCount, 4 + 5 + 8000 + 2);
  // Text mode still cuts at 1,000 tokens (word2vec.c) and folds compatibility forms.
  const text = await prepareCorpus(corpus, tmpDir(), {
    ...resolveConfig({ minCount: 1, tokenizer: 'space' }),
    cacheDir: null,
    onEvent: () => {},
    onVocabulary: () => {},
  });
  assert.equal(text.cache.sentenceCount, 11);
  assert.ok(text.vocab.index.has('fi'));
  // The CLI: a model whose vocabulary keeps both ids apart, and `similar` finds them verbatim.
  const r = await runCli([
    'train',
    corpus,
    '--items',
    '--dim',
    '8',
    '--epochs',
    '1',
    '--threads',
    '1',
    '--models-dir',
    dir,
    '-o',
    'b',
    '--json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).vocabSize, 3000 + 7);
  const s = await runCli(['similar', 'a-1', '--model', path.join(dir, 'b'), '--json']);
  assert.equal(s.code, 0, s.stderr);
  assert.ok(!JSON.parse(s.stdout).some((n) => n.word === 'a-1'));
});

/** Baskets [x, fillers…, y] where x and y come from the same group of four items: only a window that
 *  reaches across the basket links the group. */
function groupBaskets(file, length) {
  // Not an LCG: its consecutive draws are correlated, and would tie the fillers to the group.
  const next = mulberry32(12345);
  const rand = (n) => next() % n;
  const lines = [];
  for (let i = 0; i < 2000; i++) {
    const g = rand(40);
    const a = rand(4);
    const b = (a + 1 + rand(3)) % 4;
    const fill = Array.from({ length: length - 2 }, () => `f${rand(400)}`);
    lines.push([`g${g}_${a}`, ...fill, `g${g}_${b}`].join(' '));
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

/** Fraction of group items whose 3 nearest items include one of their group. */
function groupRecall(kv) {
  let found = 0,
    total = 0;
  for (let g = 0; g < 40; g++)
    for (let a = 0; a < 4; a++) {
      const w = `g${g}_${a}`;
      if (!kv.index.has(w)) continue;
      total++;
      if (kv.mostSimilar([w], [], 3).some((n) => n.word.startsWith(`g${g}_`))) found++;
    }
  return found / total;
}

const sha = (a) =>
  crypto
    .createHash('sha256')
    .update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
    .digest('hex');

for (const engine of ['js', 'wasm'])
  test(`--window-type on the ${engine} engine: sentence links whole baskets (short and shuffled long ones), fixed does not; reproducible`, async () => {
    const dir = tmpDir();
    const short = path.join(dir, 'short.txt');
    const long = path.join(dir, 'long.txt');
    groupBaskets(short, 11); // at most 2·window+1 items for window 5: every item is context
    groupBaskets(long, 16); // longer than 2·window+1 for window 3: shuffled, 6 partners each
    const run = async (corpus, windowType, window, extra = {}) => {
      const out = `${path.basename(corpus)}-${windowType}-${Object.keys(extra).join('')}`;
      await train(corpus, {
        items: true,
        engine,
        windowType,
        window,
        dim: 24,
        epochs: 8,
        threads: 1,
        seed: 3,
        sample: 0,
        modelsDir: dir,
        output: out,
        ...extra,
      });
      return loadModel(path.join(dir, out)).kv;
    };
    const sentence = await run(short, 'sentence', 5);
    const fixed = await run(short, 'fixed', 5);
    assert.ok(groupRecall(sentence) > 0.6, `sentence, short baskets: ${groupRecall(sentence)}`);
    assert.ok(groupRecall(fixed) < groupRecall(sentence) / 2, `fixed: ${groupRecall(fixed)}`);
    const shuffled = await run(long, 'sentence', 3);
    const dyn = await run(long, 'dynamic', 3);
    assert.ok(groupRecall(shuffled) > 0.25, `sentence, long baskets: ${groupRecall(shuffled)}`);
    assert.ok(groupRecall(shuffled) > 2 * groupRecall(dyn), `sentence ${groupRecall(shuffled)}, dynamic ${groupRecall(dyn)}`);
    // --threads 1 --seed: the same bytes again; the window types and ns-exponent change them.
    const again = await run(long, 'sentence', 3, { epochs: 8 });
    assert.equal(sha(again.vectors), sha(shuffled.vectors));
    assert.notEqual(sha(dyn.vectors), sha(shuffled.vectors));
  });
