#!/usr/bin/env node
// Speed/quality benchmark: embed (wasm and js engines), word2vec.c and gensim 4 with the same settings,
// one after another, on the same corpus. Not part of `npm test`.
//
//   npm run bench -- [--preset quick|full] [--arch skipgram,cbow] [--loss ns,hs] [--threads 1,2]
//                    [--tools wasm,js,tfjs,w2v,gensim,gensim-decay] [--corpus FILE] [--epochs N] [--tfjs-mb 5]
//
// The tfjs engine is two orders of magnitude slower on the bundled backends (see src/engine/tfjs/engine.ts),
// so its row trains 1 epoch on the first --tfjs-mb MB of the corpus (the 'corpus' column says so):
// its words/s is comparable with the others, its accuracy is not (bench/tfjs.mjs measures quality).
//
// words/s = epochs × in-vocabulary tokens of the corpus / wall-clock seconds of training only:
//   embed: the trainer's own train time (vocabulary and token cache excluded);
//   word2vec.c: from its first progress line (training has begun) to its exit (includes writing the
//     binary vectors, well under a second);
//   gensim: the Word2Vec.train() call (build_vocab excluded), fed through corpus_file= (its fastest
//     path) with the corpus re-wrapped to 1000 words a line (gensim's corpus_file reader keeps only
//     the first 10000 words of a line, and this corpus is one line).
// whole s = the tool's whole process, start to saved vectors (what a user waits for); prep MB/s =
//   corpus bytes / embed's prepareSeconds (reading, tokenising, counting, writing ids: before training).
// Accuracy: gensim's evaluate_word_analogies(restrict_vocab=30000, case_insensitive=True) on
// questions-words.txt, for every tool's vectors. Peak RSS: /usr/bin/time -f %M (the whole process).
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './args.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.join(root, '.bench');
const shared = path.resolve(root, '..', 'shared', 'data', 'en');
const QUESTIONS = path.join(shared, 'questions-words.txt');
const PY = '/usr/bin/python3';
const W2V_DIR = path.join(root, 'node_modules', 'word2vec', 'src');
const W2V = path.join(W2V_DIR, 'word2vec');

const DEFAULTS = { preset: 'full', arch: 'skipgram,cbow', loss: 'ns,hs', threads: '2', tools: 'wasm,js,tfjs,w2v,gensim', 'tfjs-mb': '5' };
const opts = parseArgs(process.argv.slice(2), DEFAULTS);
const quick = opts.preset === 'quick';
const epochs = +(opts.epochs ?? (quick ? 1 : 5));
const list = (s) =>
  String(s)
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

fs.mkdirSync(benchDir, { recursive: true });

/** The corpus: the 100M enwiki text (decompressed once into .bench/), or its first 20 MB for quick. */
function prepareCorpus() {
  if (opts.corpus) return path.resolve(opts.corpus);
  const full = path.join(benchDir, 'en100M.txt');
  if (!fs.existsSync(full)) {
    console.error(`decompressing the corpus into ${full} …`);
    execFileSync('sh', [
      '-c',
      `xz -dc '${path.join(shared, 'enwiki-text8like-100M.txt.xz')}' > '${full}.tmp' && mv '${full}.tmp' '${full}'`,
    ]);
  }
  return quick ? prefixOf(full, 20) : full;
}

/** A copy with at most 1000 words a line, for gensim's corpus_file reader. */
async function wrappedCopy(file) {
  const out = path.join(benchDir, path.basename(file, '.txt') + '.lines.txt');
  if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= fs.statSync(file).mtimeMs) return out;
  const ws = fs.createWriteStream(out + '.tmp');
  let n = 0,
    carry = '',
    buf = [];
  const emit = (w) => {
    buf.push(w);
    if (++n % 1000 === 0) {
      ws.write(buf.join(' ') + '\n');
      buf = [];
    }
  };
  for await (const chunk of fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const parts = (carry + chunk).split(/\s+/);
    carry = parts.pop();
    for (const w of parts) if (w) emit(w);
  }
  if (carry) emit(carry);
  if (buf.length) ws.write(buf.join(' ') + '\n');
  await new Promise((r) => ws.end(r));
  fs.renameSync(out + '.tmp', out);
  return out;
}

