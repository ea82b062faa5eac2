#!/usr/bin/env node
// embed train --method glove against Stanford GloVe (vocab_count, cooccur, shuffle, glove) on the same
// corpus and settings, alternating the two, with phase times, wall clock, peak RSS, words/s and analogy
// accuracy (embed eval on both vector files), and os.loadavg() before each run.
//
// Stanford GloVe is never part of this repository: build it from its public source elsewhere and give
// its directory (the one with build/glove) in GLOVE_HOME.
//
//   GLOVE_HOME=/path/to/GloVe node bench/glove.mjs CORPUS.txt [--dim 50] [--window 15] [--x-max 10]
//     [--iter 15] [--threads 2] [--memory 1] [--min-count 5] [--repeat 1] [--only embed|glove]
//     [--questions ../shared/data/en/questions-words.txt] [--pairs ../shared/data/en/wordsim353.tsv]
//
// On a machine shared with other work, wall clock follows the load: cpu (user + sys seconds) is reported too.
// Peak RSS comes from /usr/bin/time -f %M (the largest of the four Stanford processes for GloVe).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'dist', 'cli', 'embed.cjs');
const args = process.argv.slice(2);
const corpus = args[0] && path.resolve(args[0]);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
if (!corpus || !fs.existsSync(corpus)) {
  console.error('usage: GLOVE_HOME=... node bench/glove.mjs CORPUS.txt [options]');
  process.exit(2);
}
const S = {
  dim: opt('dim', '50'),
  window: opt('window', '15'),
  xMax: opt('x-max', '10'),
  iter: opt('iter', '15'),
  threads: opt('threads', '2'),
  memory: opt('memory', '1'),
  minCount: opt('min-count', '5'),
};
const repeat = Number(opt('repeat', '1'));
const only = opt('only', '');
const questions = opt('questions', path.join(ROOT, '..', 'shared', 'data', 'en', 'questions-words.txt'));
const pairs = opt('pairs', path.join(ROOT, '..', 'shared', 'data', 'en', 'wordsim353.tsv'));
const GLOVE = process.env.GLOVE_HOME ? path.join(process.env.GLOVE_HOME, 'build') : null;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'embed-bench-glove-'));
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

