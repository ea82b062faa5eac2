// embed bias: the symmetric eigensolver against known decompositions; WEAT against an independent numpy
// computation (test/fixtures/bias/weat_reference.py, run once on the committed vectors) and on planted
// and null associations; p-values across seeds; the bias direction, DirectBias and projections; the CLI's
// files, exit codes and Chinese word sets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { symmetricEigen, runWeat, weatPermutationTest, parseWeatTsv, loadModelFile, biasDirection } from '../dist/index.js';
import { ROOT, runCli, tmpDir } from './helpers.mjs';

const FIX = path.join(ROOT, 'test', 'fixtures', 'bias');
const ENWIKI = path.join(FIX, 'enwiki-bias.bin');
const REFERENCE = JSON.parse(fs.readFileSync(path.join(FIX, 'weat-reference.json'), 'utf8'));

// ---- a small seeded generator and vector files ----

function gaussian(seed) {
  let s = seed >>> 0 || 1;
  const u = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/** A word2vec text file of `entries` ([word, vector]). */
function vectorFile(entries, dim) {
  const file = path.join(tmpDir('embed-bias-'), 'vectors.txt');
  fs.writeFileSync(
    file,
    `${entries.length} ${dim}\n` + entries.map(([w, v]) => `${w} ${Array.from(v, (x) => x.toFixed(6)).join(' ')}`).join('\n') + '\n',
  );
  return file;
}

/**
 * Vectors with a planted association: each [prefix, n, lean] gives n words leaning along axis 0 by
 * lean × strength, plus Gaussian noise of about unit length.
 */
function plantedWords(names, strength, seed, dim = 16) {
  const g = gaussian(seed);
  const out = [];
  for (const [prefix, n, sign] of names)
    for (let i = 0; i < n; i++) {
      const v = Array.from({ length: dim }, () => g() / Math.sqrt(dim));
      v[0] += sign * strength;
      out.push([`${prefix}${i}`, v]);
    }
  return out;
}

const setOf = (prefix, n, name = prefix) => ({ name, words: Array.from({ length: n }, (_, i) => `${prefix}${i}`) });
const weatOf = (n, m = n) => ({ id: 't', targets: [setOf('x', n), setOf('y', n)], attributes: [setOf('a', m), setOf('b', m)] });

// ---- symmetricEigen ----

function checkDecomposition(a, n, values, vectors, tol) {
  for (let k = 0; k < n; k++) {
    // A v = λ v, |v| = 1, largest component positive; columns orthogonal.
    let big = 0;
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let j = 0; j < n; j++) av += a[i * n + j] * vectors[j * n + k];
      assert.ok(Math.abs(av - values[k] * vectors[i * n + k]) < tol, `A v = λ v for component ${k}, row ${i}`);
      if (Math.abs(vectors[i * n + k]) > Math.abs(big)) big = vectors[i * n + k];
    }
    assert.ok(big > 0, `eigenvector ${k}'s largest component is positive`);
    for (let l = k; l < n; l++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += vectors[i * n + k] * vectors[i * n + l];
      assert.ok(Math.abs(dot - (k === l ? 1 : 0)) < tol, `v${k}·v${l}`);
    }
    if (k > 0) assert.ok(values[k] <= values[k - 1], 'values descend');
  }
}

test('symmetricEigen: known small decompositions, descending values, signs fixed', () => {
  const r2 = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
  assert.deepEqual(
    Array.from(r2.values, (v) => +v.toFixed(12)),
    [3, 1],
  );
  const h = Math.SQRT1_2;
  // Columns: (1, 1)/√2 for 3 and (1, −1)/√2 for 1 (the tie on magnitude goes to the first component).
  assert.deepEqual(
    Array.from(r2.vectors, (v) => +v.toFixed(12)),
    [h, h, h, -h].map((v) => +v.toFixed(12)),
  );
  // Tridiagonal 4 3 2 with ones beside the diagonal: eigenvalues 3 + √3, 3, 3 − √3.
  const t = Float64Array.from([4, 1, 0, 1, 3, 1, 0, 1, 2]);
  const r3 = symmetricEigen(t, 3);
  [3 + Math.sqrt(3), 3, 3 - Math.sqrt(3)].forEach((v, i) => assert.ok(Math.abs(r3.values[i] - v) < 1e-12, `λ${i}`));
  // For 3: v = (1, −1, −1)/√3, sign-fixed to (−1, 1, 1)… largest magnitude tie → the first: (1, −1, −1)/√3.
  const s3 = 1 / Math.sqrt(3);
  [s3, -s3, -s3].forEach((v, i) => assert.ok(Math.abs(r3.vectors[i * 3 + 1] - v) < 1e-12, `v1[${i}]`));
  checkDecomposition(t, 3, r3.values, r3.vectors, 1e-12);
  // A diagonal matrix comes back sorted, eigenvectors ±unit axes made positive; the input is untouched.
  const diag = Float64Array.from([1, 0, 0, 0, -5, 0, 0, 0, 7]);
  const rd = symmetricEigen(diag, 3);
  assert.deepEqual(Array.from(rd.values), [7, 1, -5]);
  assert.deepEqual(Array.from(rd.vectors), [0, 1, 0, 0, 0, 1, 1, 0, 0]);
  assert.deepEqual(Array.from(diag), [1, 0, 0, 0, -5, 0, 0, 0, 7]);
  assert.deepEqual(Array.from(symmetricEigen(new Float64Array(0), 0).values), []);
});

