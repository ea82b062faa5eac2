#!/usr/bin/env node
// Items: "hyperparameters matter" (Caselles-Dupré et al., RecSys 2018) on the UCI Online Retail
// sequences, embed against gensim 4.2 with the same settings, one after the other in this script.
// Not part of `npm test`.
//
//   node bench/items-vs-gensim.mjs [--configs defaults,w3e30a1,w3e30an,paper,fixed,sentence] [--tools embed,gensim]
//                                  [--threads 2] [--repeats 1] [--data ../shared/data/items/online-retail-sessions.txt.xz]
//
// Protocol (../shared/data/README.md, README "Items (recommendation)"): train on every sequence without its
// last item; the 1,000 test pairs of NumPy's RandomState(4).permutation; HR@10 and NDCG@10 of the last
// item among the 10 nearest items (Euclidean, raw vectors) of the one before it. Both tools' vectors are
// scored by the same code (embed's scoreNextItem; gensim's are read from its word2vec text output).
// Skip-gram, dim 50, 5 negatives, min-count 1; the config sets window, epochs, sample, ns-exponent and
// the window type. gensim: Word2Vec(sg=1, ns_exponent, shrink_windows), fed the same training file;
// its time is the train() call only (build_vocab excluded), embed's the trainer's own train time
// (vocabulary and token cache excluded). The load average (os.loadavg) is printed with every run:
// the numbers are only comparable between rows run under similar load.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './args.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.join(root, '.bench', 'items');
const PY = '/usr/bin/python3';
const CLI = path.join(root, 'dist', 'cli', 'embed.cjs');
const { readSequences, splitNextItem, scoreNextItem, loadModelFile } = await import(path.join(root, 'dist', 'index.js'));

const CONFIGS = {
  defaults: { window: 5, epochs: 5, sample: 1e-3, nsExponent: 0.75, windowType: 'dynamic', what: 'word2vec defaults' },
  w3e30a1: { window: 3, epochs: 30, sample: 1e-3, nsExponent: 1, windowType: 'dynamic', what: 'window 3, 30 epochs, α 1' },
  w3e30an: { window: 3, epochs: 30, sample: 1e-3, nsExponent: -0.5, windowType: 'dynamic', what: 'window 3, 30 epochs, α −0.5' },
  paper: { window: 3, epochs: 140, sample: 1e-3, nsExponent: 1, windowType: 'dynamic', what: "the paper's e-commerce config" },
  fixed: { window: 3, epochs: 30, sample: 1e-3, nsExponent: 1, windowType: 'fixed', what: 'fixed window 3, 30 epochs, α 1' },
  // gensim's item2vec is window=huge with shrink_windows=False: quadratic in the line length (lines of
  // 8,000 items here), so it is not run for this one; embed caps the partners at 2·window per item.
  sentence: {
    window: 3,
    epochs: 30,
    sample: 1e-3,
    nsExponent: 1,
    windowType: 'sentence',
    what: 'sentence window (6 partners), 30 epochs, α 1',
  },
};

const DEFAULTS = {
  configs: 'defaults,w3e30a1',
  tools: 'embed,gensim',
  threads: '2',
  repeats: '1',
  data: path.resolve(root, '..', 'shared', 'data', 'items', 'online-retail-sessions.txt.xz'),
};
const opts = parseArgs(process.argv.slice(2), DEFAULTS);
const list = (s) => String(s).split(',').filter(Boolean);
const threads = +opts.threads;
fs.mkdirSync(benchDir, { recursive: true });

// The sequences, the training file (every sequence without its last item) and the test pairs.
const seqFile = path.join(benchDir, 'sequences.txt');
if (!fs.existsSync(seqFile))
  fs.writeFileSync(
    seqFile,
    opts.data.endsWith('.xz') ? execFileSync('xz', ['-dc', opts.data], { maxBuffer: 1 << 30 }) : fs.readFileSync(opts.data),
  );
