#!/usr/bin/env node
// fastText benchmark: `embed train --method fasttext` against Debian's fastText 0.9.2 (`fasttext
// skipgram|cbow`), same settings, one after the other on the same corpus, alternating. Not part of npm test.
//
//   node bench/fasttext.mjs [--mb 20] [--epochs 1] [--arch skipgram,cbow] [--threads 2] [--bucket 2000000]
//                           [--repeat 1] [--zh] (Chinese: CA8 for the candidate n-gram ranges, embed only)
//
// Settings (both tools): dim 100, window 5, 5 negatives, min count 5, lr 0.05, sampling 1e-4, minn 3,
// maxn 6, bucket 2,000,000 (fastText's defaults).
// words/s: embed's own training time (--json trainSeconds: vocabulary excluded); fastText's last
//   progress line (words/sec/thread × threads; its vocabulary pass and its save are excluded too).
// Quality: both models are evaluated by embed (fastText's .bin is read by embed's reader, whose
//   vectors equal print-word-vectors: test/fasttext.test.mjs): analogies (questions-words.txt,
//   3CosAdd over the 30,000 most frequent words; semantic and syntactic apart), WordSim-353, and
//   misspelt words never seen in training: the rank of the right word among the neighbours of
//   the misspelling (composed from its n-grams by each model's own vectors).
// os.loadavg() is printed before and after every run: the machine is shared.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.join(root, '.bench');
const shared = path.resolve(root, '..', 'shared', 'data');
const CLI = path.join(root, 'dist', 'cli', 'embed.cjs');
const { loadModelFile } = await import(path.join(root, 'dist', 'index.js'));

const o = { mb: '20', epochs: '1', arch: 'skipgram,cbow', threads: '2', bucket: '2000000', repeat: '1' };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i].slice(2);
  if (a === 'zh') o.zh = true;
  else o[a] = process.argv[++i];
}
fs.mkdirSync(benchDir, { recursive: true });
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

function corpus(mb) {
  const file = path.join(benchDir, `en-${mb}M.txt`);
  if (!fs.existsSync(file))
    execFileSync('sh', ['-c', `xz -dc '${shared}/en/enwiki-text8like-100M.txt.xz' | head -c ${mb * 1e6} > '${file}'`]);
  return file;
}