test('symmetricEigen: Q Λ Qᵀ of a random orthogonal Q gives back Λ and ±Q (n = 40, repeated eigenvalues too)', () => {
  const n = 40;
  const g = gaussian(7);
  // Gram–Schmidt on random columns.
  const q = Array.from({ length: n }, () => Array.from({ length: n }, g));
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < k; j++) {
      const dot = q[k].reduce((s, x, i) => s + x * q[j][i], 0);
      q[k] = q[k].map((x, i) => x - dot * q[j][i]);
    }
    const norm = Math.hypot(...q[k]);
    q[k] = q[k].map((x) => x / norm);
  }
  const lambda = Array.from({ length: n }, (_, k) => (k < 3 ? 2.5 : 10 - k * 0.37)); // three equal values
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j] += q[k][i] * lambda[k] * q[k][j];
  const { values, vectors } = symmetricEigen(a, n);
  const sorted = [...lambda].sort((x, y) => y - x);
  sorted.forEach((v, k) => assert.ok(Math.abs(values[k] - v) < 1e-10, `λ${k}: ${values[k]} vs ${v}`));
  checkDecomposition(a, n, values, vectors, 1e-9);
  // A simple eigenvalue's vector is ±q_k; the sign rule picks one.
  const k0 = lambda.indexOf(sorted[0]);
  const dot = q[k0].reduce((s, x, i) => s + x * vectors[i * n], 0);
  assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-10, 'top eigenvector is ±q');
});

// ---- WEAT ----

test('WEAT on the enwiki fixture reproduces the independent numpy computation (words, d, exact and sampled p)', async () => {
  const r = await runCli(['bias', 'weat', 'all', '--json', '-m', ENWIKI]);
  assert.equal(r.code, 0, r.stderr);
  const got = JSON.parse(r.stdout).tests;
  assert.equal(got.length, 10);
  let exact = 0,
    sampled = 0;
  for (const [i, ref] of REFERENCE.tests.entries()) {
    const t = got[i];
    const where = `WEAT ${ref.id}`;
    assert.deepEqual(
      t.sets.map((s) => [s.name, s.used, s.missing]),
      ref.sets.map((s) => [s.name, s.used, s.missing]),
      `${where}: words used and missing`,
    );
    assert.ok(Math.abs(t.effectSize - ref.effectSize) < 1e-9, `${where}: d ${t.effectSize} vs numpy ${ref.effectSize}`);
    assert.ok(Math.abs(t.statistic - ref.statistic) < 1e-9, `${where}: statistic`);
    t.associations.forEach((a, j) => assert.ok(Math.abs(a.s - ref.s[j]) < 1e-12, `${where}: s(${a.word})`));
    assert.equal(t.partitions, ref.partitions, `${where}: partitions`);
    assert.equal(t.pMethod, ref.pMethod, `${where}: exact or sampled`);
    if (ref.pMethod === 'exact') {
      exact++;
      assert.equal(t.permutations, ref.partitions);
      assert.ok(Math.abs(t.pValue - ref.pValue) < 1e-12, `${where}: exact p ${t.pValue} vs numpy ${ref.pValue}`);
    } else {
      sampled++;
      // Both are estimates: they must agree within 4 standard errors of their difference.
      const p = Math.max(t.pValue, ref.pValue);
      const se = Math.sqrt(p * (1 - p) * (1 / t.permutations + 1 / ref.permutations));
      assert.ok(Math.abs(t.pValue - ref.pValue) <= 4 * se + 1e-12, `${where}: sampled p ${t.pValue} vs numpy ${ref.pValue} (se ${se})`);
      assert.equal(t.permutations, 100000);
      assert.equal(t.seed, 1);
    }
  }
  assert.ok(exact >= 3 && sampled >= 3, `both kinds of p are compared (${exact} exact, ${sampled} sampled)`);
});

