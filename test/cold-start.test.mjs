// The cold-start path (issue 19): what a query reads lazily must answer exactly as the whole model in
// memory does: words and counts decoded from vocab.tsv's bytes on demand, the row norms saved with the
// model (norms.f64), the CLI's table of lazily loaded commands, and the code cache the command starts from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import nodeModule from 'node:module';
import { KeyedVectors, saveNative, loadModelFile } from '../dist/index.js';
import { cliSync, tmpDir } from './helpers.mjs';

/** A small model with awkward words: a prefix of another, a duplicate, Chinese, one at row 0. */
function makeModel() {
  const words = ['king', 'kingdom', '国王', 'queen', 'man', 'woman', 'king', 'ki', 'x'.repeat(40)];
  for (let i = 0; words.length < 300; i++) words.push(`w${i}`);
  const dim = 7; // not a multiple of 4: the kernel's tail is used
  let seed = 7;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32 - 0.5;
  const vectors = Float32Array.from({ length: words.length * dim }, rnd);
  vectors.fill(0, 5 * dim, 6 * dim); // a zero row ('woman') is never a neighbour
  const counts = Float64Array.from(words, (_, i) => 1000 - i);
  return new KeyedVectors(words, vectors, dim, counts);
}

test('a saved model answers bit for bit as the same vectors in memory (lazy words, stored norms)', () => {
  const mem = makeModel();
  const dir = path.join(tmpDir(), 'm');
  saveNative(dir, mem);
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8'));
  assert.ok(meta.files['norms.f64'], 'norms.f64 is recorded in meta.json');
  const disk = loadModelFile(dir).kv;
  for (const q of [['king'], ['国王'], ['queen', 'man'], ['w17']]) {
    for (const restrict of [0, 50]) {
      const a = mem.mostSimilar(q, [], 12, restrict);
      const b = disk.mostSimilar(q, [], 12, restrict);
      assert.deepEqual(b, a, `${q} restrict ${restrict}`);
    }
  }
  assert.equal(disk.mostSimilar(['king', 'kingdom'], ['queen'], 300).length, 296);
  assert.ok(!disk.mostSimilar(['king'], [], 300).some((n) => n.word === 'woman'), 'a zero row is no neighbour');
  // Words and counts read back lazily are those saved; lookups find the first of duplicates, not prefixes.
  assert.equal(disk.indexOf('king'), 0);
  assert.equal(disk.indexOf('ki'), 7);
  assert.equal(disk.indexOf('国王'), 2);
  assert.equal(disk.indexOf('kin'), -1);
  assert.equal(disk.word(8), 'x'.repeat(40));
  assert.deepEqual(disk.words, mem.words);
  assert.deepEqual([...disk.counts], [...mem.counts]);
});

/** `rows` words in `clusters` clusters of `dim` dims (seeded): neighbours that are close but not tied. */
function clusteredModel(rows, dim, clusters, seed = 11) {
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32 - 0.5;
  const centres = Array.from({ length: clusters }, () => Float32Array.from({ length: dim }, rnd));
  const vectors = new Float32Array(rows * dim);
  for (let i = 0; i < rows; i++) for (let d = 0; d < dim; d++) vectors[i * dim + d] = centres[i % clusters][d] + 0.6 * rnd();
  const words = Array.from({ length: rows }, (_, i) => `w${i}`);
  return new KeyedVectors(
    words,
    vectors,
    dim,
    Float64Array.from(words, (_, i) => rows - i),
  );
}

