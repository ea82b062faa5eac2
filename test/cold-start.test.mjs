// The cold-start path (issue 19): what a query reads lazily must answer exactly as the whole model in
// memory does: words and counts decoded from vocab.tsv's bytes on demand, the row norms saved with the
// model (norms.f64), and the CLI's table of lazily loaded commands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { KeyedVectors, saveNative, loadModelFile } from '../dist/index.js';
import { cliSync, tmpDir } from './helpers.mjs';

/** A small model with awkward words: a prefix of another, a duplicate, Chinese, one at row 0. */
function makeModel() {
  const words = ['king', 'kingdom', '国王', 'queen', 'man', 'woman', 'king', 'ki', 'x'.repeat(40)];
  for (let i = 0; words.length < 300; i++) words.push(`w${i}`);
  const dim = 7; // not a multiple of 4: the kernel's tail is used
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5;
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