test('WEAT: a planted association gives a large d and a tiny p; unrelated vectors do not', () => {
  const names = (sx, sa) => [
    ['x', 8, sx],
    ['y', 8, -sx],
    ['a', 8, sa],
    ['b', 8, -sa],
  ];
  const planted = loadModelFile(vectorFile(plantedWords(names(0.6, 0.6), 1, 11), 16)).kv;
  const r = runWeat(planted, weatOf(8));
  assert.equal(r.pMethod, 'exact');
  assert.equal(r.partitions, 12870);
  assert.ok(r.effectSize > 1.5, `planted d ${r.effectSize}`);
  assert.ok(r.pValue < 1e-3, `planted p ${r.pValue}`);
  // The same sets with the association reversed: d flips sign, p goes to the other end.
  const reversed = runWeat(planted, { ...weatOf(8), targets: [setOf('y', 8), setOf('x', 8)] });
  assert.ok(Math.abs(reversed.effectSize + r.effectSize) < 1e-12);
  assert.ok(reversed.pValue > 0.99);
  // No association in the targets (the attributes still differ): d small, p unremarkable.
  const none = loadModelFile(vectorFile(plantedWords(names(0, 0.6), 1, 11), 16)).kv;
  const n = runWeat(none, weatOf(8));
  assert.ok(Math.abs(n.effectSize) < 1, `null d ${n.effectSize}`);
  assert.ok(n.pValue > 0.05 && n.pValue < 0.95, `null p ${n.pValue}`);
  // Larger sets go to the sampled test, with the same verdicts.
  const big = loadModelFile(
    vectorFile(
      plantedWords(
        [
          ['x', 25, 0.6],
          ['y', 25, -0.6],
          ['a', 25, 0.6],
          ['b', 25, -0.6],
        ],
        1,
        12,
      ),
      16,
    ),
  ).kv;
  const s = runWeat(big, weatOf(25), { permutations: 20000 });
  assert.equal(s.pMethod, 'sampled');
  assert.ok(s.effectSize > 1.5 && s.pValue < 1e-3, `sampled planted: d ${s.effectSize} p ${s.pValue}`);
});

test('WEAT: exact p equals brute force over all partitions; sampled p is stable across seeds within its sampling error', () => {
  const g = gaussian(5);
  const s = Array.from({ length: 12 }, g);
  const exact = weatPermutationTest(s, 6);
  // Brute force over bit masks.
  const observed = s.slice(0, 6).reduce((t, u) => t + u, 0);
  let hits = 0,
    total = 0;
  for (let mask = 0; mask < 1 << 12; mask++) {
    let bits = 0,
      sum = 0;
    for (let i = 0; i < 12; i++) if (mask & (1 << i)) (bits++, (sum += s[i]));
    if (bits !== 6) continue;
    total++;
    if (sum >= observed - 1e-12) hits++;
  }
  assert.equal(exact.method, 'exact');
  assert.equal(exact.partitions, total);
  assert.equal(exact.pValue, hits / total);
  // The same statistic sampled (exact-limit 0): each seed's estimate is within 4 standard errors of the
  // exact value, different seeds give different estimates, and one seed always gives the same one.
  const N = 20000;
  const ps = [1, 2, 3, 4, 5].map((seed) => weatPermutationTest(s, 6, { exactLimit: 0, permutations: N, seed }));
  const se = Math.sqrt((exact.pValue * (1 - exact.pValue)) / N);
  assert.ok(exact.pValue > 0.05 && exact.pValue < 0.95, `a p-value with room on both sides (${exact.pValue})`);
  for (const p of ps) {
    assert.equal(p.method, 'sampled');
    assert.ok(Math.abs(p.pValue - exact.pValue) < 4 * se + 1 / N, `seed p ${p.pValue} vs exact ${exact.pValue} (se ${se})`);
    assert.ok(Math.abs(p.stdErr - se) < se * 0.2, 'reported standard error');
  }
  assert.ok(new Set(ps.map((p) => p.pValue)).size > 1, 'seeds differ');
  assert.equal(weatPermutationTest(s, 6, { exactLimit: 0, permutations: N, seed: 3 }).pValue, ps[2].pValue, 'a seed repeats');
});

