// embed align / eval translation / --target, and the Jacobi SVD under them. The synthetic case has a
// known answer: target = source · W (W a random rotation) + noise, so Procrustes must recover the
// translations (P@1 near 1) and the control, a random rotation, must not (P@1 near 0).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import {
  svd,
  matMul,
  transpose,
  orthonormalColumns,
  procrustes,
  randomOrthogonal,
  KeyedVectors,
  alignModels,
  evaluateTranslation,
  parseDictionary,
  lookupPairs,
  normalizeRows,
  retrieve,
  cslsRerank,
} from '../dist/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'embed-align-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
const cli = (args, input) =>
  spawnSync(process.execPath, [path.join(root, 'dist', 'cli', 'embed.cjs'), ...args, '--models-dir', path.join(tmp, 'models')], {
    encoding: 'utf8',
    input,
  });

/** A small seeded generator (LCG) for test data. */
function gen(seed) {
  let s = seed >>> 0;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  return { u, normal: () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()) };
}

const maxAbsDiff = (a, b) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);

/** UᵀU (k × k) for an m × k row-major U. */
const gram = (u, m, k) => matMul(transpose(u, m, k), u, k, m, k);
const identity = (k) => Float64Array.from({ length: k * k }, (_, i) => (i % (k + 1) === 0 ? 1 : 0));

function reconstruct({ u, s, v, m, n, k }) {
  const us = new Float64Array(m * k);
  for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) us[i * k + j] = u[i * k + j] * s[j];
  return matMul(us, transpose(v, n, k), m, k, n);
}

test('svd reconstructs tall, wide and square matrices with orthonormal U and V', () => {
  const g = gen(3);
  for (const [m, n] of [
    [7, 4],
    [4, 7],
    [30, 30],
  ]) {
    const a = Float64Array.from({ length: m * n }, g.normal);
    const r = svd(a, m, n);
    assert.equal(r.k, Math.min(m, n));
    assert.ok(maxAbsDiff(reconstruct(r), a) < 1e-12, `reconstruction of ${m}×${n}`);
    assert.ok(maxAbsDiff(gram(r.u, m, r.k), identity(r.k)) < 1e-12, `UᵀU = I for ${m}×${n}`);
    assert.ok(maxAbsDiff(gram(r.v, n, r.k), identity(r.k)) < 1e-12, `VᵀV = I for ${m}×${n}`);
    for (let i = 1; i < r.k; i++) assert.ok(r.s[i - 1] >= r.s[i], 'singular values in descending order');
  }
});

test('svd finds known singular values, including tiny and zero ones (rank-deficient U still orthonormal)', () => {
  const g = gen(5);
  const n = 6;
  const known = [9, 4, 2.5, 1, 1e-4, 0];
  const q1 = orthonormalColumns(Float64Array.from({ length: n * n }, g.normal), n);
  const q2 = orthonormalColumns(Float64Array.from({ length: n * n }, g.normal), n);
  const d = new Float64Array(n * n);
  known.forEach((x, i) => (d[i * n + i] = x));
  const a = matMul(matMul(q1, d, n, n, n), transpose(q2, n, n), n, n, n);
  const r = svd(a, n, n);
  known.forEach((x, i) => assert.ok(Math.abs(r.s[i] - x) < 1e-12, `σ${i + 1} = ${r.s[i]}, expected ${x}`));
  assert.ok(maxAbsDiff(gram(r.u, n, n), identity(n)) < 1e-12);
  assert.ok(maxAbsDiff(reconstruct(r), a) < 1e-12);
  // A classic by hand: [[3, 2, 2], [2, 3, -2]] has singular values 5 and 3.
  const h = svd([3, 2, 2, 2, 3, -2], 2, 3);
  assert.ok(Math.abs(h.s[0] - 5) < 1e-12 && Math.abs(h.s[1] - 3) < 1e-12, String(h.s));
});

/** n random source vectors and their images under a random rotation plus noise, words 'w<i>' → '词<i>'. */
function rotatedPair(n, dim, noise, seed = 1) {
  const g = gen(seed);
  const x = Float32Array.from({ length: n * dim }, g.normal);
  const w = randomOrthogonal(dim, seed + 100);
  const y = new Float32Array(n * dim);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < dim; j++) {
      let s = 0;
      for (let p = 0; p < dim; p++) s += x[i * dim + p] * w[p * dim + j];
      y[i * dim + j] = s + noise * g.normal();
    }
  const sw = Array.from({ length: n }, (_, i) => `w${i}`);
  const tw = Array.from({ length: n }, (_, i) => `词${i}`);
  return { src: new KeyedVectors(sw, x, dim), tgt: new KeyedVectors(tw, y, dim), w, sw, tw };
}