test('the int8 prefilter (vectors.i8) answers exactly as the full scan, and reads few rows', async () => {
  const { candidateRows } = await import('../dist/vectors/prefilter.js');
  const { scanKernel } = await import('../dist/vectors/scan-kernel.js');
  const mem = clusteredModel(6000, 48, 40);
  // Exact ties too: rows 5000.. repeat rows 0.. (a tie is ordered by row, as the full scan orders it).
  mem.vectors.copyWithin(5000 * 48, 0, 1000 * 48);
  const dir = path.join(tmpDir(), 'm');
  saveNative(dir, mem);
  const disk = loadModelFile(dir).kv;
  for (let t = 0; t < 60; t++) {
    const w = `w${(t * 97) % 6000}`;
    const negative = t % 3 === 0 ? [`w${(t * 31) % 6000}`] : [];
    const topn = [1, 10, 100][t % 3];
    const restrict = t % 4 === 0 ? 2500 : 0;
    assert.deepEqual(
      disk.mostSimilar([w], negative, topn, restrict),
      mem.mostSimilar([w], negative, topn, restrict),
      `${w} -${negative} ${topn} ${restrict}`,
    );
  }
  // The bound narrows the scan to a few rows for a word in a cluster (the ties are all candidates).
  const q = disk.vector('w17');
  const qn = Math.hypot(...q);
  const rows = candidateRows(scanKernel(), disk.source.quantized, q, qn, 10, 5000, [17]);
  assert.ok(rows && rows.length >= 10 && rows.length < 300, `${rows?.length} candidates of 5000`);
});

test('the prefilter keeps a row whose int8 codes all round against it (the bound is not loose by chance)', () => {
  // q = ones(16). Step s = 1.27 / 127 = 0.01 for x and y. x's codes (50) all round down by 0.49 s, y's
  // (50, one 53) all round up: y's approximate cosine beats x's, x's true one beats y's by 0.0024. Only a
  // bound of half a step a value keeps x.
  const dim = 16;
  const row = (first, rest, last = rest) => [first, ...Array(dim - 2).fill(rest), last];
  const vectors = [Array(dim).fill(1), row(1.27, 0.5049, 0.5049), row(1.27, 0.4951, 0.5251)];
  for (let i = 0; i < 20; i++) vectors.push(Array.from({ length: dim }, (_, d) => ((d * 7 + i * 3) % 11) / 10 - 0.9));
  const words = ['q', 'x', 'y', ...Array.from({ length: 20 }, (_, i) => `f${i}`)];
  const mem = new KeyedVectors(words, Float32Array.from(vectors.flat()), dim);
  const dir = path.join(tmpDir(), 'm');
  saveNative(dir, mem);
  const disk = loadModelFile(dir).kv;
  assert.deepEqual(
    mem.mostSimilar(['q'], [], 1).map((n) => n.word),
    ['x'],
  );
  assert.deepEqual(disk.mostSimilar(['q'], [], 1), mem.mostSimilar(['q'], [], 1));
});