/** Spawns cmd under /usr/bin/time; returns { stdout, stderr, rssKB, wall, lineTimes } */
function runTimed(cmd, args, { onLine, env } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn('/usr/bin/time', ['-f', 'PEAKRSS %M', cmd, ...args], { env: { ...process.env, ...env } });
    let stdout = '',
      stderr = '';
    p.stdout.on('data', (d) => {
      stdout += d;
      onLine?.(String(d), performance.now());
    });
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => {
      const wall = (performance.now() - t0) / 1000;
      const m = /PEAKRSS (\d+)/.exec(stderr);
      if (code !== 0) return reject(new Error(`${cmd} exited with ${code}: ${stderr.slice(-2000)}`));
      resolve({ stdout, stderr, rssKB: m ? +m[1] : NaN, wall, end: performance.now() });
    });
  });
}

const alphaOf = (arch) => (arch === 'cbow' ? 0.05 : 0.025);

/** The first `mb` MB of `file` (cut at a space), made once under .bench/. */
function prefixOf(file, mb) {
  const out = path.join(benchDir, `${path.basename(file, '.txt')}-first${mb}MB.txt`);
  if (!fs.existsSync(out)) {
    const buf = Buffer.alloc(Math.round(mb * 1e6));
    const fd = fs.openSync(file, 'r');
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    fs.closeSync(fd);
    const cut = n === buf.length ? buf.lastIndexOf(0x20, n - 1) : n;
    fs.writeFileSync(out + '.tmp', buf.subarray(0, cut > 0 ? cut : n));
    fs.renameSync(out + '.tmp', out);
  }
  return out;
}

async function runEmbed(engine, corpus, c, runEpochs = epochs) {
  const out = path.join(benchDir, `embed-${engine}-${c.arch}-${c.loss}-${c.threads}`);
  const script = `
    import { train } from ${JSON.stringify(path.join(root, 'dist', 'index.js'))};
    const s = await train(${JSON.stringify(corpus)}, { output: ${JSON.stringify(out)}, engine: '${engine}', arch: '${c.arch}', loss: '${c.loss}',
      threads: ${c.threads}, dim: 100, window: 5, negative: 5, sample: 1e-4, minCount: 5, epochs: ${runEpochs}, alpha: ${alphaOf(c.arch)}, seed: 1 });
    console.log(JSON.stringify(s));`;
  // A file, not --input-type/-e: worker threads inherit execArgv.
  const f = path.join(benchDir, `run-embed-${process.pid}.mjs`);
  fs.writeFileSync(f, script);
  let r;
  try {
    r = await runTimed(process.execPath, [f]);
  } finally {
    fs.rmSync(f, { force: true });
  }
  const s = JSON.parse(r.stdout.trim().split('\n').pop());
  const vec = exportWord2vecBinary(out);
  return {
    wordsPerSec: s.wordsPerSec,
    trainSeconds: s.trainSeconds,
    wholeSeconds: r.wall,
    prepareMBps: fs.statSync(corpus).size / 1e6 / s.prepareSeconds,
    words: s.trainedWords,
    rssMB: r.rssKB / 1024,
    vectors: vec,
    details: s.engineDetails,
    loss: s.finalLoss,
    corpus,
    epochs: runEpochs,
    threads: engine === 'tfjs' ? 1 : c.threads,
  };
}

