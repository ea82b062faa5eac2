// Continued training and --init (issue 17, part 3): a model grows by the new words of a new corpus and
// starts from its own rows and output weights; any vector file can start a model; --freeze keeps the rows
// taken from it bit for bit; drift says how far the shared words moved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawn } from 'node:child_process';
import { CLI, EN_SAMPLE, cliSync, killAfter, tmpDir } from './helpers.mjs';
import { measureDrift } from '../dist/index.js';

const dir = tmpDir('embed-init-');
const models = path.join(dir, 'models');
const text = zlib.gunzipSync(fs.readFileSync(EN_SAMPLE)).toString('latin1', 0, 400_000);
const A_TXT = path.join(dir, 'a.txt');
const B_TXT = path.join(dir, 'b.txt');
fs.writeFileSync(A_TXT, text.slice(0, text.indexOf(' ', 200_000)));
fs.writeFileSync(B_TXT, text.slice(text.indexOf(' ', 200_000) + 1, text.lastIndexOf(' ')));
/** `embed train CORPUS -o NAME` into this file's models directory at one thread, then `args`. */
const trainArgs = (corpus, name, ...args) => ['train', corpus, '-o', name, '--models-dir', models, '--threads', '1', ...args];

function train(corpus, name, ...args) {
  const r = cliSync(trainArgs(corpus, name, '-q', ...args));
  return { ...r, dir: path.join(models, name) };
}

/** A model's words, counts and rows. */
function read(model) {
  const meta = JSON.parse(fs.readFileSync(path.join(model, 'meta.json'), 'utf8'));
  const lines = fs.readFileSync(path.join(model, 'vocab.tsv'), 'utf8').trimEnd().split('\n');
  const words = lines.map((l) => l.split('\t')[0]);
  const counts = new Map(lines.map((l) => [l.split('\t')[0], Number(l.split('\t')[1])]));
  const b = fs.readFileSync(path.join(model, 'vectors.f32'));
  const rows = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
  return {
    meta,
    words,
    counts,
    rows,
    dim: meta.dim,
    row: (w) => rows.subarray(words.indexOf(w) * meta.dim, (words.indexOf(w) + 1) * meta.dim),
  };
}

const sameBits = (a, b) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

const a = train(A_TXT, 'A', '--dim', '16', '--epochs', '2', '--min-count', '3', '--seed', '7');
assert.equal(a.status, 0, a.stderr);
const A = read(a.dir);

test('a word2vec model keeps its output weights in output.f32, recorded and verified', () => {
  assert.ok(A.meta.files['output.f32'], 'meta.json records output.f32');
  assert.deepEqual(A.meta.output, { rows: A.words.length, dim: 16, loss: 'ns', file: 'output.f32' });
  assert.equal(fs.statSync(path.join(a.dir, 'output.f32')).size, A.words.length * 16 * 4);
  const v = cliSync(['verify', a.dir]);
  assert.equal(v.status, 0, v.stdout + v.stderr);
  assert.match(v.stdout, /^output\.f32\tok$/m);
});