test('embed bias weat: sampled p-values of real tests agree across seeds within their sampling error', async () => {
  const runs = await Promise.all(
    ['1', '2'].map((seed) => runCli(['bias', 'weat', '3', '4', '--json', '--seed', seed, '--permutations', '20000', '-m', ENWIKI])),
  );
  const [a, b] = runs.map((r) => (assert.equal(r.code, 0, r.stderr), JSON.parse(r.stdout).tests));
  for (let i = 0; i < a.length; i++) {
    assert.equal(a[i].pMethod, 'sampled');
    assert.equal(a[i].effectSize, b[i].effectSize, 'd does not depend on the seed');
    const p = Math.max(a[i].pValue, b[i].pValue);
    const se = Math.sqrt((2 * p * (1 - p)) / 20000);
    assert.ok(Math.abs(a[i].pValue - b[i].pValue) <= 4 * se + 1e-4, `test ${a[i].id}: ${a[i].pValue} vs ${b[i].pValue}`);
  }
});

// ---- custom tests, Chinese, exit codes ----

const zhNames = [
  ['花', 6, 0.6],
  ['虫', 6, -0.6],
  ['好', 6, 0.6],
  ['坏', 6, -0.6],
];
const zhModel = () => vectorFile(plantedWords(zhNames, 1, 21), 16);
const zhSet = (p) => Array.from({ length: 6 }, (_, i) => `${p}${i}`);

test('embed bias weat: custom Chinese tests from TSV and JSON give the same numbers; unknown words are listed', async () => {
  const model = zhModel();
  const dir = tmpDir('embed-bias-');
  const tsv = path.join(dir, 'zh.tsv');
  fs.writeFileSync(
    tsv,
    [
      '# test\trole\tset\twords',
      `花虫\tX\t花卉\t${zhSet('花').join(' ')} 兰花`,
      `花虫\tY\t昆虫\t${zhSet('虫').slice(0, 3).join('，')}`,
      `花虫\tY\t昆虫\t${zhSet('虫').slice(3).join(' ')}`,
      `花虫\tA\t愉快\t${zhSet('好').join(' ')}`,
      `花虫\tB\t不愉快\t${zhSet('坏').join(' ')}`,
    ].join('\n') + '\n',
  );
  const json = path.join(dir, 'zh.json');
  fs.writeFileSync(
    json,
    JSON.stringify([
      {
        name: '花虫',
        targets: [{ name: '花卉', words: [...zhSet('花'), '兰花'] }, zhSet('虫')],
        attributes: [
          { name: '愉快', words: zhSet('好') },
          { name: '不愉快', words: zhSet('坏') },
        ],
        iat: { d: 1.35 },
      },
    ]),
  );
  const [t, j] = await Promise.all([
    runCli(['bias', 'weat', tsv, '--json', '-m', model]),
    runCli(['bias', 'weat', json, '--json', '-m', model]),
  ]);
  assert.equal(t.code, 0, t.stderr);
  assert.equal(j.code, 0, j.stderr);
  const rt = JSON.parse(t.stdout).tests[0],
    rj = JSON.parse(j.stdout).tests[0];
  assert.equal(rt.id, '花虫');
  assert.deepEqual(rt.sets[0].missing, ['兰花']);
  assert.equal(rt.sets[1].name, '昆虫');
  assert.equal(rt.sets[1].used.length, 6);
  assert.equal(rt.effectSize, rj.effectSize);
  assert.equal(rt.pValue, rj.pValue);
  assert.equal(rt.pMethod, 'exact');
  assert.equal(rj.iat.d, '1.35');
  assert.ok(rt.effectSize > 1.2 && rt.pValue < 0.01, `planted Chinese association: d ${rt.effectSize} p ${rt.pValue}`);
  // The plain table: one row per test, the missing word listed.
  const plain = await runCli(['bias', 'weat', tsv, '-m', model]);
  assert.equal(plain.code, 0);
  const lines = plain.stdout.trim().split('\n');
  assert.equal(lines[0].split('\t')[0], '花虫');
  assert.equal(lines[0].split('\t')[3], '6/7');
  assert.match(plain.stdout, /missing\t花虫\t花卉\t兰花/);
  // Parsed directly, too.
  assert.equal(parseWeatTsv(fs.readFileSync(tsv, 'utf8'))[0].targets[1].words.length, 6);
});