test('procrustes recovers a known rotation exactly from clean pairs', () => {
  const dim = 12;
  const { src, tgt, w } = rotatedPair(200, dim, 0, 7);
  const idx = Int32Array.from({ length: 200 }, (_, i) => i);
  const got = procrustes(src.vectors, tgt.vectors, dim, idx, idx);
  assert.ok(maxAbsDiff(got, w) < 1e-5, `max |W − W*| = ${maxAbsDiff(got, w)}`);
  assert.ok(maxAbsDiff(matMul(got, transpose(got, dim, dim), dim, dim, dim), identity(dim)) < 1e-9, 'W is orthogonal');
});

test('alignment of a rotated, noisy copy: P@1 near 1 by NN and CSLS on held-out words; a random map near 0', async () => {
  const dim = 24,
    n = 1200;
  const { src, tgt, sw, tw } = rotatedPair(n, dim, 0.15, 11);
  const pairs = sw.map((s, i) => ({ src: s, tgt: tw[i] }));
  const train = pairs.slice(0, 300),
    heldOut = pairs.slice(300);
  const r = await alignModels(src, tgt, train);
  assert.equal(r.seed.used, 300);
  for (const method of ['nn', 'csls']) {
    const ev = await evaluateTranslation(r.mapped, r.target, heldOut, { method });
    assert.equal(ev.queries, 900);
    assert.ok(ev.precision[1] > 0.95, `${method} P@1 = ${ev.precision[1]}`);
  }
  const control = await alignModels(src, tgt, train, { random: true, seed: 3 });
  const ev = await evaluateTranslation(control.mapped, control.target, heldOut, { method: 'nn' });
  assert.ok(ev.precision[1] < 0.02 && ev.precision[10] < 0.05, `random map P@1 = ${ev.precision[1]}, P@10 = ${ev.precision[10]}`);
});

test('refinement from a weak seed: mutual CSLS pairs re-learn the map', async () => {
  const dim = 24,
    n = 1200;
  const { src, tgt, sw, tw } = rotatedPair(n, dim, 0.5, 13);
  const pairs = sw.map((s, i) => ({ src: s, tgt: tw[i] }));
  const seed = pairs.slice(0, 20); // fewer pairs than dimensions: the seed map is poor
  const heldOut = pairs.slice(300);
  const plain = await alignModels(src, tgt, seed);
  const before = await evaluateTranslation(plain.mapped, plain.target, heldOut, { method: 'nn' });
  assert.ok(before.precision[1] < 0.8, `seed-only P@1 ${before.precision[1]}`);
  const r = await alignModels(src, tgt, seed, { refine: 2, refineVocab: 1000 });
  assert.equal(r.rounds.length, 2);
  assert.ok(r.rounds[1] > 500, `round 2 induced ${r.rounds[1]} pairs`);
  const after = await evaluateTranslation(r.mapped, r.target, heldOut, { method: 'nn' });
  assert.ok(after.precision[1] > 0.95, `P@1 ${before.precision[1]} → ${after.precision[1]}`);
});

test('CSLS demotes a hub that plain nearest neighbour picks', async () => {
  // Sources e1, e2, e3; the hub is equally near all three, t1 nearer to e1 only. By cosine e1's nearest
  // target is the hub (0.577 > 0.5); by CSLS with k = 3 it is t1: 2·0.5 − 0.5/3 > 2·0.577 − 0.577.
  const src = new KeyedVectors(['e1', 'e2', 'e3'], Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]), 4);
  const h = 1 / Math.sqrt(3);
  const tgt = new KeyedVectors(['hub', 't1'], Float32Array.from([h, h, h, 0, 0.5, 0, 0, Math.sqrt(0.75)]), 4);
  const nn = await retrieve(src, tgt, [0], { method: 'nn', topn: 1 });
  assert.equal(tgt.words[nn.index[0]], 'hub');
  const csls = await retrieve(src, tgt, [0], { method: 'csls', knn: 3, topn: 1 });
  assert.equal(tgt.words[csls.index[0]], 't1');
  assert.ok(Math.abs(csls.score[0] - (1 - 0.5 / 3)) < 1e-6, String(csls.score[0]));
  const reranked = cslsRerank(src, tgt, src.row(0), 2, { knn: 3 });
  assert.deepEqual(
    reranked.map((r) => r.word),
    ['t1', 'hub'],
  );
});