test('continuing grows the vocabulary by old + new counts and starts from the old rows and output weights', () => {
  // The new corpus alone, every word: its counts as our tokenizer sees them.
  const c = train(B_TXT, 'Bonly', '--dim', '16', '--epochs', '1', '--min-count', '1');
  assert.equal(c.status, 0, c.stderr);
  const C = read(c.dir);
  const b = train(B_TXT, 'B', '--init', a.dir, '--alpha', '1e-7', '--min-alpha', '0', '--json');
  assert.equal(b.status, 0, b.stderr);
  const B = read(b.dir);
  assert.equal(B.meta.training.config.dim, 16, 'the model’s settings are the defaults');
  assert.equal(B.meta.training.config.minCount, 3);
  for (const w of A.words) assert.equal(B.counts.get(w), A.counts.get(w) + (C.counts.get(w) ?? 0), w);
  const grown = B.words.filter((w) => !A.counts.has(w)).sort();
  const expected = C.words.filter((w) => !A.counts.has(w) && C.counts.get(w) >= 3).sort();
  assert.ok(grown.length > 50);
  assert.deepEqual(grown, expected);
  // A learning rate of 1e-7: the old rows are the start, so they barely move.
  let worst = 0;
  for (const w of A.words) {
    const x = A.row(w),
      y = B.row(w);
    for (let d = 0; d < 16; d++) worst = Math.max(worst, Math.abs(x[d] - y[d]));
  }
  assert.ok(worst < 1e-4, `old rows moved by ${worst}`);
  // Output weights too, by word.
  const out = (m, M) => {
    const buf = fs.readFileSync(path.join(m, 'output.f32'));
    const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
    return (w) => all.subarray(M.words.indexOf(w) * 16, (M.words.indexOf(w) + 1) * 16);
  };
  const oa = out(a.dir, A),
    ob = out(b.dir, B);
  for (const w of A.words.slice(0, 50)) for (let d = 0; d < 16; d++) assert.ok(Math.abs(oa(w)[d] - ob(w)[d]) < 1e-4, w);
  const s = JSON.parse(b.stdout);
  assert.equal(s.drift.sharedWords, A.words.length);
  assert.ok(s.drift.meanCosine > 0.9999, JSON.stringify(s.drift));
  assert.deepEqual(B.meta.init.drift, s.drift);
  assert.equal(B.meta.init.kind, 'model');
});

test('continuing with --freeze keeps the old rows bit for bit and trains the new ones, on both kernels; drift is 1 and 1', () => {
  for (const engine of ['wasm', 'js']) {
    const f = train(B_TXT, `F-${engine}`, '--init', a.dir, '--freeze', '--engine', engine, '--json');
    assert.equal(f.status, 0, f.stderr);
    const F = read(f.dir);
    for (const w of A.words) assert.ok(sameBits(A.row(w), F.row(w)), `${engine}: row of ${w} changed`);
    const fresh = F.words.filter((w) => !A.words.includes(w));
    assert.ok(fresh.length > 0, 'the new text adds words');
    const s = JSON.parse(f.stdout);
    assert.equal(s.engine, engine);
    assert.equal(s.drift.meanCosine.toFixed(6), '1.000000');
    assert.equal(s.drift.neighbourOverlap, 1);
  }
  // Without --freeze the same run moves them.
  const g = train(B_TXT, 'G', '--init', a.dir, '--engine', 'js', '--json');
  assert.equal(g.status, 0, g.stderr);
  const d = JSON.parse(g.stdout).drift;
  assert.ok(d.meanCosine < 0.999 && d.meanCosine > 0.3, JSON.stringify(d));
  assert.ok(d.neighbourOverlap < 1 && d.neighbourOverlap > 0, JSON.stringify(d));
  assert.ok(!sameBits(read(g.dir).rows.subarray(0, 16), A.rows.subarray(0, 16)));
});

test('--init FILE: word2vec text and binary files start a model; with --freeze their rows stay bit-identical', () => {
  for (const format of ['word2vec-text', 'word2vec-bin']) {
    const file = path.join(dir, `A.${format}`);
    const e = cliSync(['export', '-m', a.dir, '-f', format, '-o', file]);
    assert.equal(e.status, 0, e.stderr);
    const r = cliSync([
      'train',
      B_TXT,
      '-o',
      `V-${format}`,
      '--models-dir',
      models,
      '--threads',
      '1',
      '--init',
      file,
      '--freeze',
      '--min-count',
      '3',
      '--json',
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /has vectors only: shared words start from them/);
    const V = read(path.join(models, `V-${format}`));
    assert.equal(V.dim, 16, 'the dim comes from the file');
    const shared = V.words.filter((w) => A.counts.has(w));
    assert.ok(shared.length > 100);
    for (const w of shared) assert.ok(sameBits(A.row(w), V.row(w)), `${format}: row of ${w} changed`);
    assert.equal(V.meta.init.kind, 'vectors');
    assert.equal(JSON.parse(r.stdout).drift.sharedWords, shared.length);
  }
});

test('continued training is reproducible bit for bit at --threads 1 --seed; drift in JSON progress and the summary', () => {
  const x = train(B_TXT, 'R1', '--init', a.dir, '--seed', '5');
  // The same run without -q, with JSON progress: drift is one of its lines.
  const y = cliSync(trainArgs(B_TXT, 'R2', '--init', a.dir, '--seed', '5', '--progress', 'json'));
  y.dir = path.join(models, 'R2');
  assert.equal(x.status, 0, x.stderr);
  assert.equal(y.status, 0, y.stderr);
  const drift = y.stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l))
    .find((e) => e.phase === 'drift');
  assert.ok(drift && drift.sharedWords === A.words.length && drift.meanCosine > 0 && drift.meanCosine < 1, y.stderr);
  assert.match(y.stderr, /drift from --init: mean cosine 0\.\d{4} over \d+ shared words, 10-NN overlap/);
  assert.ok(fs.readFileSync(path.join(x.dir, 'vectors.f32')).equals(fs.readFileSync(path.join(y.dir, 'vectors.f32'))));
  assert.ok(fs.readFileSync(path.join(x.dir, 'output.f32')).equals(fs.readFileSync(path.join(y.dir, 'output.f32'))));
});

