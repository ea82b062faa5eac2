// Training quality on a small real corpus (text8-like English), for every arch × loss, and determinism.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { train, loadModel, KeyedVectors } from '../dist/index.js';
import { englishCorpus, tmpDir, probeScore, PROBES } from './helpers.mjs';

const corpus = englishCorpus(4_000_000); // ~680k words
const modelsDir = tmpDir();

for (const [arch, loss] of [
  ['skipgram', 'ns'],
  ['cbow', 'ns'],
  ['skipgram', 'hs'],
  ['cbow', 'hs'],
]) {
  test(`${arch}/${loss} puts related words near each other`, async () => {
    const s = await train(corpus, { modelsDir, output: `${arch}-${loss}`, arch, loss, epochs: 3, threads: 2 });
    assert.equal(s.vocabSize > 10_000, true);
    assert.ok(Number.isFinite(s.finalLoss) && s.finalLoss > 0);
    const { kv } = loadModel(s.modelPath);
    const { passed, ranks } = probeScore(kv);
    assert.ok(passed >= PROBES.length - 1, `only ${passed}/${PROBES.length} probes passed: ${ranks}`);
  });
}

test('the probes fail on untrained (random) vectors, so the quality tests can fail', () => {
  const { kv } = loadModel(path.join(modelsDir, 'skipgram-ns'));
  const random = new Float32Array(kv.vectors.length);
  let s = 12345;
  for (let i = 0; i < random.length; i++) random[i] = (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5;
  const { passed } = probeScore(new KeyedVectors(kv.words, random, kv.dim));
  assert.ok(passed <= 1, `random vectors passed ${passed} probes`);
});

test('same --seed with one thread gives identical vectors; another seed does not', async () => {
  const small = englishCorpus(600_000);
  const run = async (name, seed) => {
    await train(small, { modelsDir, output: name, epochs: 1, threads: 1, seed });
    return fs.readFileSync(path.join(modelsDir, name, 'vectors.f32'));
  };
  const a = await run('det-a', 7);
  const b = await run('det-b', 7);
  const c = await run('det-c', 8);
  assert.ok(a.equals(b), 'same seed, one thread: vectors differ');
  assert.ok(!a.equals(c), 'different seeds gave identical vectors');
});

test('a model records its training config and vocabulary with counts', async () => {
  const meta = JSON.parse(fs.readFileSync(path.join(modelsDir, 'cbow-hs', 'meta.json'), 'utf8'));
  assert.equal(meta.format, 'embed-model');
  assert.equal(meta.training.config.arch, 'cbow');
  assert.equal(meta.training.config.loss, 'hs');
  assert.equal(meta.training.config.alpha, 0.05);
  const vocab = fs.readFileSync(path.join(modelsDir, 'cbow-hs', 'vocab.tsv'), 'utf8').split('\n');
  assert.equal(vocab.length - 1, meta.vocabSize);
  const counts = vocab.slice(0, -1).map((l) => Number(l.split('\t')[1]));
  assert.ok(
    counts.every((c, i) => i === 0 || c <= counts[i - 1]),
    'sorted by frequency',
  );
  assert.ok(counts.at(-1) >= 5, 'min-count 5 applied');
  assert.equal(fs.statSync(path.join(modelsDir, 'cbow-hs', 'vectors.f32')).size, meta.vocabSize * meta.dim * 4);
});