test('normalisation: unit, centre, unit gives unit rows with a mean near zero', () => {
  const g = gen(17);
  const dim = 8,
    n = 500;
  const v = Float32Array.from({ length: n * dim }, () => g.normal() + 3); // far from centred
  const out = normalizeRows(v, n, dim, ['unit', 'center', 'unit']);
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) {
      s += out[i * dim + d] ** 2;
      mean[d] += out[i * dim + d] / n;
    }
    assert.ok(Math.abs(s - 1) < 1e-5);
  }
  assert.ok(Math.max(...mean.map(Math.abs)) < 0.1, `mean ${mean}`);
});

test('dictionary: several translations per word, unknown words counted and skipped', () => {
  const d = parseDictionary('king 国王\nking 王\n# comment\n\nqueen 女王 extra\nzzz 未知\nking 国王\n');
  assert.deepEqual(d.invalidLines, [5]);
  assert.equal(d.pairs.length, 4);
  const src = new KeyedVectors(['king', 'queen'], new Float32Array(4), 2);
  const tgt = new KeyedVectors(['国王', '女王'], new Float32Array(4), 2);
  const l = lookupPairs(d.pairs, src, tgt);
  assert.equal(l.used, 1, 'king 国王 once (the repeat is dropped)');
  assert.equal(l.unknownTarget, 2, '王 and 未知');
  assert.equal(l.unknownSource, 1, 'zzz');
  assert.equal(l.unknownBoth, 1);
  assert.equal(l.sourceWords, 2);
  assert.equal(l.sourceWordsUsed, 1);
});