/** Tiny exporter for the benchmark only: models/<name>/{vocab.tsv,vectors.f32} → word2vec binary. */
function exportWord2vecBinary(modelDir) {
  const words = fs
    .readFileSync(path.join(modelDir, 'vocab.tsv'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t')[0]);
  const raw = fs.readFileSync(path.join(modelDir, 'vectors.f32'));
  const dim = raw.length / 4 / words.length;
  const out = modelDir + '.bin';
  const fd = fs.openSync(out, 'w');
  fs.writeSync(fd, `${words.length} ${dim}\n`);
  for (let i = 0; i < words.length; i++) {
    fs.writeSync(fd, words[i] + ' ');
    fs.writeSync(fd, raw, i * dim * 4, dim * 4);
    fs.writeSync(fd, '\n');
  }
  fs.closeSync(fd);
  return out;
}

async function runW2v(corpus, c) {
  if (!fs.existsSync(W2V)) execFileSync('make', ['-B', '-C', W2V_DIR], { stdio: 'ignore' });
  const out = path.join(benchDir, `w2v-${c.arch}-${c.loss}-${c.threads}.bin`);
  let start = 0;
  const args = [
    '-train',
    corpus,
    '-output',
    out,
    '-binary',
    '1',
    '-size',
    '100',
    '-window',
    '5',
    '-negative',
    c.loss === 'ns' ? '5' : '0',
    '-hs',
    c.loss === 'hs' ? '1' : '0',
    '-sample',
    '1e-4',
    '-threads',
    String(c.threads),
    '-iter',
    String(epochs),
    '-min-count',
    '5',
    '-cbow',
    c.arch === 'cbow' ? '1' : '0',
    '-alpha',
    String(alphaOf(c.arch)),
  ];
  const r = await runTimed(W2V, args, {
    onLine: (s, t) => {
      if (!start && s.includes('Alpha:')) start = t;
    },
  });
  const m = /Words in train file: (\d+)/.exec(r.stdout);
  const words = epochs * +m[1];
  const secs = (r.end - start) / 1000;
  return {
    wordsPerSec: words / secs,
    trainSeconds: secs,
    wholeSeconds: r.wall,
    words,
    rssMB: r.rssKB / 1024,
    vectors: out,
    details: `word2vec.c (npm word2vec, gcc -O3 -march=native), ${c.threads} thread${c.threads === 1 ? '' : 's'}`,
  };
}

// gensim's corpus_file workers each read 1/workers of the file but measure their learning-rate
// progress against the whole epoch (word2vec_corpusfile.pyx, get_next_alpha), so with 2 workers
// alpha decays only half-way within each epoch and ends at 10% of its start instead of ~0. That
// raises its analogy accuracy on small corpora. 'gensim-decay' passes each worker its share of the
// examples, which gives the linear decay word2vec.c and embed use; 'gensim' runs as users run it.
async function runGensim(corpus, c, fullDecay = false) {
  const lines = await wrappedCopy(corpus);
  const out = path.join(benchDir, `gensim${fullDecay ? '-decay' : ''}-${c.arch}-${c.loss}-${c.threads}.bin`);
  const a = alphaOf(c.arch);
  const py = `
import time, json, gensim
from gensim.models import Word2Vec
m = Word2Vec(vector_size=100, window=5, negative=${c.loss === 'ns' ? 5 : 0}, hs=${c.loss === 'hs' ? 1 : 0}, sample=1e-4, min_count=5,
             workers=${c.threads}, sg=${c.arch === 'skipgram' ? 1 : 0}, alpha=${a}, min_alpha=${a * 1e-4}, epochs=${epochs}, seed=1)
m.build_vocab(corpus_file=${JSON.stringify(lines)})
words = int(sum(int(m.wv.get_vecattr(w, 'count')) for w in m.wv.index_to_key))
t = time.perf_counter()
m.train(corpus_file=${JSON.stringify(lines)}, total_words=m.corpus_total_words, total_examples=m.corpus_count${fullDecay ? ` // ${c.threads}` : ''}, epochs=${epochs})
secs = time.perf_counter() - t
m.wv.save_word2vec_format(${JSON.stringify(out)}, binary=True)
print(json.dumps({'secs': secs, 'words': words * ${epochs}, 'version': gensim.__version__}))
`;
  const f = path.join(os.tmpdir(), `embed-bench-gensim-${process.pid}.py`);
  fs.writeFileSync(f, py);
  try {
    const r = await runTimed(PY, [f]);
    const s = JSON.parse(r.stdout.trim().split('\n').pop());
    return {
      wordsPerSec: s.words / s.secs,
      trainSeconds: s.secs,
      wholeSeconds: r.wall,
      words: s.words,
      rssMB: r.rssKB / 1024,
      vectors: out,
      details: `gensim ${s.version}, ${c.threads} worker${c.threads === 1 ? '' : 's'}${fullDecay ? ", alpha decayed over each worker's share" : ''}`,
    };
  } finally {
    fs.rmSync(f, { force: true });
  }
}

function analogyAccuracy(vectors) {
  const py = `
import sys, logging
from gensim.models import KeyedVectors
kv = KeyedVectors.load_word2vec_format(sys.argv[1], binary=True)
score, _ = kv.evaluate_word_analogies(sys.argv[2], restrict_vocab=30000, case_insensitive=True)
print(score)
`;
  const out = execFileSync(PY, ['-c', py, vectors, QUESTIONS], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return 100 * parseFloat(out.trim().split('\n').pop());
}

const runners = {
  wasm: (co, c) => runEmbed('wasm', co, c),
  js: (co, c) => runEmbed('js', co, c),
  tfjs: (co, c) => runEmbed('tfjs', prefixOf(co, +opts['tfjs-mb']), c, 1),
  w2v: runW2v,
  gensim: (co, c) => runGensim(co, c),
  'gensim-decay': (co, c) => runGensim(co, c, true),
};

const corpus = prepareCorpus();
const results = [];
const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '-');
console.log(
  `corpus ${corpus} (${(fs.statSync(corpus).size / 1e6).toFixed(0)} MB), ${epochs} epoch(s), dim 100, window 5, negative 5, sample 1e-4, min-count 5; ${os.cpus().length} cores`,
);
for (const arch of list(opts.arch))
  for (const loss of list(opts.loss))
    for (const threads of list(opts.threads).map(Number)) {
      const c = { arch, loss, threads };
      const row = {};
      for (const tool of list(opts.tools)) {
        if (!runners[tool]) throw new Error(`unknown tool ${tool} (${Object.keys(runners).join(', ')})`);
        const load = os.loadavg()[0];
        process.stderr.write(`${tool} ${arch} ${loss} ${threads} thread(s) … `);
        const r = await runners[tool](corpus, c);
        r.accuracy = analogyAccuracy(r.vectors);
        r.threads ??= threads;
        r.epochs ??= epochs;
        r.corpus ??= corpus;
        Object.assign(r, { tool, arch, loss, loadBefore: load, loadAfter: os.loadavg()[0] });
        process.stderr.write(`${fmt(r.wordsPerSec)} words/s, ${fmt(r.accuracy, 1)}%\n`);
        row[tool] = r;
        results.push(r);
      }
      for (const r of Object.values(row)) {
        r.vsGensim = row.gensim ? r.wordsPerSec / row.gensim.wordsPerSec : NaN;
        r.vsW2v = row.w2v ? r.wordsPerSec / row.w2v.wordsPerSec : NaN;
        r.wholeVsGensim = row.gensim ? row.gensim.wholeSeconds / r.wholeSeconds : NaN;
        r.wholeVsW2v = row.w2v ? row.w2v.wholeSeconds / r.wholeSeconds : NaN;
      }
    }

const head = [
  'tool',
  'arch',
  'loss',
  'threads',
  'corpus',
  'words/s',
  'train s',
  'whole s',
  'prep MB/s',
  'peak RSS MB',
  'analogy %',
  '×gensim',
  '×w2v.c',
  'whole ×gensim',
  'whole ×w2v.c',
  'load avg',
  'details',
];
const sizeOf = (r) => `${(fs.statSync(r.corpus).size / 1e6).toFixed(0)} MB × ${r.epochs}`;
const rows = results.map((r) => [
  r.tool,
  r.arch,
  r.loss,
  r.threads,
  sizeOf(r),
  fmt(r.wordsPerSec),
  fmt(r.trainSeconds, 1),
  fmt(r.wholeSeconds, 1),
  fmt(r.prepareMBps, 1),
  fmt(r.rssMB),
  fmt(r.accuracy, 2),
  fmt(r.vsGensim, 2),
  fmt(r.vsW2v, 2),
  fmt(r.wholeVsGensim, 2),
  fmt(r.wholeVsW2v, 2),
  `${fmt(r.loadBefore, 2)}→${fmt(r.loadAfter, 2)}`,
  r.details.trim(),
]);
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
for (const r of [head, ...rows]) console.log(r.map((x, i) => String(x).padEnd(widths[i])).join('  '));
console.log(
  `load average now: ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
const json = path.join(benchDir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
fs.writeFileSync(json, JSON.stringify({ preset: opts.preset, epochs, corpus, cpus: os.cpus().length, results }, null, 2));
console.log(`results: ${json}`);
