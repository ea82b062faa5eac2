// The CLI as users and scripts see it: spawn the built binary, check stdout data, stderr messages and exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, englishCorpus, tmpDir } from './helpers.mjs';

const corpus = englishCorpus(4_000_000);
const models = tmpDir();
const env = { EMBED_MODELS_DIR: models };
const noStackTrace = (s) => assert.ok(!/\n\s+at /.test(s), `stack trace in output:\n${s}`);
const oneLineError = (r, pattern) => {
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length <= 2, true, `expected a short error, got:\n${r.stderr}`);
  assert.match(r.stderr, pattern);
  noStackTrace(r.stderr);
  assert.equal(r.stdout, '');
};

let trained;
test('train writes a model under the models directory and prints a JSON summary', async () => {
  const r = await runCli(['train', corpus, '--arch', 'cbow', '--epochs', '3', '--json'], { env });
  assert.equal(r.code, 0, r.stderr);
  trained = JSON.parse(r.stdout);
  assert.equal(trained.modelPath, path.join(models, path.basename(corpus, '.txt')));
  assert.ok(trained.vocabSize > 5000);
  assert.ok(trained.wordsPerSec > 0);
  for (const f of ['meta.json', 'vocab.tsv', 'vectors.f32']) assert.ok(fs.existsSync(path.join(trained.modelPath, f)));
  // Not a TTY: plain progress lines on stderr, no colour codes.
  assert.match(r.stderr, /epoch \d\/3 .*words\/s .*lr .*loss .*eta/);
  assert.doesNotMatch(r.stderr, /\x1b\[/);
  // The model is a link to its version directory; any other hidden entry is a leftover.
  const current = fs.readlinkSync(trained.modelPath);
  assert.deepEqual(
    fs.readdirSync(models).filter((f) => f.startsWith('.') && f !== current),
    [],
    'temporary files left behind',
  );
});

test('similar uses the latest model, excludes the query, returns scores in order', async () => {
  const r = await runCli(['similar', 'france', '--json'], { env });
  assert.equal(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout);
  assert.equal(rows.length, 10);
  assert.ok(!rows.some((x) => x.word === 'france'));
  for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1].score >= rows[i].score);
  assert.ok(
    rows.some((x) => ['spain', 'italy', 'germany', 'england', 'belgium'].includes(x.word)),
    JSON.stringify(rows),
  );
});

test('piped output is TSV, --top limits the rows', async () => {
  const r = await runCli(['similar', 'two', '--top', '3'], { env });
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 3);
  for (const l of lines) assert.match(l, /^[a-z]+\t-?\d\.\d{4}$/);
});

test('analogy and expressions: A B C equals A - B + C', async () => {
  const a = await runCli(['analogy', 'france', 'paris', 'london', '--json', '-n', '5'], { env });
  const b = await runCli(['similar', 'france', '-', 'paris', '+', 'london', '--json', '-n', '5'], { env });
  assert.equal(a.code, 0, a.stderr);
  assert.deepEqual(JSON.parse(a.stdout), JSON.parse(b.stdout));
  assert.ok(!JSON.parse(a.stdout).some((x) => ['france', 'paris', 'london'].includes(x.word)));
});

test('similarity prints one number', async () => {
  const r = await runCli(['similarity', 'two', 'three'], { env });
  assert.equal(r.code, 0, r.stderr);
  const s = Number(r.stdout.trim());
  assert.ok(s > 0.3 && s <= 1, r.stdout);
});

test('queries from stdin with -: one JSON line per query; an unknown word is reported and gives exit 3', async () => {
  const r = await runCli(['similar', '-', '--json', '-n', '2'], { env, input: 'france\nqqqqzzz\n\ntwo\n' });
  assert.equal(r.code, 3);
  const lines = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    lines.map((l) => l.query),
    ['france', 'two'],
  );
  assert.match(r.stderr, /'qqqqzzz' is not in the model's vocabulary/);
});

test('unknown word: exit 3, names the word and suggests close ones', async () => {
  const r = await runCli(['similar', 'frence'], { env });
  assert.equal(r.code, 3);
  oneLineError(r, /'frence' is not in the model's vocabulary \(did you mean: .*france/);
});

test('usage errors exit 2', async () => {
  for (const args of [
    ['train', corpus, '--dim', '0'],
    ['train', corpus, '--arch', 'glove'],
    ['train', corpus, '--window', 'x'],
    ['analogy', 'a', 'b'],
    ['bogus'],
  ]) {
    const r = await runCli(args, { env });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    noStackTrace(r.stderr);
  }
});

test('bad corpora: missing, empty, binary, nothing reaching min-count — one line, exit 1, no model', async () => {
  const dir = tmpDir();
  const empty = path.join(dir, 'empty.txt');
  fs.writeFileSync(empty, '');
  const bin = path.join(dir, 'bin.txt');
  fs.writeFileSync(bin, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)));
  const rare = path.join(dir, 'rare.txt');
  fs.writeFileSync(rare, 'every word here appears once only\n');
  const out = tmpDir();
  const cases = [
    [path.join(dir, 'nope.txt'), /does not exist/],
    [empty, /is empty/],
    [bin, /binary/],
    [rare, /no word occurs at least 5 times.*lower --min-count/],
  ];
  for (const [file, pattern] of cases) {
    const r = await runCli(['train', file, '--models-dir', out], { env });
    assert.equal(r.code, 1, `${file}: ${r.stderr}`);
    oneLineError(r, pattern);
  }
  assert.deepEqual(fs.readdirSync(out), [], 'nothing written for failed trainings');
});

test('unwritable output: exit 1 with a message', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'a-file');
  fs.writeFileSync(file, 'x');
  const r = await runCli(['train', corpus, '--models-dir', path.join(file, 'models')]);
  assert.equal(r.code, 1);
  oneLineError(r, /cannot write to/);
});

test('missing and corrupt models: exit 1, one line', async () => {
  const none = await runCli(['similar', 'two'], { env: { EMBED_MODELS_DIR: tmpDir() } });
  assert.equal(none.code, 1);
  oneLineError(none, /no model yet.*train one first/);
  const bad = path.join(tmpDir(), 'bad');
  fs.cpSync(trained.modelPath, bad, { recursive: true });
  const vec = path.join(bad, 'vectors.f32');
  fs.truncateSync(vec, fs.statSync(vec).size - 10);
  const r = await runCli(['similar', 'two', '--model', bad]);
  assert.equal(r.code, 1);
  oneLineError(r, /is damaged \(vectors\.f32 has \d+ bytes, meta\.json records \d+\): retrain it or import it again; embed verify/);
  const missing = await runCli(['similar', 'two', '--model', path.join(models, 'no-such-model')]);
  assert.equal(missing.code, 1);
  oneLineError(missing, /not found/);
});

test('Ctrl-C during training exits 130 and leaves no partial model', async () => {
  const out = tmpDir();
  let sent = false;
  const r = await runCli(['train', corpus, '--models-dir', out, '--epochs', '50', '--progress', 'json'], {
    onSpawn: (child) =>
      child.stderr.on('data', (d) => {
        if (!sent && String(d).includes('"phase":"train"')) {
          sent = true;
          child.kill('SIGINT');
        }
      }),
  });
  assert.ok(sent, 'training never started');
  assert.equal(r.code, 130, r.stderr);
  assert.match(r.stderr, /interrupted/);
  noStackTrace(r.stderr);
  assert.deepEqual(fs.readdirSync(out), [], 'partial model or temp files left');
});