/** Writes a KeyedVectors as word2vec text. */
function writeVec(file, kv) {
  const lines = [`${kv.size} ${kv.dim}`];
  for (let i = 0; i < kv.size; i++) lines.push(`${kv.words[i]} ${Array.from(kv.row(i), (x) => x.toFixed(6)).join(' ')}`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

test('CLI: align, eval translation (NN, CSLS, JSON), the random control, --target queries, exit 3', () => {
  const { src, tgt, sw, tw } = rotatedPair(600, 16, 0.1, 21);
  const srcFile = path.join(tmp, 'src.vec'),
    tgtFile = path.join(tmp, 'tgt.vec');
  writeVec(srcFile, src);
  writeVec(tgtFile, tgt);
  const trainDict = path.join(tmp, 'train.txt'),
    testDict = path.join(tmp, 'test.txt');
  // Two translations for w0 (one unknown to the target), and a pair with an unknown source word.
  fs.writeFileSync(
    trainDict,
    sw
      .slice(0, 150)
      .map((s, i) => `${s} ${tw[i]}`)
      .join('\n') + '\nw0 不在\nnope 词1\n',
  );
  fs.writeFileSync(
    testDict,
    sw
      .slice(200)
      .map((s, i) => `${s} ${tw[i + 200]}`)
      .join('\n') + '\n',
  );

  const a = cli(['align', srcFile, tgtFile, '--dict', trainDict, '-o', 'mapped', '--json']);
  assert.equal(a.status, 0, a.stderr);
  const s = JSON.parse(a.stdout);
  assert.equal(s.pairs, 152);
  assert.equal(s.pairsUsed, 150);
  assert.equal(s.unknownSource, 1);
  assert.equal(s.unknownTarget, 1);
  assert.equal(s.normalize, 'unit,center,unit');
  assert.ok(fs.existsSync(path.join(tmp, 'models', 'mapped-target', 'meta.json')), 'the normalised target is written');

  const ev = cli(['eval', 'translation', testDict, '--model', 'mapped', '--target', 'mapped-target', '--json']);
  assert.equal(ev.status, 0, ev.stderr);
  const j = JSON.parse(ev.stdout);
  assert.equal(j.method, 'nn');
  assert.equal(j.queries, 400);
  assert.equal(j.coverage, 1);
  assert.ok(j.precision[1] > 0.9, `P@1 ${j.precision[1]}`);
  // The table (TSV when piped): P@1, P@5, P@10, queries and coverage; examples list Chinese words.
  const table = cli(['eval', 'translation', testDict, '-m', 'mapped', '--target', 'mapped-target', '--csls', '--examples', '2']);
  assert.equal(table.status, 0, table.stderr);
  const [p1] = table.stdout.match(/^csls \(k=10\)\t(\d+\.\d)%\t\d+\.\d%\t\d+\.\d%\t400\t100\.0%$/m)?.slice(1) ?? [];
  assert.ok(Number(p1) > 90, `CSLS P@1 ${p1}: ${table.stdout}`);
  assert.match(table.stdout, /^w200\t1\t词200 /m);

  // The control: a random orthogonal map translates nothing.
  assert.equal(cli(['align', srcFile, tgtFile, '--dict', trainDict, '-o', 'control', '--random', '--seed', '4', '-q']).status, 0);
  const c = JSON.parse(cli(['eval', 'translation', testDict, '-m', 'control', '--target', 'control-target', '--json']).stdout);
  assert.ok(c.precision[10] < 0.1, `random map P@10 ${c.precision[10]}`);

  // --target: a source word searched in the target's vocabulary.
  // One query per stdin line: a word of --model is found, a word of the target is not (exit 3).
  const sim = cli(['similar', '-', '-m', 'mapped', '--target', 'mapped-target', '-n', '3'], 'w300\n词300\n');
  assert.equal(sim.status, 3, sim.stderr);
  assert.equal(sim.stdout.split('\n')[0].split('\t').slice(0, 2).join(' '), 'w300 词300');
  assert.match(sim.stderr, /'词300' is not in the model's vocabulary/);
  const one = cli(['similarity', 'w300', '词300', '-m', 'mapped', '--target', 'mapped-target']);
  assert.ok(Number(one.stdout) > 0.8, one.stdout + one.stderr);
  const cs = cli(['similar', 'w300', '-m', 'mapped', '--target', 'mapped-target', '--csls', '-n', '1']);
  assert.equal(cs.stdout.split('\t')[0], '词300', cs.stderr);
  const an = cli(['analogy', 'w1', 'w1', 'w300', '-m', 'mapped', '--target', 'mapped-target', '-n', '1']);
  assert.equal(an.stdout.split('\t')[0], '词300', an.stderr);

  // Nothing of the dictionary in the vocabularies: exit 3, one line.
  const none = path.join(tmp, 'none.txt');
  fs.writeFileSync(none, 'xx 某\nyy 另\n');
  const bad = cli(['align', srcFile, tgtFile, '--dict', none, '-o', 'never']);
  assert.equal(bad.status, 3, bad.stderr);
  assert.match(bad.stderr, /none of the 2 pairs/);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  assert.ok(!fs.existsSync(path.join(tmp, 'models', 'never')));
  assert.equal(cli(['eval', 'translation', none, '-m', 'mapped', '--target', 'mapped-target']).status, 3);
  // A bad option is a usage error.
  assert.equal(cli(['align', srcFile, tgtFile, '--dict', trainDict, '-o', 'x', '--normalize', 'unit,scale']).status, 2);
  assert.equal(cli(['similar', 'w1', '-m', 'mapped', '--csls']).status, 2, '--csls needs --target');
});

test('CLI: --format writes a vector file, --normalize none leaves the target alone', () => {
  const { src, tgt, sw, tw } = rotatedPair(300, 8, 0.05, 31);
  const srcFile = path.join(tmp, 'fs.vec'),
    tgtFile = path.join(tmp, 'ft.vec'),
    dict = path.join(tmp, 'fd.txt');
  writeVec(srcFile, src);
  writeVec(tgtFile, tgt);
  fs.writeFileSync(
    dict,
    sw
      .slice(0, 100)
      .map((s, i) => `${s} ${tw[i]}`)
      .join('\n'),
  );
  const out = path.join(tmp, 'aligned.vec');
  const r = cli(['align', srcFile, tgtFile, '--dict', dict, '-o', out, '-f', 'vec', '--normalize', 'none', '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).queryTarget, tgtFile);
  assert.ok(!fs.existsSync(path.join(tmp, 'aligned-target.vec')));
  assert.match(fs.readFileSync(out, 'utf8').split('\n')[0], /^300 8$/);
  const sim = cli(['similar', 'w250', '-m', out, '--target', tgtFile, '-n', '1']);
  assert.equal(sim.stdout.split('\t')[0], '词250', sim.stderr);
});