const seqs = await readSequences(seqFile);
const split = splitNextItem(seqs, { pairs: 1000, seed: 4 });
const trainFile = path.join(benchDir, 'train.txt');
fs.writeFileSync(trainFile, split.train.map((s) => s.join(' ')).join('\n') + '\n');

const GENSIM = String.raw`
import sys, time, json, logging
from gensim.models import Word2Vec
train, out, window, epochs, sample, alpha, shrink, threads, seed = sys.argv[1:]
sentences = [l.split() for l in open(train)]
m = Word2Vec(vector_size=50, window=int(window), sample=float(sample), negative=5, ns_exponent=float(alpha),
             min_count=1, sg=1, workers=int(threads), seed=int(seed), shrink_windows=(shrink == '1'))
m.build_vocab(sentences)
t0 = time.time()
m.train(sentences, total_examples=m.corpus_count, epochs=int(epochs))
secs = time.time() - t0
m.wv.save_word2vec_format(out)
print(json.dumps({'trainSeconds': secs}))
`;

const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

function score(vectorsPath) {
  const { kv } = loadModelFile(vectorsPath);
  return scoreNextItem(kv, split.test, { k: 10, metric: 'euclidean' });
}

function runEmbed(c, rep) {
  const out = path.join(benchDir, `embed-${rep}`);
  const args = ['eval', 'next-item', seqFile, '--json', '-q', '--metric', 'euclidean', '--dim', '50', '--negative', '5'];
  args.push('--window', String(c.window), '--epochs', String(c.epochs), '--sample', String(c.sample));
  args.push('--ns-exponent', String(c.nsExponent), '--window-type', c.windowType, '--threads', String(threads));
  args.push('--seed', '4', '--models-dir', benchDir, '-o', `embed-${rep}`);
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`embed failed: ${r.stderr}`);
  const j = JSON.parse(r.stdout);
  fs.rmSync(out, { recursive: true, force: true });
  return { hr: j.hitRate, ndcg: j.ndcg, seconds: j.training.trainSeconds };
}

function runGensim(c, rep) {
  const out = path.join(benchDir, `gensim-${rep}.vec`);
  const args = [trainFile, out, c.window, c.epochs, c.sample, c.nsExponent, c.windowType === 'fixed' ? '0' : '1', threads, 1 + rep];
  const r = spawnSync(PY, ['-c', GENSIM, ...args.map(String)], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`gensim failed: ${r.stderr}`);
  const s = score(out);
  fs.rmSync(out, { force: true });
  return { hr: s.hitRate, ndcg: s.ndcg, seconds: JSON.parse(r.stdout.trim().split('\n').pop()).trainSeconds };
}

const gensimVersion = spawnSync(PY, ['-c', 'import gensim; print(gensim.__version__)'], { encoding: 'utf8' }).stdout.trim();
console.log(`# items: ${seqs.length} sequences, ${split.train.reduce((a, s) => a + s.length, 0)} training tokens, 1000 test pairs`);
console.log(`# node ${process.version}, gensim ${gensimVersion}, ${os.cpus().length} cpus, --threads ${threads}`);
console.log('| config | tool | HR@10 | NDCG@10 | train s | load before | load after |');
console.log('|---|---|---|---|---|---|---|');
for (const name of list(opts.configs)) {
  const c = CONFIGS[name];
  if (!c) throw new Error(`unknown config ${name} (${Object.keys(CONFIGS).join(', ')})`);
  for (let rep = 0; rep < +opts.repeats; rep++)
    for (const tool of list(opts.tools)) {
      if (tool === 'gensim' && c.windowType === 'sentence') continue;
      const before = load();
      const r = tool === 'embed' ? runEmbed(c, rep) : runGensim(c, rep);
      console.log(
        `| ${name}: ${c.what} | ${tool} | ${(100 * r.hr).toFixed(1)} % | ${r.ndcg.toFixed(3)} | ${r.seconds.toFixed(1)} | ${before} | ${load()} |`,
      );
    }
}
