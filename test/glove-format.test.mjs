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
