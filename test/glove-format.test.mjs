// GloVe's text vectors (no header, a final <unk> row), written by Stanford GloVe itself
// (test/fixtures/formats/make-fixtures.sh): detected by content, read, and written back by
// `embed export --format glove`; its headerless vectors.bin is refused with the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModelFile } from '../dist/index.js';
import { cliSync, tmpDir } from './helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fx = (f) => path.join(here, 'fixtures', 'formats', f);

test("Stanford GloVe's text output is detected by content and read whole (its <unk> row too)", () => {
  const copy = path.join(tmpDir(), 'renamed.bin');
  fs.copyFileSync(fx('glove.txt'), copy);
  const { kv, format } = loadModelFile(copy);
  assert.equal(format, 'word2vec-text-noheader');
  const vocab = fs
    .readFileSync(fx('glove-vocab.txt'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(' ')[0]);
  assert.deepEqual(kv.words, [...vocab, '<unk>']);
  assert.ok(kv.words.includes('北京') && kv.words.includes('straße'));
  assert.equal(kv.dim, 6);
  const first = fs.readFileSync(fx('glove.txt'), 'utf8').split('\n')[0].split(' ');
  assert.deepEqual(
    Array.from(kv.vectors.subarray(0, 6)),
    first.slice(1).map((v) => Math.fround(Number(v))),
  );
});

test('embed export --format glove writes header-less rows that read back identically', () => {
  const out = path.join(tmpDir(), 'out.txt');
  const r = cliSync(['export', '-m', fx('glove.txt'), '--format', 'glove', '-o', out]);
  assert.equal(r.status, 0, r.stderr);
  const text = fs.readFileSync(out, 'utf8');
  assert.match(text, /^est [-0-9.e]+ /, 'no "N D" header: the first line is a row');
  const a = loadModelFile(fx('glove.txt')).kv;
  const b = loadModelFile(out).kv;
  assert.deepEqual(b.words, a.words);
  assert.deepEqual(Array.from(b.vectors), Array.from(a.vectors));
});

test("GloVe's headerless binary vectors.bin is refused: it carries no words", () => {
  const r = cliSync(['similar', 'est', '-m', fx('glove-vectors.bin')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not a vector format embed knows.*GloVe's vectors\.bin, carries no words/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});

test("GloVe's vectors.bin imports with its vocabulary (--vocab): W + W̃, as GloVe's own text output", () => {
  const models = tmpDir();
  const r = cliSync(['import', fx('glove-vectors.bin'), '--vocab', fx('glove-vocab.txt'), '--models-dir', models, '--name', 'g', '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).format, 'glove-bin');
  const bin = loadModelFile(path.join(models, 'g')).kv;
  const text = loadModelFile(fx('glove.txt')).kv; // the same run's vectors.txt: 6 decimals, plus <unk>
  assert.deepEqual(bin.words, text.words.slice(0, -1));
  assert.equal(bin.dim, text.dim);
  for (let i = 0; i < bin.vectors.length; i++) assert.ok(Math.abs(bin.vectors[i] - text.vectors[i]) <= 5.1e-7, `value ${i}`);
  // A vocabulary of another run whose size does not fit the file's: refused in one line (one that
  // happens to fit cannot be told apart: the file has nothing else to check against).
  const other = path.join(models, 'other-vocab.txt');
  fs.writeFileSync(other, 'a 4\nb 3\nc 2\nd 1\n');
  const bad = cliSync(['import', fx('glove-vectors.bin'), '--vocab', other, '--models-dir', models, '--name', 'h']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /are not 2 × 4 rows of float64 values .*check --vocab/);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
});
