// The wasm engine: it loads, learns (calibrated ranks on a few MB of real text), matches the js
// reference engine's quality, is bit-for-bit reproducible with one thread and a seed, and handles
// dimensions that are not a multiple of the SIMD width.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { englishSample, trainModel, probeHits, PROBES, rankOf } from './engine-helpers.mjs';
import { englishCorpus } from './helpers.mjs';

// Calibration (3 MB of enwiki, 5 epochs, 2 threads): every arch × loss put 4–7 of the 8 probe pairs
// in the top 20 of ~8,800 words; random vectors put ~0.02 there on average. 3 leaves room for Hogwild noise.
const MIN_HITS = 3;

const describe = (kv) => PROBES.map(([a, b]) => `${a}/${b}:${rankOf(kv, a, b, 200)}`).join(' ');

test("'auto' selects the wasm engine", async () => {
  let notes = [];
  const onEvent = (e) => e.phase === 'start' && (notes = e.notes); // why an engine was skipped
  const { summary } = await trainModel(englishCorpus(50_000), { engine: 'auto', epochs: 1, dim: 8, minCount: 1, onEvent });
  assert.equal(summary.engine, 'wasm', notes.join('; '));
});

for (const [arch, loss] of [
  ['skipgram', 'ns'],
  ['cbow', 'ns'],
  ['skipgram', 'hs'],
  ['cbow', 'hs'],
]) {
  test(`wasm ${arch} ${loss} learns related words`, async () => {
    const { kv, summary } = await trainModel(englishSample(), { engine: 'wasm', arch, loss, epochs: 5, threads: 2 });
    assert.equal(summary.engine, 'wasm');
    assert.ok(Number.isFinite(summary.finalLoss) && summary.finalLoss > 0, `loss ${summary.finalLoss}`);
    const hits = probeHits(kv);
    assert.ok(hits >= MIN_HITS, `${hits} probe pairs in the top 20: ${describe(kv)}`);
  });
}

test('wasm and js engines reach comparable quality on the same data', async () => {
  const corpus = englishSample();
  const opts = { arch: 'cbow', loss: 'ns', epochs: 5, threads: 2 };
  const wasm = await trainModel(corpus, { ...opts, engine: 'wasm' });
  const js = await trainModel(corpus, { ...opts, engine: 'js' });
  const hw = probeHits(wasm.kv),
    hj = probeHits(js.kv);
  assert.ok(hw >= MIN_HITS && hj >= MIN_HITS, `wasm ${hw} (${describe(wasm.kv)}), js ${hj} (${describe(js.kv)})`);
  assert.ok(Math.abs(hw - hj) <= 2, `wasm ${hw} vs js ${hj} probe hits`);
  // Same objective, same data: the final training losses agree closely.
  const rel = Math.abs(wasm.summary.finalLoss - js.summary.finalLoss) / js.summary.finalLoss;
  assert.ok(rel < 0.05, `final loss wasm ${wasm.summary.finalLoss} vs js ${js.summary.finalLoss}`);
});

for (const [arch, loss] of [
  ['skipgram', 'ns'],
  ['cbow', 'hs'],
]) {
  test(`wasm ${arch} ${loss}: --threads 1 with the same seed gives identical vectors`, async () => {
    const opts = { engine: 'wasm', arch, loss, epochs: 1, threads: 1, seed: 7 };
    const a = await trainModel(englishSample(), opts);
    const b = await trainModel(englishSample(), opts);
    assert.ok(a.vectors.equals(b.vectors), 'vectors differ between two runs');
    const c = await trainModel(englishSample(), { ...opts, seed: 8 });
    assert.ok(!a.vectors.equals(c.vectors), 'another seed should give other vectors');
  });
}

for (const [arch, loss] of [
  ['skipgram', 'ns'],
  ['cbow', 'hs'],
]) {
  test(`wasm ${arch} ${loss} trains with dim 37 (not a multiple of 4)`, async () => {
    const { kv } = await trainModel(englishSample(), { engine: 'wasm', arch, loss, dim: 37, epochs: 5, threads: 2 });
    assert.equal(kv.dim, 37);
    for (const x of kv.vectors) assert.ok(Number.isFinite(x));
    const hits = probeHits(kv);
    assert.ok(hits >= MIN_HITS, `${hits} probe pairs in the top 20: ${describe(kv)}`);
  });
}

test('hot-row replicas: only hierarchical softmax on 2+ threads, the rows nearest the root', async () => {
  const { hotRange } = await import('../dist/internal.js');
  assert.deepEqual(hotRange({ threads: 2, loss: 'hs' }, 1000, 64), { hotLo: 936, hotRows: 64 });
  assert.deepEqual(hotRange({ threads: 2, loss: 'hs' }, 10, 64), { hotLo: 0, hotRows: 10 });
  assert.equal(hotRange({ threads: 1, loss: 'hs' }, 1000, 64).hotRows, 0);
  assert.equal(hotRange({ threads: 2, loss: 'ns' }, 1000, 64).hotRows, 0);
});

// With every output row replicated, all of hierarchical softmax's output training goes through the
// merges: if a merge dropped or misapplied a worker's changes, the loss would stay near ln 2 or diverge.
test('wasm HS on 2 threads learns as well when every output row is a merged replica', async () => {
  const opts = { engine: 'wasm', arch: 'cbow', loss: 'hs', epochs: 5, threads: 2 };
  const saved = { rows: process.env.EMBED_HOT_ROWS, sync: process.env.EMBED_SYNC_EXAMPLES };
  try {
    process.env.EMBED_HOT_ROWS = '0';
    const plain = await trainModel(englishSample(), opts);
    process.env.EMBED_HOT_ROWS = '1000000';
    process.env.EMBED_SYNC_EXAMPLES = '50';
    const replicated = await trainModel(englishSample(), opts);
    const hits = probeHits(replicated.kv);
    assert.ok(hits >= MIN_HITS, `${hits} probe pairs in the top 20: ${describe(replicated.kv)}`);
    const rel = Math.abs(replicated.summary.finalLoss - plain.summary.finalLoss) / plain.summary.finalLoss;
    assert.ok(rel < 0.02, `final loss replicated ${replicated.summary.finalLoss} vs shared ${plain.summary.finalLoss}`);
  } finally {
    for (const [k, v] of [
      ['EMBED_HOT_ROWS', saved.rows],
      ['EMBED_SYNC_EXAMPLES', saved.sync],
    ]) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});
