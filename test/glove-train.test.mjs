// GloVe (--method glove): quality on a small real corpus (probes that random vectors fail),
// determinism with one thread, and the errors of an empty co-occurrence matrix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { train, loadModel, KeyedVectors } from '../dist/index.js';
import { englishCorpus, tmpDir, probeScore, PROBES, runCli } from './helpers.mjs';

const modelsDir = tmpDir();

test('glove puts related words near each other (counting spilled to disk by a small --memory); random vectors do not', async () => {
  const corpus = englishCorpus(4_000_000);
  const events = new Set();
  const s = await train(corpus, {
    method: 'glove',
    modelsDir,
    output: 'glove',
    dim: 50,
    epochs: 10,
    xMax: 10,
    threads: 2,
    memory: 0.005,
    onEvent: (e) => events.add(e.phase),
  });
  assert.ok(s.glove.runs > 0, 'the small --memory made counting spill runs');
  assert.ok(Number.isFinite(s.finalLoss) && s.finalLoss > 0);
  for (const phase of ['cooccur', 'shuffle', 'train']) assert.ok(events.has(phase), `a '${phase}' progress event`);
  const { kv } = loadModel(s.modelPath);
  assert.equal(kv.dim, 50);
  // The model keeps W and W̃, their biases and AdaGrad sums, recorded for verify.
  assert.equal(fs.statSync(path.join(s.modelPath, 'glove-weights.f32')).size, 2 * kv.size * 50 * 4);
  assert.equal(fs.statSync(path.join(s.modelPath, 'glove-bias-gradsq.f32')).size, 2 * kv.size * 4);
  const verify = await runCli(['verify', s.modelPath]);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  assert.match(verify.stdout, /glove-gradsq\.f32\tok/);
  const { passed, ranks } = probeScore(kv);
  assert.ok(passed >= PROBES.length - 1, `only ${passed}/${PROBES.length} probes passed: ${ranks}`);
  const random = new Float32Array(kv.vectors.length);
  let r = 12345;
  for (let i = 0; i < random.length; i++) random[i] = (r = (r * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5;
  assert.ok(probeScore(new KeyedVectors(kv.words, random, kv.dim)).passed <= 1, 'random vectors fail the probes');
  // The work directory (records, runs, shuffle chunks) is gone.
  assert.deepEqual(
    fs.readdirSync(modelsDir).filter((f) => f.startsWith('.embed-work')),
    [],
  );
});

test('glove: same --seed with one thread gives identical vectors; another seed does not', async () => {
  const small = englishCorpus(600_000);
  const run = async (name, seed) => {
    await train(small, { method: 'glove', modelsDir, output: name, dim: 20, epochs: 2, threads: 1, seed, memory: 0.002 });
    return loadModel(path.join(modelsDir, name)).kv.vectors;
  };
  const a = await run('g-a', 7);
  const b = await run('g-b', 7);
  const c = await run('g-c', 8);
  assert.deepEqual(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  assert.notDeepEqual(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(c.buffer, c.byteOffset, c.byteLength));
});

test('embed train --method glove: one word per line is a clear error (empty co-occurrence matrix)', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'one-per-line.txt');
  fs.writeFileSync(file, Array.from({ length: 300 }, (_, i) => `w${i % 7}`).join('\n') + '\n');
  const r = await runCli(['train', file, '--method', 'glove', '--min-count', '1', '--models-dir', dir, '-q']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /co-occurrence matrix is empty/);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');
  assert.deepEqual(
    fs.readdirSync(dir).filter((f) => f.startsWith('.embed-work')),
    [],
  );
});

test('embed train --method glove refuses engines without GloVe', async () => {
  const corpus = englishCorpus(20_000);
  for (const engine of ['js', 'tfjs']) {
    const r = await runCli(['train', corpus, '--method', 'glove', '--engine', engine, '-q']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--method glove: the \w+ engine does not train GloVe yet; use --engine wasm/);
  }
});

for (const phase of ['cooccur', 'train']) {
  test(`embed train --method glove: Ctrl-C during ${phase} exits 130 and removes every temporary file`, async () => {
    const dir = tmpDir();
    const corpus = englishCorpus(1_000_000);
    let sent = false;
    const r = await runCli(
      [
        'train',
        corpus,
        '--method',
        'glove',
        '--epochs',
        '1000',
        '--threads',
        '1',
        '--memory',
        '0.002',
        '--models-dir',
        dir,
        '--progress',
        'json',
      ],
      {
        onSpawn: (child) =>
          child.stderr.on('data', (d) => {
            if (!sent && String(d).includes(`"phase":"${phase}"`)) {
              sent = true;
              child.kill('SIGINT');
            }
          }),
      },
    );
    assert.ok(sent, `no ${phase} event: ${r.stderr.slice(-500)}`);
    assert.equal(r.code, 130, r.stderr.slice(-500));
    // A stop after an iteration's end (or a timed checkpoint) keeps the last checkpoint for --resume, and says so.
    const ck = fs.existsSync(dir) ? fs.readdirSync(dir).find((e) => e.endsWith('.checkpoint')) : undefined;
    if (ck) {
      assert.equal(phase, 'train', 'no checkpoint before the fit');
      assert.ok(fs.existsSync(path.join(dir, ck, 'state.json')));
      assert.match(r.stderr, /the last checkpoint is kept: run the same command with --resume to go on/);
    }
    assert.deepEqual(fs.existsSync(dir) ? fs.readdirSync(dir).filter((e) => e !== '.cache' && e !== ck) : [], []);
  });
}
