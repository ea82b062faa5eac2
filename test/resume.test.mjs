// Checkpoints and --resume (src/train/checkpoint.ts, segments.ts): a training killed at random points in
// several epochs (SIGTERM, SIGKILL), then resumed, gives byte-identical vectors to an uninterrupted one at
// one thread, and equal quality at two; a checkpoint that does not match is refused with one line; a
// finished run removes its checkpoint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, tmpDir, englishCorpus, probeScore, PROBES } from './helpers.mjs';
import { englishSample, probeHits } from './engine-helpers.mjs';
import { loadNative } from '../dist/index.js';

const corpus = englishCorpus(400_000);
// 5 epochs: a run writes at least 4 checkpoints (every epoch end but the last) however fast the machine,
// so kills after 1-2 checkpoints, twice, always land inside the run.
const BASE = ['--epochs', '5', '--min-count', '3', '--dim', '16', '--seed', '1'];

/** Trains; with `killAt` = { signal, afterCheckpoints }, kills the run after that many checkpoint events. */
async function trainRun(models, args, killAt) {
  let seen = 0;
  let killed = false;
  let buf = '';
  const r = await runCli(['train', ...args, '--models-dir', models, '--progress', 'json'], {
    onSpawn: (child) =>
      child.stderr.on('data', (d) => {
        buf += d;
        seen = (buf.match(/"phase":"checkpoint"/g) ?? []).length;
        if (killAt && !killed && seen >= killAt.afterCheckpoints) {
          killed = true;
          child.kill(killAt.signal);
        }
      }),
  });
  return { ...r, killed };
}

const vectorsOf = (models, name) => fs.readFileSync(path.join(models, name, 'vectors.f32'));
const random = (lo, hi) => lo + Math.floor(Math.random() * (hi - lo + 1));