test('embed bias weat: exit 3 when a whole set is unknown (other tests still reported), 2 for a bad test name, 1 for a bad file', async () => {
  const model = zhModel();
  const dir = tmpDir('embed-bias-');
  const tsv = path.join(dir, 't.tsv');
  fs.writeFileSync(
    tsv,
    [
      `ok\tX\tx\t${zhSet('花').join(' ')}`,
      `ok\tY\ty\t${zhSet('虫').join(' ')}`,
      `ok\tA\ta\t${zhSet('好').join(' ')}`,
      `ok\tB\tb\t${zhSet('坏').join(' ')}`,
      `gone\tX\tx\t${zhSet('花').join(' ')}`,
      `gone\tY\ty\t${zhSet('虫').join(' ')}`,
      `gone\tA\tnowhere\tfoo bar`,
      `gone\tB\tb\t${zhSet('坏').join(' ')}`,
    ].join('\n'),
  );
  const r = await runCli(['bias', 'weat', tsv, '--json', '-m', model]);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /'nowhere' \(test gone\)/);
  const tests = JSON.parse(r.stdout).tests;
  assert.equal(tests[0].emptySet, null);
  assert.ok(tests[0].effectSize > 1);
  assert.equal(tests[1].emptySet, 'nowhere');
  assert.equal(tests[1].effectSize, null);
  // The standard tests on a Chinese model: nothing of them is known.
  const en = await runCli(['bias', 'weat', '7', '-m', model]);
  assert.equal(en.code, 3);
  assert.equal(en.stderr.trim().split('\n').length, 2, en.stderr); // the legend and one error line
  const bad = await runCli(['bias', 'weat', '11', '-m', model]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /no standard WEAT test '11'/);
  const nofile = await runCli(['bias', 'weat', 'flowers.json', '-m', model]);
  assert.equal(nofile.code, 2);
  const broken = path.join(dir, 'b.json');
  fs.writeFileSync(broken, '[{"targets": [["a"]]}]');
  const b = await runCli(['bias', 'weat', broken, '-m', model]);
  assert.equal(b.code, 1);
  assert.match(b.stderr, /is not a WEAT test file: test '1' needs "targets"/);
  assert.doesNotMatch(b.stderr, /at .*\.js/);
});

// ---- direction, DirectBias, project ----

/**
 * A space with a planted direction on axis 0: pair words are base_i ± 0.5 e0, "she"-side words lean +,
 * "he"-side words −, neutral words not at all.
 */
function directionModel(pairs, leaning, dim = 12) {
  const g = gaussian(31);
  const noise = () => Array.from({ length: dim }, () => g() / Math.sqrt(dim));
  const entries = [];
  for (const [a, b] of pairs) {
    const base = noise();
    base[0] = 0; // so that a − b lies along axis 0 after both are made unit length
    entries.push([a, base.map((x, d) => x + (d === 0 ? 0.5 : 0) + g() * 0.01)]);
    entries.push([b, base.map((x, d) => x - (d === 0 ? 0.5 : 0) + g() * 0.01)]);
  }
  for (const [w, lean] of leaning) entries.push([w, noise().map((x, d) => (d === 0 ? lean : x))]);
  return vectorFile(entries, dim);
}

