// fastText: n-grams and hashing as fastText 0.9.2 computes them, its .bin files both ways, the subword
// training kind, and unknown words composed from n-grams. Fixtures: test/fixtures/fasttext/make-fixtures.sh
// (written by the real fasttext; the tests do not need it installed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, runCli, englishCorpus, tmpDir } from './helpers.mjs';
import {
  fasttextHash,
  subwords,
  loadModelFile,
  train,
  KeyedVectors,
  evaluateAnalogies,
  readAnalogyFile,
  evaluateWordPairs,
} from '../dist/index.js';

const FIX = path.join(ROOT, 'test', 'fixtures', 'fasttext');

/** `fasttext print-word-vectors` output: word → numbers. */
function printed(file) {
  const out = new Map();
  for (const line of fs.readFileSync(path.join(FIX, file), 'utf8').trim().split('\n')) {
    const f = line.trim().split(' ');
    out.set(f[0], f.slice(1).map(Number));
  }
  return out;
}

function assertClose(got, want, what) {
  assert.equal(got.length, want.length, what);
  for (let d = 0; d < want.length; d++)
    assert.ok(Math.abs(got[d] - want[d]) <= 1e-4 * Math.max(Math.abs(want[d]), 1e-2), `${what}[${d}]: ${got[d]} vs ${want[d]}`);
}

test("fastText's hash: FNV-1a with every UTF-8 byte sign-extended (values from fastText's dictionary.cc)", () => {
  const enc = (s) => new TextEncoder().encode(s);
  // Plain FNV-1a of 'a' is 0xe40c292c; ASCII bytes are the same signed or not.
  assert.equal(fasttextHash(enc('a')), 0xe40c292c);
  // A byte >= 0x80 xors in 0xffffff80.. : '中' (e4 b8 ad) must differ from plain FNV-1a.
  let plain = 2166136261;
  for (const b of enc('中')) plain = Math.imul(plain ^ b, 16777619) >>> 0;
  let signed = 2166136261;
  for (const b of enc('中')) signed = Math.imul(signed ^ ((b << 24) >> 24), 16777619) >>> 0;
  assert.equal(fasttextHash(enc('中')), signed);
  assert.notEqual(signed, plain);
});

test("n-grams of '<word>' over code points, as fastText's computeSubwords (lists from `fasttext print-ngrams`)", () => {
  // tiny.bin has minn 2 maxn 4; print-ngrams lists the word itself first, then its n-grams.
  const text = fs.readFileSync(path.join(FIX, 'tiny.ngrams.txt'), 'utf8');
  for (const block of text.split('== ').slice(1)) {
    const [word, ...lines] = block.trim().split('\n');
    const listed = lines.map((l) => l.split(' ')[0]);
    const expected = listed[0] === word ? listed.slice(1) : listed; // in-vocabulary words list themselves first
    assert.deepEqual(subwords(word, 2, 4), expected, word);
  }
  assert.deepEqual(subwords('北京', 1, 2), ['<北', '北', '北京', '京', '京>']);
  assert.deepEqual(subwords('ab', 3, 6), ['<ab', '<ab>', 'ab>']); // the whole '<ab>' too, as fastText
});

for (const name of ['tiny', 'tiny-cbow']) {
  test(`a fastText .bin (${name}) loads by content: every word's vector equals print-word-vectors, unknown English and Chinese words too`, () => {
    const copy = path.join(fs.mkdtempSync(path.join(ROOT, 'test', '.tmp-ft-')), 'model.weird-name.txt');
    fs.copyFileSync(path.join(FIX, `${name}.bin`), copy);
    try {
      const { kv, format } = loadModelFile(copy);
      assert.equal(format, 'fasttext-bin');
      const want = printed(`${name}.vectors.txt`);
      let composed = 0;
      for (const [word, v] of want) {
        const r = kv.resolve(word);
        assert.equal(r.kind === 'word', kv.has(word), word);
        if (r.kind === 'composed') composed++;
        assertClose(r.vector, v, word);
      }
      assert.ok(composed >= 6, 'unknown words are composed from their n-grams');
      assert.equal(kv.has('北京市'), false, 'contains never lies');
    } finally {
      fs.rmSync(path.dirname(copy), { recursive: true, force: true });
    }
  });
}

test('fastText files embed cannot use are refused with one line: a classifier, its quantized .ftz, a truncated .bin', async () => {
  const cut = path.join(tmpDir(), 'cut.bin');
  fs.writeFileSync(cut, fs.readFileSync(path.join(FIX, 'tiny.bin')).subarray(0, 20_000));
  for (const [file, why] of [
    [path.join(FIX, 'classifier.bin'), /supervised \(classifier\) fastText model/],
    [path.join(FIX, 'classifier.ftz'), /supervised \(classifier\) fastText model/],
    [cut, /truncated/],
  ]) {
    const r = await runCli(['similar', 'good', '--model', file]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, why);
  }
});