/** Runs a command under /usr/bin/time; returns wall seconds, peak RSS (MiB), stdout, stderr. */
function timed(cmd, argv, { stdin, stdout } = {}) {
  const timeFile = path.join(work, 'time.txt');
  const r = spawnSync('/usr/bin/time', ['-o', timeFile, '-f', '%e %M %U %S', cmd, ...argv], {
    stdio: [stdin ? fs.openSync(stdin, 'r') : 'ignore', stdout ? fs.openSync(stdout, 'w') : 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    cwd: work, // Stanford's cooccur and shuffle write their temporary files in the current directory
  });
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr?.slice(-2000)}`);
  const [wall, rss, user, sys] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  return { wall, cpu: user + sys, rssMiB: rss / 1024, stdout: r.stdout, stderr: r.stderr };
}

function evaluate(vectors) {
  const a = spawnSync(process.execPath, [CLI, 'eval', 'analogies', questions, '-m', vectors, '--restrict-vocab', '30000', '--json'], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const p = fs.existsSync(pairs)
    ? spawnSync(process.execPath, [CLI, 'eval', 'pairs', pairs, '-m', vectors, '--json'], { encoding: 'utf8' })
    : null;
  const json = (r) => {
    try {
      return JSON.parse(r.stdout);
    } catch {
      return { error: (r.stderr || '').trim().slice(0, 300) };
    }
  };
  return { analogies: json(a), pairs: p ? json(p) : null };
}

function runGlove(tokens) {
  const v = path.join(work, 'vocab.txt'),
    c = path.join(work, 'cooc.bin'),
    sh = path.join(work, 'shuf.bin'),
    save = path.join(work, 'glove-vectors');
  const loadBefore = load();
  const p1 = timed(path.join(GLOVE, 'vocab_count'), ['-min-count', S.minCount, '-verbose', '0'], { stdin: corpus, stdout: v });
  const p2 = timed(path.join(GLOVE, 'cooccur'), ['-memory', S.memory, '-vocab-file', v, '-verbose', '0', '-window-size', S.window], {
    stdin: corpus,
    stdout: c,
  });
  const p3 = timed(path.join(GLOVE, 'shuffle'), ['-memory', S.memory, '-verbose', '0', '-seed', '1'], { stdin: c, stdout: sh });
  const records = fs.statSync(sh).size / 16;
  fs.rmSync(c);
  const p4 = timed(path.join(GLOVE, 'glove'), [
    ...['-save-file', save, '-threads', S.threads, '-input-file', sh, '-x-max', S.xMax, '-iter', S.iter],
    ...['-vector-size', S.dim, '-binary', '0', '-vocab-file', v, '-verbose', '2', '-seed', '1'],
  ]);
  const costs = [...p4.stderr.matchAll(/cost: ([\d.]+)/g)].map((m) => Number(m[1]));
  fs.rmSync(sh);
  const wall = p1.wall + p2.wall + p3.wall + p4.wall;
  return {
    tool: 'stanford-glove',
    loadBefore,
    phases: { vocab: p1.wall, cooccur: p2.wall, shuffle: p3.wall, fit: p4.wall },
    wall,
    cpu: p1.cpu + p2.cpu + p3.cpu + p4.cpu,
    wordsPerSec: tokens ? Math.round(tokens / wall) : null,
    peakRssMiB: Math.round(Math.max(p1.rssMiB, p2.rssMiB, p3.rssMiB, p4.rssMiB)),
    records,
    finalCostPerRecord: costs.at(-1),
    loadAfter: load(),
    eval: evaluate(save + '.txt'),
  };
}

function runEmbed() {
  const out = path.join(work, 'embed-model');
  const loadBefore = load();
  const r = timed(process.execPath, [
    CLI,
    'train',
    corpus,
    ...['--method', 'glove', '--tokenizer', 'space', '--dim', S.dim, '--window', S.window, '--x-max', S.xMax, '--epochs', S.iter],
    ...['--threads', S.threads, '--memory', S.memory, '--min-count', S.minCount, '--seed', '1'],
    ...['--models-dir', work, '-o', out, '--progress', 'json', '--json'],
  ]);
  const summary = JSON.parse(r.stdout);
  const g = summary.glove;
  return {
    tool: 'embed',
    loadBefore,
    phases: {
      scanAndVocab: summary.seconds - summary.trainSeconds - g.countSeconds - g.shuffleSeconds,
      cooccur: g.countSeconds,
      shuffle: g.shuffleSeconds,
      fit: summary.trainSeconds,
    },
    wall: r.wall,
    cpu: r.cpu,
    wordsPerSec: Math.round(summary.corpusTokens / r.wall),
    corpusTokens: summary.corpusTokens,
    peakRssMiB: Math.round(r.rssMiB),
    records: g.records,
    runs: g.runs,
    finalCostPerRecord: summary.finalLoss,
    engine: summary.engineDetails,
    loadAfter: load(),
    eval: evaluate(out),
  };
}

console.log(JSON.stringify({ corpus, bytes: fs.statSync(corpus).size, settings: S, cores: os.cpus().length }));
let tokens = null;
for (let k = 0; k < repeat; k++) {
  if (only !== 'glove') {
    const e = runEmbed();
    tokens = e.corpusTokens;
    console.log(JSON.stringify(e));
  }
  if (only !== 'embed') {
    if (!GLOVE) console.log(JSON.stringify({ tool: 'stanford-glove', skipped: 'GLOVE_HOME is not set' }));
    else console.log(JSON.stringify(runGlove(tokens)));
  }
}
