// Vector file formats: we read what gensim, word2vec.c and fastText write (format detected from the
// content), and write byte-identical files (gensim text, word2vec.c binary, fastText .vec).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { loadModelFile, exportToFile, exportToStream, KeyedVectors } from '../dist/index.js';
import { cliSync } from './helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fx = (f) => path.join(here, 'fixtures', 'formats', f);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'embed-formats-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
const cli = cliSync;

test('detects each format from the content, not the name', () => {
  const cases = {
    'gensim.txt': 'word2vec-text',
    'gensim.bin': 'word2vec-bin',
    'gensim-noheader.txt': 'word2vec-text-noheader',
    'w2vc.txt': 'word2vec-text',
    'w2vc.bin': 'word2vec-bin',
    'fasttext.vec': 'word2vec-text',
    'latin1.bin': 'word2vec-bin',
  };
  for (const [f, format] of Object.entries(cases)) {
    const copy = path.join(tmp, 'renamed-' + f.replace(/\.\w+$/, '.dat'));
    fs.copyFileSync(fx(f), copy);
    assert.equal(loadModelFile(copy).format, format, f);
  }
});

test('gensim text, binary and header-less text hold the same vectors, UTF-8 words intact', () => {
  const t = loadModelFile(fx('gensim.txt')).kv;
  const b = loadModelFile(fx('gensim.bin')).kv;
  const n = loadModelFile(fx('gensim-noheader.txt')).kv;
  assert.deepEqual(t.words, [
    'the',
    'café',
    'naïve',
    'straße',
    '北京',
    '東京',
    'Ελλάδα',
    'emoji😀',
    'x'.repeat(150),
    'UPPER',
    'upper',
    'a.b-c',
  ]);
  assert.deepEqual(b.words, t.words);
  assert.deepEqual(n.words, t.words);
  assert.deepEqual(Array.from(b.vectors), Array.from(t.vectors));
  assert.deepEqual(Array.from(n.vectors), Array.from(t.vectors));
});

test('word2vec.c text (%lf) and binary agree to 1e-6; fastText .vec loads', () => {
  const t = loadModelFile(fx('w2vc.txt')).kv;
  const b = loadModelFile(fx('w2vc.bin')).kv;
  assert.deepEqual(t.words, b.words);
  assert.equal(t.words[0], '</s>');
  for (let i = 0; i < t.vectors.length; i++) assert.ok(Math.abs(t.vectors[i] - b.vectors[i]) < 1e-6);
  const f = loadModelFile(fx('fasttext.vec')).kv;
  assert.equal(f.dim, 6);
  assert.ok(f.words.includes('北京') && f.words.includes('straße'));
});

test('exports are byte-identical to gensim text, word2vec.c binary and fastText .vec', async () => {
  for (const [src, format] of [
    ['gensim.txt', 'word2vec-text'],
    ['w2vc.bin', 'word2vec-bin'],
    ['fasttext.vec', 'vec'],
  ]) {
    const out = path.join(tmp, 'out-' + src);
    await exportToFile(loadModelFile(fx(src)).kv, format, out);
    assert.ok(fs.readFileSync(out).equals(fs.readFileSync(fx(src))), `${src} → ${format}`);
  }
});

test('round trips through every format are exact', async () => {
  const kv = loadModelFile(fx('gensim.txt')).kv;
  for (const format of ['word2vec-text', 'word2vec-bin', 'vec']) {
    const out = path.join(tmp, 'rt.' + format);
    await exportToFile(kv, format, out);
    const back = loadModelFile(out).kv;
    assert.deepEqual(back.words, kv.words, format);
    assert.deepEqual(Array.from(back.vectors), Array.from(kv.vectors), format);
  }
});

/** How `format` writes each of `values` (float32): the row of a one-word model, word dropped. */
async function exportedValues(format, values) {
  let text = '';
  const out = new Writable({ write: (chunk, _enc, done) => ((text += chunk), done()) });
  await exportToStream(new KeyedVectors(['w'], Float32Array.from(values), values.length), format, out);
  const [header, row] = text.split('\n');
  assert.equal(header, `1 ${values.length}`, format);
  const cells = row.split(' ');
  assert.equal(cells[0], 'w', format);
  return cells.slice(1, values.length + 1);
}

test('float formatting: numpy float32 repr (word2vec-text, as gensim) and C %.5g (vec, as fastText)', async () => {
  const repr = await exportedValues('word2vec-text', [0.1, 1, 1e-5, 2644556.25, 1e16]);
  assert.equal(repr[0], '0.1');
  assert.equal(repr[1], '1.0');
  assert.equal(repr[2], '1e-05');
  assert.equal(repr[3], '2644556.2'); // ties to even, as numpy
  assert.equal(repr[4], '1e+16');
  const g = await exportedValues('vec', [0.000017854, 0.1, 123456]);
  assert.equal(g[0], '1.7854e-05');
  assert.equal(g[1], '0.1');
  assert.equal(g[2], '123456'); // %.5g's 1.2346e+05 would not read back: more digits where needed
  assert.equal(Math.fround(Number(g[2])), 123456);
});

test('non-UTF-8 words (GoogleNews-style) load with a warning', () => {
  const m = loadModelFile(fx('latin1.bin'));
  assert.equal(m.kv.size, 3);
  assert.equal(m.kv.words[1], 'd\uFFFDj\uFFFD');
  assert.match(m.warnings.join('\n'), /1 word\(s\) .* not valid UTF-8/);
});

test('import stores a native model, sets it latest; queries work on it; export via CLI to stdout', () => {
  const models = path.join(tmp, 'models');
  const r = cli(['import', fx('w2vc.bin'), '--models-dir', models, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.name, 'w2vc');
  assert.equal(out.format, 'word2vec-bin');
  assert.equal(fs.readFileSync(path.join(models, 'LATEST'), 'utf8').trim(), 'w2vc');
  const s = cli(['similar', 'café', '--models-dir', models, '--json', '-n', '3']);
  assert.equal(s.status, 0, s.stderr);
  assert.equal(JSON.parse(s.stdout).length, 3);
  const e = cli(['export', '--format', 'word2vec-bin', '--models-dir', models], { encoding: 'buffer' });
  assert.equal(e.status, 0);
  assert.ok(e.stdout.equals(fs.readFileSync(fx('w2vc.bin'))));
  const v = cli(['similar', 'café', '-m', fx('fasttext.vec'), '--json', '-n', '2']);
  assert.equal(v.status, 0, v.stderr);
});

test('a word that word2vec.c cut inside a UTF-8 character loads without the partial character, with a warning', () => {
  const m = loadModelFile(fx('w2vc-longword.bin'));
  const long = m.kv.words.find((w) => w.startsWith('中中'));
  assert.equal(long, '中'.repeat(32));
  assert.match(m.warnings.join('\n'), /end inside a UTF-8 character/);
});

test('files stream through a read window: tiny windows give the same result as one read', () => {
  for (const f of [
    'gensim.txt',
    'gensim.bin',
    'gensim-noheader.txt',
    'w2vc.txt',
    'w2vc.bin',
    'fasttext.vec',
    'latin1.bin',
    'w2vc-longword.bin',
  ]) {
    const whole = loadModelFile(fx(f));
    for (const windowBytes of [16, 37, 1000]) {
      const small = loadModelFile(fx(f), { windowBytes });
      assert.deepEqual(small.kv.words, whole.kv.words, `${f} @${windowBytes}`);
      assert.deepEqual(Array.from(small.kv.vectors), Array.from(whole.kv.vectors), `${f} @${windowBytes}`);
      assert.deepEqual(small.warnings, whole.warnings);
    }
  }
});