test('bias direction: one dominant component for planted pairs, oriented to the first words; DirectBias, poles and projections', async () => {
  const pairs = [
    ['她', '他'],
    ['女人', '男人'],
    ['母亲', '父亲'],
    ['女儿', '儿子'],
  ];
  const leaning = [
    ['护士', 0.8],
    ['秘书', 0.5],
    ['工程师', -0.7],
    ['士兵', -0.9],
    ['桌子', 0],
  ];
  const model = directionModel(pairs, leaning);
  const pairFile = path.join(tmpDir('embed-bias-'), 'pairs.txt');
  fs.writeFileSync(pairFile, pairs.map((p) => p.join(' ')).join('\n') + '\n奶奶 爷爷\n');
  const wordFile = path.join(tmpDir('embed-bias-'), 'words.json');
  fs.writeFileSync(wordFile, JSON.stringify([['护士', 1], ['工程师', -1], '桌子', '宇航员']));
  const r = await runCli(['bias', 'direction', '--pairs', pairFile, '--words', wordFile, '--json', '-n', '2', '-m', model]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /1 of 5 pairs skipped for unknown words: 奶奶\/爷爷/);
  assert.match(r.stderr, /1 of 4 DirectBias words are not in the vocabulary: 宇航员/);
  const j = JSON.parse(r.stdout);
  assert.equal(j.pairs.length, 4);
  assert.ok(j.explainedVariance[0] > 0.95, `first component ${j.explainedVariance}`);
  assert.ok(Math.abs(j.explainedVariance.reduce((s, x) => s + x, 0) - 1) < 1e-9, 'ratios of the whole variance');
  assert.ok(j.direction[0] > 0.99, 'the direction is the planted axis, + on the side of the first words');
  const proj = Object.fromEntries(j.directBias.projections.map((p) => [p.word, p.projection]));
  assert.ok(proj['护士'] > 0.5 && proj['工程师'] < -0.5 && Math.abs(proj['桌子']) < 0.4, JSON.stringify(proj));
  const mean = (Math.abs(proj['护士']) + Math.abs(proj['工程师']) + Math.abs(proj['桌子'])) / 3;
  assert.ok(Math.abs(j.directBias.value - mean) < 1e-12);
  assert.deepEqual(j.directBias.missing, ['宇航员']);
  assert.deepEqual(
    j.poles.positive.map((n) => n.word),
    ['护士', '秘书'],
  );
  assert.deepEqual(
    j.poles.negative.map((n) => n.word),
    ['士兵', '工程师'],
  );
  // -c 2 squares the cosines.
  const c2 = JSON.parse(
    (await runCli(['bias', 'direction', '--pairs', pairFile, '--words', wordFile, '--json', '-c', '2', '-m', model])).stdout,
  );
  assert.ok(Math.abs(c2.directBias.value - (proj['护士'] ** 2 + proj['工程师'] ** 2 + proj['桌子'] ** 2) / 3) < 1e-12);
  // project: the same numbers from the command line pairs.
  const p = await runCli(['bias', 'project', '护士', '士兵', '宇航员', '--pair', '她,他', '--pair', '女人,男人', '-m', model]);
  assert.equal(p.code, 0, p.stderr);
  assert.match(p.stderr, /not in the vocabulary, skipped: 宇航员/);
  const rows = p.stdout
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
  assert.deepEqual(
    rows.map((x) => x[0]),
    ['护士', '士兵'],
  );
  assert.ok(Number(rows[0][1]) > 0.5 && Number(rows[1][1]) < -0.5);
});

test('bias direction and project: exit 3 when no pair or no word is known, 2 for a malformed --pair', async () => {
  const model = directionModel([['她', '他']], [['护士', 0.8]]);
  const none = await runCli(['bias', 'direction', '-m', model]); // the default English pairs
  assert.equal(none.code, 3);
  assert.match(none.stderr, /none of the 10 definitional pairs/);
  const words = await runCli(['bias', 'direction', '--pair', '她,他', '-m', model]); // default English professions
  assert.equal(words.code, 3);
  assert.match(words.stderr, /none of the 320 words of the DirectBias list/);
  const p = await runCli(['bias', 'project', 'xyz', '--pair', '她,他', '-m', model]);
  assert.equal(p.code, 3);
  const bad = await runCli(['bias', 'project', '护士', '--pair', '她', '-m', model]);
  assert.equal(bad.code, 2);
});

test('bias direction on the enwiki fixture matches numpy (explained variance by SVD, DirectBias, projections)', () => {
  const { kv } = loadModelFile(ENWIKI);
  const ref = REFERENCE.direction;
  const dir = biasDirection(kv, ref.pairs, 10);
  ref.explained.forEach((e, i) => assert.ok(Math.abs(dir.explained[i] - e) < 1e-9, `component ${i + 1}: ${dir.explained[i]} vs ${e}`));
  for (const [w, v] of Object.entries(ref.projections).slice(0, 50)) {
    const u = kv.unit(kv.resolve(w));
    const s = u.reduce((t, x, d) => t + x * dir.vector[d], 0);
    assert.ok(Math.abs(s - v) < 1e-5, `projection of ${w}: ${s} vs ${v}`);
  }
});
