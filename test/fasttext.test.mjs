// fastText: n-grams and hashing as fastText 0.9.2 computes them, its .bin files both ways, the subword
// training kind, and unknown words composed from n-grams. Fixtures: test/fixtures/fasttext/make-fixtures.sh
// (written by the real fasttext; the tests do not need it installed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './helpers.mjs';
import { fasttextHash, subwords, loadModelFile } from '../dist/index.js';

const FIX = path.join(ROOT, 'test', 'fixtures', 'fasttext');

/** `fasttext print-word-vectors` output: word → numbers. */
function printed(file) {
  const out = new Map();
  for (const line of fs.readFileSync(path.join(FIX, file), 'utf8').trim().split('\n')) {
    const f = line.trim().split(' ');
    out.set(f[0], f.slice(1).map(Number));
  }
  return out;
}

function assertClose(got, want, what) {
  assert.equal(got.length, want.length, what);
  for (let d = 0; d < want.length; d++)
    assert.ok(Math.abs(got[d] - want[d]) <= 1e-4 * Math.max(Math.abs(want[d]), 1e-2), `${what}[${d}]: ${got[d]} vs ${want[d]}`);
}

test("fastText's hash: FNV-1a with every UTF-8 byte sign-extended (values from fastText's dictionary.cc)", () => {
  const enc = (s) => new TextEncoder().encode(s);
  // Plain FNV-1a of 'a' is 0xe40c292c; ASCII bytes are the same signed or not.
  assert.equal(fasttextHash(enc('a')), 0xe40c292c);
  // A byte >= 0x80 xors in 0xffffff80.. : '中' (e4 b8 ad) must differ from plain FNV-1a.
  let plain = 2166136261;
  for (const b of enc('中')) plain = Math.imul(plain ^ b, 16777619) >>> 0;
  let signed = 2166136261;
  for (const b of enc('中')) signed = Math.imul(signed ^ ((b << 24) >> 24), 16777619) >>> 0;
  assert.equal(fasttextHash(enc('中')), signed);
  assert.notEqual(signed, plain);
});

test("n-grams of '<word>' over code points, as fastText's computeSubwords (lists from `fasttext print-ngrams`)", () => {
  // tiny.bin has minn 2 maxn 4; print-ngrams lists the word itself first, then its n-grams.
  const text = fs.readFileSync(path.join(FIX, 'tiny.ngrams.txt'), 'utf8');
  for (const block of text.split('== ').slice(1)) {
    const [word, ...lines] = block.trim().split('\n');
    const listed = lines.map((l) => l.split(' ')[0]);
    const expected = listed[0] === word ? listed.slice(1) : listed; // in-vocabulary words list themselves first
    assert.deepEqual(subwords(word, 2, 4), expected, word);
  }
  assert.deepEqual(subwords('北京', 1, 2), ['<北', '北', '北京', '京', '京>']);
  assert.deepEqual(subwords('ab', 3, 6), ['<ab', '<ab>', 'ab>']); // the whole '<ab>' too, as fastText
});

for (const name of ['tiny', 'tiny-cbow']) {
  test(`a fastText .bin (${name}) loads by content: every word's vector equals print-word-vectors, unknown English and Chinese words too`, () => {
    const copy = path.join(fs.mkdtempSync(path.join(ROOT, 'test', '.tmp-ft-')), 'model.weird-name.txt');
    fs.copyFileSync(path.join(FIX, `${name}.bin`), copy);
    try {
      const { kv, format } = loadModelFile(copy);
      assert.equal(format, 'fasttext-bin');
      const want = printed(`${name}.vectors.txt`);
      let composed = 0;
      for (const [word, v] of want) {
        const r = kv.resolve(word);
        assert.equal(r.kind === 'word', kv.has(word), word);
        if (r.kind === 'composed') composed++;
        assertClose(r.vector, v, word);
      }
      assert.ok(composed >= 6, 'unknown words are composed from their n-grams');
      assert.equal(kv.has('北京市'), false, 'contains never lies');
    } finally {
      fs.rmSync(path.dirname(copy), { recursive: true, force: true });
    }
  });
}