test('a row that is not finite is refused by the prefiltered scan as by the full one', () => {
  const mem = clusteredModel(3000, 32, 30);
  mem.vectors[1234 * 32 + 5] = NaN;
  const dir = path.join(tmpDir(), 'm');
  saveNative(dir, mem);
  const r = cliSync(['similar', 'w7', '-m', dir]);
  assert.equal(r.status, 1, r.stderr);
  // Its norm is NaN as well: whichever file the query reads first names the row.
  assert.match(r.stderr, /(norms\.f64 holds a bad norm at row 1235|row 1235 of vectors\.f32)/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});

test('a vocab.tsv of the wrong shape is refused at load, naming the line', () => {
  // Words of 2 to 42 bytes, so lines start and end anywhere in the kernel's 16-byte blocks; the last
  // twenty lines are short (several in a block: another line's tab must not count).
  const words = Array.from({ length: 100 }, (_, i) => (i >= 80 ? `s${i}` : `w${i}${'x'.repeat((i * 7) % 40)}`));
  const dir = path.join(tmpDir(), 'm');
  saveNative(dir, new KeyedVectors(words, new Float32Array(100 * 4).fill(0.5), 4));
  const lines = fs.readFileSync(path.join(dir, 'vocab.tsv'), 'utf8').split('\n').slice(0, 100);
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8'));
  for (const [name, text, why] of [
    ['first', [lines[0].replace('\t', ' '), ...lines.slice(1)].join('\n') + '\n', /vocab\.tsv line 1 has no count/],
    ['middle', lines.map((l, i) => (i === 56 ? l.replace('\t', '') : l)).join('\n') + '\n', /vocab\.tsv line 57 has no count/],
    ['short line', lines.map((l, i) => (i === 89 ? l.replace('\t', '') : l)).join('\n') + '\n', /vocab\.tsv line 90 has no count/],
    ['last', lines.map((l, i) => (i === 99 ? l.replace('\t', '_') : l)).join('\n') + '\n', /vocab\.tsv line 100 has no count/],
    ['extra', lines.join('\n') + '\nmore\t1\n', /more than the 100 lines/],
    ['unended', lines.join('\n'), /vocab\.tsv has 99 lines, expected 100/],
    ['short', lines.slice(0, 98).join('\n') + '\n', /vocab\.tsv has 98 lines, expected 100/],
  ]) {
    const copy = path.join(tmpDir(), name);
    fs.mkdirSync(copy);
    fs.copyFileSync(path.join(dir, 'vectors.f32'), path.join(copy, 'vectors.f32'));
    fs.writeFileSync(path.join(copy, 'vocab.tsv'), text);
    fs.writeFileSync(path.join(copy, 'meta.json'), JSON.stringify({ ...meta, version: 1, files: undefined }));
    assert.throws(() => loadModelFile(copy), why, name);
  }
  // The words themselves, wherever their lines fall.
  const disk = loadModelFile(dir).kv;
  for (const i of [0, 1, 15, 16, 17, 63, 64, 65, 99]) {
    assert.equal(disk.word(i), words[i]);
    assert.equal(disk.indexOf(words[i]), i);
  }
});

test('a norms file whose values are bad is refused in one line', () => {
  const dir = path.join(tmpDir(), 'm');
  saveNative(dir, makeModel());
  // A norm that is NaN, with its record updated as a careless tool would: the loader itself refuses it.
  const file = path.join(dir, 'norms.f64');
  const b = fs.readFileSync(file);
  b.writeDoubleLE(NaN, 8 * 3);
  const copy = path.join(tmpDir(), 'copy');
  fs.mkdirSync(copy);
  for (const f of ['vocab.tsv', 'vectors.f32']) fs.copyFileSync(path.join(dir, f), path.join(copy, f));
  fs.writeFileSync(path.join(copy, 'norms.f64'), b);
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8'));
  meta.version = 1; // version 1 has no checksums, so the edited file passes the size check and meets the value check
  delete meta.files['vectors.i8']; // without the int8 copy a query scans every row, and reads every norm
  fs.writeFileSync(path.join(copy, 'meta.json'), JSON.stringify(meta));
  const r = cliSync(['similar', 'king', '-m', copy]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /norms\.f64 holds a bad norm at row 4/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});

test('every command that help lists runs (the table of lazily loaded commands is complete)', () => {
  const help = cliSync(['--help']);
  assert.equal(help.status, 0);
  const names = [...help.stdout.split('Commands:')[1].matchAll(/^ {2}([a-z-]+)/gm)].map((m) => m[1]).filter((n) => n !== 'help');
  assert.ok(names.length >= 10, names.join(' '));
  for (const name of names) {
    const r = cliSync([name, '--help']);
    assert.equal(r.status, 0, `${name}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`Usage: embed ${name}`));
  }
  // An unknown command still gets commander's suggestion, so the table is consulted before it.
  const typo = cliSync(['simlar', 'king']);
  assert.equal(typo.status, 2);
  assert.match(typo.stderr, /Did you mean similar\?/);
});

test('the embed command runs its bundle through a code cache this Node accepts', () => {
  const root = path.resolve(import.meta.dirname, '..');
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const launcher = path.join(root, pkg.bin.embed);
  assert.equal(fs.readFileSync(launcher, 'utf8').split('\n')[0], '#!/usr/bin/env node');
  const bundle = path.join(path.dirname(launcher), 'main.cjs');
  // Compiled as the launcher compiles it: a cache made for another bundle or another Node is rejected.
  const script = new vm.Script(nodeModule.wrap(fs.readFileSync(bundle, 'latin1')), {
    filename: bundle,
    cachedData: fs.readFileSync(`${bundle}.cache`),
  });
  assert.equal(script.cachedDataRejected, false, 'npm run build makes the cache for this bundle and this Node');
});