// Every kind resumes: word2vec on both engines, fastText's subword model (its n-gram rows are part of
// the checkpointed input matrix and saved beside the vectors), and GloVe (its iterations are the epochs;
// its checkpoints come at iteration ends and, timed, between blocks of records: every 0.01 s so that
// kills land inside iterations too; W, W̃, biases and AdaGrad sums are saved beside the vectors).
const GLOVE_FILES = ['glove-weights.f32', 'glove-biases.f32', 'glove-gradsq.f32', 'glove-bias-gradsq.f32'];
const KINDS = [
  { engine: 'wasm', kind: [] },
  { engine: 'js', kind: [] },
  { engine: 'wasm', kind: ['--method', 'fasttext', '--bucket', '20000'], files: ['ngrams.f32'] },
  { engine: 'wasm', kind: ['--method', 'glove', '--epochs', '12'], every: '0.01', files: GLOVE_FILES },
];
for (const { engine, kind, every = '0.25', files = [] } of KINDS) {
  const name = kind.length ? `${engine} ${kind.slice(0, 2).join(' ')}` : engine;
  test(`${name}, 1 thread: killed twice at random points, resumed: byte-identical vectors, checkpoint removed`, async () => {
    const models = tmpDir();
    const args = [corpus, '--engine', engine, '--threads', '1', ...BASE, ...kind];
    assert.equal((await trainRun(models, [...args, '-o', 'whole'])).code, 0);
    const cut = [...args, '-o', 'cut', '--checkpoint-every', every];
    const first = { signal: 'SIGTERM', afterCheckpoints: random(1, 2) };
    const second = { signal: 'SIGKILL', afterCheckpoints: random(1, 2) };
    const where = `killed after checkpoints ${first.afterCheckpoints} (SIGTERM) and ${second.afterCheckpoints} more (SIGKILL)`;
    const r1 = await trainRun(models, cut, first);
    assert.ok(r1.killed && r1.code === 143, `${where}: first run ${r1.code} ${r1.stderr.slice(-300)}`);
    assert.match(r1.stderr, /--resume to go on/);
    const r2 = await trainRun(models, [...cut, '--resume'], second);
    assert.ok(r2.killed && r2.signal === 'SIGKILL', `${where}: second run ${r2.code} ${r2.stderr.slice(-300)}`);
    assert.match(r2.stderr, /"resumedFrom":\{"epoch":\d/);
    const r3 = await trainRun(models, [...cut, '--resume']);
    assert.equal(r3.code, 0, r3.stderr.slice(-500));
    assert.ok(vectorsOf(models, 'cut').equals(vectorsOf(models, 'whole')), `${where}: vectors differ from the uninterrupted run`);
    for (const file of files) {
      const bytes = (m) => fs.readFileSync(path.join(models, m, file));
      assert.ok(bytes('cut').equals(bytes('whole')), `${where}: ${file} differs from the uninterrupted run`);
    }
    assert.ok(!fs.existsSync(path.join(models, '.cut.checkpoint')), 'a finished run removes its checkpoint');
  });
}

test('wasm, 2 threads: a resumed run learns as well as an uninterrupted one', async () => {
  const models = tmpDir();
  const sample = englishSample();
  const args = [sample, '--threads', '2', '--epochs', '3', '--min-count', '5', '--dim', '50', '--seed', '1'];
  assert.equal((await trainRun(models, [...args, '-o', 'whole'])).code, 0);
  const r1 = await trainRun(models, [...args, '-o', 'cut', '--checkpoint-every', '0.5'], {
    signal: 'SIGKILL',
    afterCheckpoints: random(1, 2),
  });
  assert.ok(r1.killed, r1.stderr.slice(-300));
  const r2 = await trainRun(models, [...args, '-o', 'cut', '--checkpoint-every', '0.5', '--resume']);
  assert.equal(r2.code, 0, r2.stderr.slice(-500));
  const whole = probeHits(loadNative(path.join(models, 'whole')).kv);
  const cut = probeHits(loadNative(path.join(models, 'cut')).kv);
  // Calibration as test/wasm-engine.test.mjs (at least 3 of 8 pairs); resuming may cost at most one pair of noise.
  assert.ok(cut >= 3 && cut >= whole - 1, `probe hits: resumed ${cut}, uninterrupted ${whole}`);
});

test('glove, 2 threads: a resumed run learns as well as an uninterrupted one', async () => {
  const models = tmpDir();
  const args = [englishCorpus(4_000_000), '--method', 'glove', '--threads', '2', '--epochs', '6', '--dim', '50', '--x-max', '10'];
  assert.equal((await trainRun(models, [...args, '-o', 'whole'])).code, 0);
  const cut = [...args, '-o', 'cut', '--checkpoint-every', '0.2'];
  const r1 = await trainRun(models, cut, { signal: 'SIGKILL', afterCheckpoints: random(1, 3) });
  assert.ok(r1.killed, r1.stderr.slice(-300));
  const r2 = await trainRun(models, [...cut, '--resume']);
  assert.equal(r2.code, 0, r2.stderr.slice(-500));
  assert.match(r2.stderr, /"resumedFrom":\{"epoch":\d/);
  const whole = probeScore(loadNative(path.join(models, 'whole')).kv);
  const resumed = probeScore(loadNative(path.join(models, 'cut')).kv);
  // Calibration as test/glove-train.test.mjs (all probes but one); resuming may cost at most one more.
  assert.ok(whole.passed >= PROBES.length - 1, `uninterrupted: ${whole.ranks}`);
  assert.ok(resumed.passed >= whole.passed - 1, `resumed ${resumed.ranks}, uninterrupted ${whole.ranks}`);
});

test("GloVe and word2vec refuse each other's checkpoints, and other co-occurrence records, with one line", async () => {
  const models = tmpDir();
  const common = [corpus, '--engine', 'wasm', '--threads', '1', ...BASE, '-o', 'g', '--models-dir', models];
  const glove = [...common, '--method', 'glove', '--epochs', '12', '--checkpoint-every', '0.01'];
  assert.ok((await trainRun(models, glove, { signal: 'SIGKILL', afterCheckpoints: 1 })).killed);
  const refused = async (args, why) => {
    const r = await runCli(['train', ...args, '--resume', '-q']);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /^embed: error: cannot resume from the checkpoint in '.*\.g\.checkpoint': /);
    assert.match(lines[0], why);
  };
  await refused(common, /it was made with --method "glove" \(now "word2vec"\)/);
  // The records are counted and shuffled again on --resume: they must be those the checkpoint was made on.
  const stateFile = path.join(models, '.g.checkpoint', 'state.json');
  const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  state.state.records.digest = '0'.repeat(64);
  fs.writeFileSync(stateFile, JSON.stringify(state));
  await refused(glove, /the co-occurrence records differ from the checkpoint's/);
  // And the other way: a word2vec checkpoint is refused by a GloVe run.
  fs.rmSync(path.join(models, '.g.checkpoint'), { recursive: true });
  assert.ok((await trainRun(models, [...common, '--checkpoint-every', '0.25'], { signal: 'SIGKILL', afterCheckpoints: 1 })).killed);
  await refused(glove, /it was made with --method "word2vec" \(now "glove"\)/);
});

test('a checkpoint that does not match is refused with one line; --resume needs a corpus file and a resumable engine', async () => {
  const models = tmpDir();
  const args = [corpus, '--engine', 'wasm', '--threads', '1', ...BASE, '-o', 'm', '--checkpoint-every', '0.25'];
  const r1 = await trainRun(models, args, { signal: 'SIGKILL', afterCheckpoints: 1 });
  assert.ok(r1.killed);
  for (const [change, why] of [
    [['--dim', '17'], /made with --dim 16 \(now 17\)/],
    [['--window', '3'], /made with --window 5 \(now 3\)/],
    [['--engine', 'js'], /made with --engine "wasm" \(now "js"\)/],
    [['--threads', '2'], /made with --threads 1 \(now 2\)/],
  ]) {
    const r = await runCli(['train', ...args, '--models-dir', models, '--resume', ...change]);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /^embed: error: cannot resume from the checkpoint in '.*\.m\.checkpoint': it was made with/);
    assert.match(lines[0], why);
  }
  const other = path.join(tmpDir(), 'other.txt');
  fs.copyFileSync(corpus, other);
  const moved = await runCli(['train', other, ...args.slice(1), '--models-dir', models, '--resume']);
  assert.equal(moved.code, 1);
  assert.match(moved.stderr, /it was made from another corpus/);
  const stdin = await runCli(['train', '-', ...args.slice(1), '--models-dir', models, '--resume'], { input: 'a b c\n' });
  assert.equal(stdin.code, 2);
  assert.match(stdin.stderr, /--resume needs a corpus file/);
  const tfjs = await runCli(['train', ...args, '--models-dir', models, '--resume', '--engine', 'tfjs']);
  assert.equal(tfjs.code, 1);
  assert.match(tfjs.stderr, /made with --engine "wasm" \(now "tfjs"\)/);
  // Damaged weights: one line, not a crash.
  const dir = path.join(models, '.m.checkpoint');
  const weights = fs.readdirSync(dir).find((f) => f.startsWith('input.'));
  fs.truncateSync(path.join(dir, weights), 10);
  const damaged = await runCli(['train', ...args, '--models-dir', models, '--resume']);
  assert.equal(damaged.code, 1);
  assert.match(damaged.stderr, /checkpoint in '.*' is damaged/);
  // Without --resume a new run starts over, and its end removes the checkpoint.
  assert.equal((await runCli(['train', ...args, '--models-dir', models, '-q'])).code, 0);
  assert.ok(!fs.existsSync(dir));
});
