// doesnt-match, vector, vocab, and the existing query commands on vector files and imported models.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const en = path.join(here, 'fixtures', 'eval', 'en-top2000.bin');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'embed-query-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
const cli = (args, input) =>
  spawnSync(process.execPath, [path.join(root, 'dist', 'cli', 'embed.cjs'), ...args], { encoding: 'utf8', input });

test('doesnt-match finds the odd word (gensim: car); JSON has the ranking', () => {
  const r = cli(['doesnt-match', 'january', 'february', 'march', 'water', '-m', en]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'water');
  const j = JSON.parse(cli(['doesnt-match', 'january', 'february', 'march', 'water', '-m', en, '--json']).stdout);
  assert.equal(j.doesntMatch, 'water');
  assert.equal(j.ranking.length, 4);
  const b = cli(['doesnt-match', '-', '-m', en], 'january february march water\none two three city\n');
  assert.deepEqual(
    b.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t')[1]),
    ['water', 'city'],
  );
});

test('vector prints the row: space-separated, JSON array, stdin rows', () => {
  const text = cli(['vector', 'king', '-m', en]).stdout.trim().split(' ');
  assert.equal(text.length, 100);
  const json = JSON.parse(cli(['vector', 'king', '-m', en, '--json']).stdout);
  assert.deepEqual(text.map(Number).map(Math.fround), json);
  const rows = cli(['vector', '-', '-m', en], 'king\nqueen\nzzzunknown\n');
  assert.equal(rows.status, 3);
  assert.deepEqual(
    rows.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(' ')[0]),
    ['king', 'queen'],
  );
  assert.match(rows.stderr, /'zzzunknown' is not in the model's vocabulary/);
});

test('vocab lists words in order; counts empty when the file has none, real counts for native models', () => {
  const r = cli(['vocab', '--top', '3', '-m', en]);
  assert.equal(r.stdout, 'the\t\nof\t\nand\t\n');
  assert.deepEqual(JSON.parse(cli(['vocab', '-n', '2', '-m', en, '--json']).stdout), [
    { word: 'the', count: null },
    { word: 'of', count: null },
  ]);
  const models = path.join(tmp, 'models');
  assert.equal(cli(['import', en, '--models-dir', models, '--name', 'en']).status, 0);
  const n = cli(['vocab', '-n', '2', '--models-dir', models]);
  assert.equal(n.stdout, 'the\t\nof\t\n');
});

test('similar, analogy, similarity on an imported model and directly on the vector file agree', () => {
  const models = path.join(tmp, 'models2');
  assert.equal(cli(['import', en, '--models-dir', models]).status, 0);
  for (const args of [
    ['similar', 'king'],
    ['analogy', 'man', 'king', 'woman'],
    ['similarity', 'king', 'queen'],
  ]) {
    const a = cli([...args, '--json', '--models-dir', models]);
    const b = cli([...args, '--json', '-m', en]);
    assert.equal(a.status, 0, a.stderr);
    assert.deepEqual(JSON.parse(a.stdout), JSON.parse(b.stdout));
  }
});

test('an unknown word is exit 3 with suggestions in every query command (one lookup path)', () => {
  const queries = [
    ['similar', 'quen'],
    ['similar', 'king', '-', 'quen'],
    ['analogy', 'man', 'king', 'quen'],
    ['similarity', 'king', 'quen'],
    ['doesnt-match', 'king', 'man', 'quen'],
    ['vector', 'quen'],
  ];
  for (const args of queries) {
    const r = cli([...args, '-m', en]);
    assert.equal(r.status, 3, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, "embed: error: 'quen' is not in the model's vocabulary (did you mean: queen?)\n", args.join(' '));
  }
});
