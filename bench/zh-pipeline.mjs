#!/usr/bin/env node
// Chinese end to end: embed on raw text vs the usual pipeline (python jieba → word2vec.c), same
// hyper-parameters (skip-gram, negative 5, dim 100, window 5, sample 1e-3, min-count 5, 5 epochs),
// timed including segmentation, both evaluated by `embed eval analogies` on CA8-morphological (gensim's semantics, restrict 300000).
// Not part of `npm test`: it takes minutes. Needs /usr/bin/python3 with jieba, gensim, numpy.
//
//   npm run build && node bench/zh-pipeline.mjs [--corpus F] [--threads 2] [--epochs 5] [--only embed|w2v] [--keep DIR]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    corpus: { type: 'string', default: path.join(root, '../shared/data/zh/zhwiki-sample-20MB.txt.xz') },
    analogies: { type: 'string', default: path.join(root, '../shared/data/zh/CA8-morphological.txt') },
    threads: { type: 'string', default: '2' },
    epochs: { type: 'string', default: '5' },
    'min-count': { type: 'string', default: '5' },
    only: { type: 'string' },
    keep: { type: 'string' },
  },
});
const threads = +args.threads;
const epochs = +args.epochs;
const minCount = +args['min-count'];
const PY = '/usr/bin/python3';
const work = args.keep ? path.resolve(args.keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'zh-pipeline-'));
fs.mkdirSync(work, { recursive: true });
const log = (...a) => console.error('[zh-pipeline]', ...a);

function run(cmd, argv, opts = {}) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status}): ${(r.stderr || '').slice(-2000)}`);
  return { seconds, stdout: r.stdout, stderr: r.stderr };
}

// The raw corpus as plain text (xz is decompressed up front, outside both timings).
let corpus = args.corpus;
if (corpus.endsWith('.xz')) {
  const plain = path.join(work, path.basename(corpus, '.xz'));
  if (!fs.existsSync(plain)) fs.writeFileSync(plain, run('xz', ['-dc', corpus]).stdout);
  corpus = plain;
}
log(`corpus ${corpus} (${(fs.statSync(corpus).size / 1e6).toFixed(1)} MB), threads ${threads}, epochs ${epochs}, work dir ${work}`);

const evaluate = (model) => {
  const r = JSON.parse(
    run(process.execPath, [
      path.join(root, 'dist/cli/embed.cjs'),
      'eval',
      'analogies',
      args.analogies,
      '-m',
      model,
      '--restrict-vocab',
      '300000',
      '--json',
    ]).stdout,
  );
  return { accuracy: r.total.accuracy, seen: r.total.answered, total: r.total.questions };
};
const results = {};

if (args.only !== 'embed') {
  // 1. python jieba (default mode, HMM on), one process, tokens joined by spaces: the usual recipe.
  const seg = path.join(work, 'jieba.txt');
  const pyseg = String.raw`
import sys, jieba
jieba.setLogLevel(60)
with open(sys.argv[1], encoding='utf-8') as f, open(sys.argv[2], 'w', encoding='utf-8') as g:
    for line in f:
        g.write(' '.join(w for w in jieba.cut(line.rstrip('\n')) if w.strip()) + '\n')
`;
  log('segmenting with python jieba...');
  const s = run(PY, ['-c', pyseg, corpus, seg]);
  // 2. word2vec.c (npm skips the word2vec package's postinstall here: build it if needed).
  const w2vDir = path.join(root, 'node_modules/word2vec/src');
  if (!fs.existsSync(path.join(w2vDir, 'word2vec'))) run('make', ['-B', '-C', w2vDir]);
  const out = path.join(work, 'w2v.txt');
  log('training word2vec.c...');
  const w = run(path.join(w2vDir, 'word2vec'), [
    '-train',
    seg,
    '-output',
    out,
    '-cbow',
    '0',
    '-size',
    '100',
    '-window',
    '5',
    '-negative',
    '5',
    '-hs',
    '0',
    '-sample',
    '1e-3',
    '-threads',
    String(threads),
    '-iter',
    String(epochs),
    '-min-count',
    String(minCount),
    '-binary',
    '0',
  ]);
  const ev = evaluate(out);
  results['python jieba + word2vec.c'] = { segmentSeconds: s.seconds, trainSeconds: w.seconds, totalSeconds: s.seconds + w.seconds, ...ev };
  log(JSON.stringify(results['python jieba + word2vec.c']));
}

if (args.only !== 'w2v') {
  // embed on the raw text, cache off so segmentation is paid and timed.
  const { train } = await import(path.join(root, 'dist/index.js'));
  log('training embed on the raw text...');
  let scanEnd = 0;
  const t0 = Date.now();
  const s = await train(corpus, {
    modelsDir: path.join(work, 'models'),
    output: 'embed-zh',
    cache: false,
    threads,
    epochs,
    minCount,
    arch: 'skipgram',
    loss: 'ns',
    dim: 100,
    window: 5,
    negative: 5,
    sample: 1e-3,
    onEvent: (e) => {
      if (e.phase === 'start') {
        scanEnd = Date.now();
        log(e.notes.join('; '));
      }
    },
  });
  const ev = evaluate(s.modelPath);
  results['embed (raw text)'] = {
    segmentSeconds: (scanEnd - t0) / 1000,
    trainSeconds: s.seconds - (scanEnd - t0) / 1000,
    totalSeconds: s.seconds,
    engine: s.engineDetails,
    segmenter: s.segmenter,
    ...ev,
  };
  log(JSON.stringify(results['embed (raw text)']));
}

console.log('| pipeline | segment (s) | train (s) | total (s) | CA8-morph accuracy | questions seen |');
console.log('|---|---|---|---|---|---|');
for (const [name, r] of Object.entries(results))
  console.log(
    `| ${name} | ${r.segmentSeconds.toFixed(1)} | ${r.trainSeconds.toFixed(1)} | ${r.totalSeconds.toFixed(1)} | ${(r.accuracy * 100).toFixed(2)}% | ${r.seen}/${r.total} |`,
  );
console.log(JSON.stringify(results));
if (!args.keep) fs.rmSync(work, { recursive: true, force: true });
