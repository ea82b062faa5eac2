// GloVe's co-occurrence counts: bounded-memory counting (dense table + hash spilled as sorted runs,
// merged; written unsorted when nothing spilled) must give exactly what a brute-force count gives,
// however small the memory cap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { countCooccurrences, readRecords, shuffleRecordFile, TokenCacheWriter } from '../dist/internal.js';
import { tmpDir } from './helpers.mjs';

/** Lines of Zipf-ish word ids (id = frequency rank, as the vocabulary numbers them). */
function lines(V, count, seed) {
  let s = seed;
  const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const out = [];
  for (let l = 0; l < count; l++) {
    const n = 1 + Math.floor(rand() * 40);
    out.push(Array.from({ length: n }, () => Math.min(V - 1, Math.floor(V ** rand()) - 1 + Math.floor(rand() * 2))));
  }
  return out;
}

function brute(sentences, window) {
  const m = new Map();
  const add = (i, j, v) => m.set(`${i},${j}`, (m.get(`${i},${j}`) ?? 0) + v);
  for (const s of sentences)
    for (let k = 0; k < s.length; k++)
      for (let d = 1; d <= window && k - d >= 0; d++) {
        add(s[k - d], s[k], 1 / d);
        add(s[k], s[k - d], 1 / d);
      }
  return m;
}

function cacheOf(dir, sentences) {
  const w = new TokenCacheWriter(path.join(dir, 'ids.i32'), 1000);
  for (const s of sentences) w.addSentence(s);
  return w.close();
}

function asMap(file) {
  const r = readRecords(file);
  const m = new Map();
  for (let k = 0; k < r.i.length; k++) {
    assert.ok(!m.has(`${r.i[k]},${r.j[k]}`), 'each pair once');
    m.set(`${r.i[k]},${r.j[k]}`, r.x[k]);
  }
  return m;
}

function assertSameCounts(got, want) {
  assert.equal(got.size, want.size, 'same number of distinct pairs');
  for (const [k, v] of want) {
    const g = got.get(k);
    assert.ok(g !== undefined && Math.abs(g - v) <= 1e-9 * v, `pair ${k}: got ${g}, want ${v}`);
  }
}

test('co-occurrence counts equal a brute-force count, with spills forced by a tiny memory cap and without', async () => {
  const V = 3000;
  const sentences = lines(V, 1500, 7);
  const want = brute(sentences, 5);
  for (const memoryBytes of [64 * 1024, 16 << 20]) {
    const dir = tmpDir();
    const cache = cacheOf(dir, sentences);
    const r = await countCooccurrences(cache, { window: 5, vocabSize: V, memoryBytes, dir });
    if (memoryBytes < 1 << 20) assert.ok(r.runs >= 3, `spilled ${r.runs} runs`);
    else assert.equal(r.runs, 0);
    assertSameCounts(asMap(r.path), want);
    // Runs are removed once merged.
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.startsWith('cooccur-run')),
      [],
    );
  }
});

test('contexts never cross a line', async () => {
  const dir = tmpDir();
  const cache = cacheOf(dir, [
    [0, 1],
    [2, 3],
  ]);
  const m = asMap((await countCooccurrences(cache, { window: 10, vocabSize: 4, memoryBytes: 1 << 20, dir })).path);
  assert.deepEqual([...m.keys()].sort(), ['0,1', '1,0', '2,3', '3,2']);
  assert.equal(m.get('0,1'), 1);
});

test('the shuffle (chunked, seeded) is a permutation, the same for the same seed', async () => {
  const V = 500;
  const dir = tmpDir();
  const cache = cacheOf(dir, lines(V, 400, 3));
  const counted = await countCooccurrences(cache, { window: 4, vocabSize: V, memoryBytes: 1 << 20, dir });
  const before = asMap(counted.path);
  const orders = [];
  const digests = [];
  for (const run of ['a', 'b']) {
    const d = path.join(dir, run);
    fs.mkdirSync(d);
    const s = await shuffleRecordFile(counted, { memoryBytes: 16 * 2000, seed: 5, dir: d });
    assert.ok(s.chunks > 2, `${s.chunks} chunks`);
    const r = readRecords(s.path);
    const m = new Map();
    for (let k = 0; k < r.i.length; k++) m.set(`${r.i[k]},${r.j[k]}`, r.x[k]);
    assert.deepEqual(m, before);
    orders.push(Array.from(r.i.slice(0, 50)).join());
    // The digest a resumed GloVe run checks is that of the file written.
    assert.equal(s.digest, crypto.createHash('sha256').update(fs.readFileSync(s.path)).digest('hex'));
    digests.push(s.digest);
    assert.deepEqual(
      fs.readdirSync(d).filter((f) => f.startsWith('shuffle-chunk')),
      [],
    );
  }
  assert.equal(orders[0], orders[1]);
  assert.equal(digests[0], digests[1], 'the same records and seed give the same file');
  const counted50 = Array.from(readRecords(counted.path).i.slice(0, 50)).join();
  assert.notEqual(orders[0], counted50, 'the order changed');
});