/** Runs a command under /usr/bin/time; resolves { out, err, peakMB, secs }. */
function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const p = spawn('/usr/bin/time', ['-f', 'PEAKRSS %M', cmd, ...args]);
    let out = '',
      err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.slice(-2000)}`));
      const m = /PEAKRSS (\d+)/.exec(err);
      resolve({ out, err, peakMB: m ? +m[1] / 1024 : NaN, secs: (Date.now() - t0) / 1000 });
    });
  });
}

async function embedTrain(file, arch, out, extra = []) {
  const args = [CLI, 'train', file, '--method', 'fasttext', '--arch', arch, '--threads', o.threads, '--epochs', o.epochs];
  args.push('--alpha', '0.05', '--sample', '1e-4', '--bucket', o.bucket, '--models-dir', benchDir, '-o', out, '--json', '-q', ...extra);
  const r = await run(process.execPath, args);
  const s = JSON.parse(r.out);
  return { wordsPerSec: s.wordsPerSec, trainSecs: s.trainSeconds, peakMB: r.peakMB, model: path.join(benchDir, out) };
}

async function fasttextTrain(file, arch, out) {
  const prefix = path.join(benchDir, out);
  const args = [arch, '-input', file, '-output', prefix, '-thread', o.threads, '-epoch', o.epochs, '-lr', '0.05', '-t', '1e-4'];
  args.push('-bucket', o.bucket, '-dim', '100', '-minn', '3', '-maxn', '6', '-verbose', '2');
  const r = await run('fasttext', args);
  // Progress lines end with \r; the last one holds the final rate per thread.
  const rates = [...r.err.matchAll(/words\/sec\/thread:\s+(\d+)/g)].map((m) => +m[1]);
  return { wordsPerSec: rates.at(-1) * +o.threads, trainSecs: NaN, peakMB: r.peakMB, model: `${prefix}.bin` };
}

const MISSPELT = [
  ['goverment', 'government'],
  ['univeristy', 'university'],
  ['populaton', 'population'],
  ['internatonal', 'international'],
  ['diferent', 'different'],
  ['amercian', 'american'],
  ['importnt', 'important'],
  ['langauge', 'language'],
  ['musicain', 'musician'],
  ['philosphy', 'philosophy'],
  ['developement', 'development'],
  ['independance', 'independence'],
  ['electon', 'election'],
  ['techology', 'technology'],
  ['chemisty', 'chemistry'],
  ['relgion', 'religion'],
  ['econmy', 'economy'],
  ['mathematcs', 'mathematics'],
  ['scientifc', 'scientific'],
  ['literture', 'literature'],
];

async function quality(model) {
  const q = await run(process.execPath, [CLI, 'eval', 'analogies', `${shared}/en/questions-words.txt`, '--model', model, '--json']);
  const a = JSON.parse(q.out);
  const p = await run(process.execPath, [CLI, 'eval', 'pairs', `${shared}/en/wordsim353.tsv`, '--model', model, '--json']);
  const ws = JSON.parse(p.out);
  // Misspellings: composed from n-grams (none is in either vocabulary); rank of the right word in the top 10.
  const { kv } = loadModelFile(model);
  let found = 0,
    asked = 0;
  for (const [bad, good] of MISSPELT) {
    if (kv.has(bad) || !kv.has(good)) continue;
    asked++;
    try {
      if (kv.mostSimilar([bad], [], 10).some((n) => n.word === good)) found++;
    } catch {
      /* no known n-gram */
    }
  }
  const pct = (s) => (s.answered ? ((100 * s.correct) / s.answered).toFixed(1) : '-');
  return {
    semantic: pct(a.semantic),
    syntactic: pct(a.syntactic),
    total: pct(a.total),
    wordsim: (ws.spearman ?? ws.spearmanRho ?? ws.rho ?? NaN).toFixed?.(3) ?? JSON.stringify(ws).slice(0, 80),
    misspelt: `${found}/${asked}`,
  };
}

const rows = [];
if (!o.zh) {
  const file = corpus(+o.mb);
  console.error(`corpus ${file} (${o.mb} MB), ${o.epochs} epoch(s), ${o.threads} threads, bucket ${o.bucket}`);
  for (let rep = 0; rep < +o.repeat; rep++)
    for (const arch of o.arch.split(','))
      for (const [tool, fn] of [
        ['embed', () => embedTrain(file, arch, `ft-embed-${arch}`)],
        ['fasttext', () => fasttextTrain(file, arch, `ft-ref-${arch}`)],
      ]) {
        const before = load();
        const r = await fn();
        const after = load();
        const qual = await quality(r.model);
        const row = {
          tool,
          arch,
          rep,
          wordsPerSec: Math.round(r.wordsPerSec),
          peakMB: Math.round(r.peakMB),
          ...qual,
          loadBefore: before,
          loadAfter: after,
        };
        rows.push(row);
        console.log(JSON.stringify(row));
      }
  for (const arch of o.arch.split(',')) {
    const e = rows.filter((r) => r.tool === 'embed' && r.arch === arch);
    const f = rows.filter((r) => r.tool === 'fasttext' && r.arch === arch);
    const mean = (rs) => rs.reduce((s, r) => s + r.wordsPerSec, 0) / rs.length;
    if (e.length && f.length)
      console.log(
        `${arch}: embed ${Math.round(mean(e))} words/s, fastText ${Math.round(mean(f))} words/s: ×${(mean(e) / mean(f)).toFixed(2)}`,
      );
  }
} else {
  // Chinese: CA8 morphological, word2vec against the subword model with candidate n-gram ranges.
  const zh = path.join(root, 'corpora', 'zhwiki-sample.txt.gz');
  const ca8 = `${shared}/zh/CA8-morphological.txt`;
  for (const [name, extra] of [
    ['word2vec', ['--method', 'word2vec']],
    ['fasttext 1-2', ['--minn', '1', '--maxn', '2']],
    ['fasttext 2-3', ['--minn', '2', '--maxn', '3']],
    ['fasttext 3-6', ['--minn', '3', '--maxn', '6']],
  ]) {
    const before = load();
    const r = await embedTrain(zh, 'skipgram', `zh-${name.replace(' ', '-')}`, ['--bucket', '500000', ...extra, '--epochs', o.epochs]);
    const q = await run(process.execPath, [CLI, 'eval', 'analogies', ca8, '--model', r.model, '--json']);
    const a = JSON.parse(q.out);
    const row = {
      zh: name,
      answered: a.total.answered,
      questions: a.total.questions,
      correct: a.total.correct,
      accuracy: a.total.accuracy,
      wordsPerSec: Math.round(r.wordsPerSec),
      load: `${before} → ${load()}`,
    };
    console.log(JSON.stringify(row));
  }
}