// ---- training (embed train --method fasttext) -------------------------------------------------------

const bytes = (dir, f) => fs.readFileSync(path.join(dir, f));

test('--method fasttext with --threads 1 --seed N is reproducible bit for bit (wasm and js), and saves the n-gram rows with checksums', async () => {
  const corpus = englishCorpus(60_000);
  const models = tmpDir();
  const opts = { method: 'fasttext', threads: 1, seed: 7, epochs: 1, dim: 12, bucket: 5000, minCount: 2, modelsDir: models };
  for (const engine of ['wasm', 'js']) {
    await train(corpus, { ...opts, engine, output: `${engine}-a` });
    await train(corpus, { ...opts, engine, output: `${engine}-b` });
    const [a, b] = [`${engine}-a`, `${engine}-b`].map((n) => path.join(models, n));
    for (const f of ['vectors.f32', 'ngrams.f32', 'ngrams.idx', 'ngrams.hash'])
      assert.ok(bytes(a, f).equals(bytes(b, f)), `${engine}: ${f} differs`);
    const meta = JSON.parse(bytes(a, 'meta.json'));
    assert.deepEqual(meta.subwords, { minn: 3, maxn: 6, bucket: 5000 });
    for (const f of ['ngrams.f32', 'ngrams.idx', 'ngrams.hash']) assert.equal(meta.files[f].bytes, bytes(a, f).length, f);
    const v = await runCli(['verify', a]);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.match(v.stdout, /ngrams\.f32\s+ok/);
  }
  // Different training gives different bytes (the comparison above can fail).
  assert.ok(!bytes(path.join(models, 'wasm-a'), 'vectors.f32').equals(bytes(path.join(models, 'js-a'), 'vectors.f32')));

  // Queries: an unknown word is composed from its n-grams, with a note; one without a known n-gram is unknown (exit 3).
  const model = path.join(models, 'wasm-a');
  const r = await runCli(['similar', 'anarchistz', '--model', model, '-n', '3']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /anarchistz is not in the vocabulary; its vector was composed from its character n-grams/);
  assert.equal(r.stdout.trim().split('\n').length, 3);
  const zh = await runCli(['similar', '北京', '--model', model]);
  assert.equal(zh.code, 3, zh.stderr);
  const known = await runCli(['similarity', 'anarchism', 'anarchist', '--model', model]);
  assert.equal(known.code, 0);
  assert.doesNotMatch(known.stderr, /composed/, 'in-vocabulary words are not composed');

  // Export to fastText's .bin and read it back: the same vectors, in and out of the vocabulary.
  const bin = path.join(models, 'out.bin');
  const e = await runCli(['export', '--model', model, '-f', 'fasttext-bin', '-o', bin]);
  assert.equal(e.code, 0, e.stderr);
  const native = loadModelFile(model).kv;
  const back = loadModelFile(bin).kv;
  assert.equal(back.size, native.size);
  for (const w of ['anarchism', 'the', native.words[native.size - 1], 'anarchistz', 'politicsx'])
    assertClose(back.vector(w), native.vector(w), w);
});

test('--method fasttext refuses with one line what it cannot do: a --bucket that does not fit, the tfjs engine, minn > maxn', async () => {
  const corpus = englishCorpus(20_000);
  const models = tmpDir();
  const big = await runCli([
    'train',
    corpus,
    '--method',
    'fasttext',
    '--bucket',
    '100000000',
    '--dim',
    '5000',
    '--models-dir',
    models,
    '-q',
  ]);
  assert.equal(big.code, 1, big.stderr);
  assert.match(big.stderr, /^embed: error: --bucket 100000000 at --dim 5000 needs 2000\.0 GB of n-gram rows .*lower --bucket or --dim\n$/);
  const tf = await runCli(['train', corpus, '--method', 'fasttext', '--engine', 'tfjs', '--bucket', '1000', '--models-dir', models, '-q']);
  assert.equal(tf.code, 1, tf.stderr);
  assert.equal(tf.stderr.trim().split('\n').length, 1, tf.stderr);
  assert.match(tf.stderr, /tfjs engine does not train input words made of several rows/);
  const mm = await runCli(['train', corpus, '--method', 'fasttext', '--minn', '5', '--maxn', '3', '--models-dir', models, '-q']);
  assert.equal(mm.code, 2);
  assert.match(mm.stderr, /--minn must be at most --maxn/);
});