test('a continued run killed after a checkpoint resumes to the same vectors and output weights', async () => {
  const args = trainArgs(B_TXT, 'K', '--init', a.dir, '--epochs', '3', '--checkpoint-every', '0');
  const child = killAfter(spawn(process.execPath, [CLI, ...args, '--progress', 'json']));
  let err = '';
  child.stderr.on('data', (d) => {
    err += d;
    if (err.includes('"phase":"checkpoint"')) child.kill('SIGKILL');
  });
  const signal = await new Promise((resolve) => child.on('close', (_code, sig) => resolve(sig)));
  assert.equal(signal, 'SIGKILL', err);
  const r = cliSync([...args, '--resume']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /resuming from checkpoint: epoch 2/);
  const u = train(B_TXT, 'U', '--init', a.dir, '--epochs', '3');
  assert.equal(u.status, 0, u.stderr);
  for (const f of ['vectors.f32', 'output.f32'])
    assert.ok(fs.readFileSync(path.join(models, 'K', f)).equals(fs.readFileSync(path.join(u.dir, f))), f);
});

test('bad --init input: one line, exit 1 or 2', () => {
  const cases = [
    [['--init', path.join(dir, 'nope')], 1, /--init .*nope.* does not exist: give a model/],
    [['--init', a.dir, '--dim', '8'], 2, /--dim 8 does not match --init .*, which has dim 16: drop --dim/],
    [['--init', a.dir, '--method', 'glove'], 2, /--init starts word2vec models only/],
    [['--freeze'], 2, /--freeze needs --init/],
    [['--init', a.dir, '--freeze', '--engine', 'tfjs'], 2, /--freeze: the tfjs engine has no frozen rows/],
  ];
  for (const [args, code, message] of cases) {
    const r = cliSync(trainArgs(B_TXT, 'bad', '-q', ...args));
    assert.equal(r.status, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  const ft = train(A_TXT, 'FT', '--method', 'fasttext', '--dim', '8', '--epochs', '1', '--bucket', '1000');
  assert.equal(ft.status, 0, ft.stderr);
  const r = cliSync(trainArgs(B_TXT, 'bad', '-q', '--init', ft.dir));
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /continuing a fasttext model is not supported yet/);
});

test('measureDrift: identical rows give 1 and 1; moved rows less', () => {
  const dim = 8,
    n = 40;
  const old = Float32Array.from({ length: n * dim }, (_, i) => Math.sin(i * 1.7) + Math.cos(i * 0.3));
  const index = Int32Array.from({ length: n }, (_, i) => i);
  const same = measureDrift(old, old, index, dim);
  assert.equal(same.sharedWords, n);
  assert.ok(Math.abs(same.meanCosine - 1) < 1e-6);
  assert.equal(same.neighbourOverlap, 1);
  const moved = old.map((v, i) => (i % dim === 0 ? -v : v + Math.sin(i * 11)));
  const d = measureDrift(old, moved, index, dim);
  assert.ok(d.meanCosine < 0.9 && d.neighbourOverlap < 1, JSON.stringify(d));
});