test('eval pairs with composeUnknown scores pairs with unknown words from composed vectors, apart from the others', () => {
  const kv = loadModelFile(path.join(FIX, 'tiny.bin')).kv;
  const words = ['the', 'sat', 'cat', 'on', 'unseenword', 'straßen', '北京市', 'cats'];
  const cos = (a, b) => {
    const x = kv.vector(a),
      y = kv.vector(b);
    let d = 0,
      nx = 0,
      ny = 0;
    for (let i = 0; i < x.length; i++) ((d += x[i] * y[i]), (nx += x[i] * x[i]), (ny += y[i] * y[i]));
    return d / Math.sqrt(nx * ny);
  };
  // Human scores that rank the pairs exactly as the model's cosines do: Spearman 1 when, and only when,
  // the unknown words' vectors are the composed ones.
  const pairs = [];
  for (let i = 0; i < words.length; i++)
    for (let j = i + 1; j < words.length; j++) pairs.push({ a: words[i], b: words[j], score: cos(words[i], words[j]) });
  const plain = evaluateWordPairs(kv, { pairs, invalidLines: [] });
  assert.equal(plain.composed, null);
  const r = evaluateWordPairs(kv, { pairs, invalidLines: [] }, { composeUnknown: true });
  assert.equal(r.pairs, plain.pairs, 'the in-vocabulary score is unchanged');
  assert.equal(r.spearman, plain.spearman);
  assert.ok(r.oov > 0 && r.pairs >= 2, `${r.pairs} known pairs, ${r.oov} with unknown words`);
  assert.equal(r.composed.pairs, pairs.length);
  assert.equal(r.composed.oov, 0);
  assert.ok(Math.abs(r.composed.spearman - 1) < 1e-12, `composed Spearman ${r.composed.spearman}`);
});

// ---- quality: the subword model on words seen rarely ------------------------------------------------

/** Syntactic analogy accuracy (questions-words.txt's gram* sections, a sample: see make-fixtures.sh) over the answered questions. */
async function syntactic(kv) {
  const r = await evaluateAnalogies(kv, readAnalogyFile(path.join(FIX, 'syntactic-questions.txt')));
  return { correct: r.syntactic.correct, answered: r.syntactic.answered };
}

test('on a small real corpus, where most words are rare, the subword model answers syntactic analogies word2vec misses; random vectors do not', async () => {
  const corpus = englishCorpus(1_500_000);
  const models = tmpDir();
  // One thread and a seed: the same vectors on every run (no Hogwild races), so the margin is not luck.
  const opts = { threads: 1, seed: 3, epochs: 3, dim: 50, modelsDir: models };
  await train(corpus, { ...opts, method: 'fasttext', bucket: 100_000, output: 'ft' });
  await train(corpus, { ...opts, method: 'word2vec', output: 'w2v' });
  const ft = await syntactic(loadModelFile(path.join(models, 'ft')).kv);
  const w2v = await syntactic(loadModelFile(path.join(models, 'w2v')).kv);
  assert.equal(ft.answered, w2v.answered, 'the same vocabulary, the same questions');
  assert.ok(ft.answered >= 100, `${ft.answered} questions answered`);
  // Measured with these settings: see the assertion messages; at 2 threads: subword 12/203, word2vec 1/203.
  assert.ok(ft.correct >= 6, `subword model: ${ft.correct}/${ft.answered}`);
  assert.ok(ft.correct >= w2v.correct + 4, `subword ${ft.correct} vs word2vec ${w2v.correct} of ${ft.answered}`);
  // --compose-unknown: questions whose a, b or c is not among the searched words are answered from
  // composed vectors and scored apart; most words here are rare, so that answers many more (measured,
  // 1 thread, seed 3: in vocabulary 3/36, with composed vectors 31/279 of 1,350). word2vec has nothing
  // to compose from: refused.
  const ftKv = loadModelFile(path.join(models, 'ft')).kv;
  const questions = readAnalogyFile(path.join(FIX, 'syntactic-questions.txt'));
  const c = await evaluateAnalogies(ftKv, questions, { restrictVocab: 2000, composeUnknown: true });
  assert.equal(c.total.answered + c.total.oov, c.total.questions);
  assert.ok(c.composed.total.answered > c.total.answered + 50, `composed answered ${c.composed.total.answered} vs ${c.total.answered}`);
  assert.ok(c.composed.total.correct >= c.total.correct + 15, `composed correct ${c.composed.total.correct} vs ${c.total.correct}`);
  await assert.rejects(
    evaluateAnalogies(loadModelFile(path.join(models, 'w2v')).kv, questions, { composeUnknown: true }),
    /--compose-unknown needs a subword model/,
  );
  // The same probe on random vectors for the same words.
  const kv = loadModelFile(path.join(models, 'ft')).kv;
  let s = 12345;
  const random = new Float32Array(kv.vectors.length).map(() => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5);
  const rnd = await syntactic(new KeyedVectors(kv.words, random, kv.dim));
  assert.ok(rnd.correct < 6, `random vectors answered ${rnd.correct}`);
});
