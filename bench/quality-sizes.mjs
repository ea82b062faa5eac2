#!/usr/bin/env node
// Quality by corpus size: embed, gensim 4.2 and word2vec.c with the same settings (dim 100, window 5,
// negative 5, sample 1e-4, min-count 5, 5 epochs, 2 threads) on prefixes of the enwiki corpus, every
// tool's vectors scored by one python scorer (bench/quality-score.py: analogy accuracy with
// restrict_vocab 30000, WordSim-353 Spearman). Not part of `npm test`.
//
//   node bench/quality-sizes.mjs [--sizes 2,5,10,all] [--arch skipgram,cbow] [--tools embed,gensim,w2v]
//        [--seeds 1,2,3] [--w2v-seeds 1] [--w2v-sizes 2,5] [--embed-args '|--schedule word2vec'] [--embed-seeds '1,2,3|1']
//        [--gensim-alpha same|own] [--threads 2] [--cached-only 1]
//
// Sizes are millions of words (prefixes of the one-line corpus, rewrapped to 1000 words a line so
// gensim's corpus_file reader takes it; every tool reads the same files). --embed-args is a
// '|'-separated list of flag sets: each is one embed variant in the table. The learning rate is
// word2vec.c's default for every tool (0.025 skip-gram, 0.05 CBOW, min-alpha alpha × 1e-4) as
// bench.mjs passes it; --gensim-alpha own leaves gensim at its own (0.025 for both, min_alpha 1e-4:
// far worse CBOW below 10M words). Scores are cached per (tool, size, arch, seed) in
// .bench/quality-cache.json, so runs that try embed flags do not retrain gensim and word2vec.c; embed's
// key also holds a hash of dist/, so a rebuilt embed trains again. The table counts cached runs;
// --cached-only 1 trains nothing and tables what the cache holds (runs cut short, fewer seeds).
// Analogy accuracy moves by about ±0.7 points between runs (thread timing), so several seeds
// give a mean and a spread (sample standard deviation).
import { spawn, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './args.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.join(root, '.bench');
const work = path.join(benchDir, 'quality');
const shared = path.resolve(root, '..', 'shared', 'data', 'en');
const QUESTIONS = path.join(shared, 'questions-words.txt');
const WORDSIM = path.join(shared, 'wordsim353.tsv');
const PY = '/usr/bin/python3';
const W2V_DIR = path.join(root, 'node_modules', 'word2vec', 'src');
const W2V = path.join(W2V_DIR, 'word2vec');
const CACHE = path.join(benchDir, 'quality-cache.json');

const DEFAULTS = {
  sizes: '2,5,10,all',
  arch: 'skipgram,cbow',
  tools: 'embed,gensim,w2v',
  seeds: '1,2,3',
  'embed-args': '',
  'gensim-alpha': 'same',
  threads: '2',
};
const opts = parseArgs(process.argv.slice(2), DEFAULTS);
const list = (s) =>
  String(s)
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
const EPOCHS = 5;
const threads = +opts.threads;
fs.mkdirSync(work, { recursive: true });

/** The whole corpus rewrapped to 1000 words a line, then each size as its first lines. */
function corpusFiles(sizes) {
  const all = path.join(work, 'en-all.txt');
  if (!fs.existsSync(all)) {
    const plain = path.join(benchDir, 'en100M.txt'); // bench.mjs's decompressed copy, when it made one
    const src = fs.existsSync(plain) ? `cat '${plain}'` : `xz -dc '${path.join(shared, 'enwiki-text8like-100M.txt.xz')}'`;
    console.error(`rewrapping the corpus into ${all} …`);
    execFileSync('sh', [
      '-c',
      `${src} | tr -s ' \\n' '\\n\\n' | awk 'NF { printf "%s%s", $1, (++n % 1000 ? " " : "\\n") }' > '${all}.tmp' && mv '${all}.tmp' '${all}'`,
    ]);
  }
  const out = {};
  for (const s of sizes) {
    if (s === 'all') {
      out[s] = all;
      continue;
    }
    const f = path.join(work, `en-${s}M.txt`);
    if (!fs.existsSync(f)) execFileSync('sh', ['-c', `head -n ${Math.round(+s * 1000)} '${all}' > '${f}.tmp' && mv '${f}.tmp' '${f}'`]);
    out[s] = f;
  }
  return out;
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '',
      stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`${cmd} exited with ${code}: ${stderr.slice(-2000)}`))));
  });
}

async function score(vectors) {
  const out = await run(PY, [path.join(root, 'bench', 'quality-score.py'), QUESTIONS, WORDSIM, vectors]);
  return JSON.parse(out.trim().split('\n').pop());
}

const defaultAlpha = (arch) => (arch === 'cbow' ? 0.05 : 0.025);

async function trainEmbed(corpus, arch, seed, extra) {
  const model = path.join(work, `embed-${process.pid}`);
  const bin = model + '.bin';
  const cli = path.join(root, 'dist', 'cli', 'embed.cjs');
  // Flags the variant sets itself win over these (commander keeps the last value).
  const args = ['train', corpus, '-o', model, '--arch', arch, '--loss', 'ns', '--dim', '100', '--window', '5', '--negative', '5'];
  args.push('--sample', '1e-4', '--min-count', '5', '--epochs', String(EPOCHS), '--threads', String(threads), '--seed', String(seed));
  args.push('--tokenizer', 'space', '--checkpoint-every', '0', '--engine', 'wasm', '-q', '--json', ...extra);
  const t = performance.now();
  await run(process.execPath, [cli, ...args]);
  const secs = (performance.now() - t) / 1000;
  await run(process.execPath, [cli, 'export', '-m', model, '-f', 'word2vec-bin', '-o', bin]);
  try {
    return { ...(await score(bin)), secs };
  } finally {
    fs.rmSync(model, { recursive: true, force: true });
    fs.rmSync(bin, { force: true });
  }
}

async function trainGensim(corpus, arch, seed) {
  const bin = path.join(work, `gensim-${process.pid}.bin`);
  const alpha = opts['gensim-alpha'] === 'own' ? '' : `alpha=${defaultAlpha(arch)}, min_alpha=${defaultAlpha(arch) * 1e-4}, `;
  const py = `
import logging
from gensim.models import Word2Vec
logging.disable(logging.WARNING)
m = Word2Vec(corpus_file=${JSON.stringify(corpus)}, vector_size=100, window=5, negative=5, hs=0, sample=1e-4, min_count=5,
             ${alpha}workers=${threads}, sg=${arch === 'skipgram' ? 1 : 0}, epochs=${EPOCHS}, seed=${seed})
m.wv.save_word2vec_format(${JSON.stringify(bin)}, binary=True)
`;
  const t = performance.now();
  await run(PY, ['-c', py]);
  const secs = (performance.now() - t) / 1000;
  try {
    return { ...(await score(bin)), secs };
  } finally {
    fs.rmSync(bin, { force: true });
  }
}

// word2vec.c has no seed option (each thread seeds its generator with its id): seeds are repeats.
async function trainW2v(corpus, arch) {
  if (!fs.existsSync(W2V)) execFileSync('make', ['-B', '-C', W2V_DIR], { stdio: 'ignore' });
  const bin = path.join(work, `w2v-${process.pid}.bin`);
  const args = ['-train', corpus, '-output', bin, '-binary', '1', '-size', '100', '-window', '5', '-negative', '5', '-hs', '0'];
  args.push('-sample', '1e-4', '-threads', String(threads), '-iter', String(EPOCHS), '-min-count', '5');
  args.push('-cbow', arch === 'cbow' ? '1' : '0', '-alpha', String(defaultAlpha(arch)));
  const t = performance.now();
  await run(W2V, args);
  const secs = (performance.now() - t) / 1000;
  try {
    return { ...(await score(bin)), secs };
  } finally {
    fs.rmSync(bin, { force: true });
  }
}

/** A hash of the built code: embed's cached scores hold only for the build that made them. */
function distHash() {
  const h = crypto.createHash('sha256');
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const f = path.join(dir, e.name);
      if (e.isDirectory()) walk(f);
      else h.update(f).update(fs.readFileSync(f));
    }
  };
  walk(path.join(root, 'dist'));
  return h.digest('hex').slice(0, 12);
}
const build = distHash();

const cache = fs.existsSync(CACHE) ? JSON.parse(fs.readFileSync(CACHE, 'utf8')) : {};
const saveCache = () => fs.writeFileSync(CACHE, JSON.stringify(cache, null, 1));

const sizes = list(opts.sizes);
const files = corpusFiles(sizes);
const seeds = list(opts.seeds).map(Number);
// An empty entry is embed with its defaults.
const variants = String(opts['embed-args'])
  .split('|')
  .map((x) => x.trim());
// Seeds per embed variant ('|'-separated like --embed-args): fewer for a variant only there to compare.
const embedSeeds = opts['embed-seeds']
  ? String(opts['embed-seeds'])
      .split('|')
      .map((x) => list(x).map(Number))
  : [];
const tools = [];
for (const t of list(opts.tools)) {
  if (t === 'embed')
    variants.forEach((v, i) =>
      tools.push({ name: v ? `embed ${v}` : 'embed', kind: 'embed', extra: v ? v.split(/\s+/) : [], seeds: embedSeeds[i] ?? seeds }),
    );
  else if (t === 'gensim') tools.push({ name: opts['gensim-alpha'] === 'own' ? 'gensim (own α)' : t, kind: t, seeds });
  else if (t === 'w2v') {
    const w2vSeeds = opts['w2v-seeds'] ? list(opts['w2v-seeds']).map(Number) : seeds;
    tools.push({ name: t, kind: t, seeds: w2vSeeds, sizes: opts['w2v-sizes'] ? list(opts['w2v-sizes']) : undefined });
  } else throw new Error(`unknown tool ${t} (embed, gensim, w2v)`);
}

const startLoad = os.loadavg();
const results = [];
console.error(`threads ${threads}, seeds ${seeds.join(',')}, load average ${startLoad.map((x) => x.toFixed(2)).join(' ')}`);
for (const size of sizes)
  for (const arch of list(opts.arch))
    for (const seed of seeds)
      for (const tool of tools.filter((t) => t.seeds.includes(seed) && (!t.sizes || t.sizes.includes(size)))) {
        const key = `${tool.name}|${size}|${arch}|${seed}|${threads}${tool.kind === 'embed' ? `|${build}` : ''}`;
        let r = cache[key];
        const cached = !!r;
        if (!r && opts['cached-only']) continue;
        const loadBefore = os.loadavg()[0];
        if (!r) {
          process.stderr.write(`${size} ${arch} seed ${seed} ${tool.name} … `);
          if (tool.kind === 'embed') r = await trainEmbed(files[size], arch, seed, tool.extra);
          else if (tool.kind === 'gensim') r = await trainGensim(files[size], arch, seed);
          else r = await trainW2v(files[size], arch);
          r.load = [loadBefore, os.loadavg()[0]];
          process.stderr.write(
            `analogy ${r.analogy.toFixed(2)}%, WordSim ${r.wordsim.toFixed(3)} (${r.secs.toFixed(0)} s, load ${r.load.map((x) => x.toFixed(2)).join('→')})\n`,
          );
          cache[key] = { ...r, date: new Date().toISOString() };
          saveCache();
        }
        results.push({ tool: tool.name, size, arch, seed, cached, ...r });
      }

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));
const cell = (xs, d) => `${mean(xs).toFixed(d)} ±${sd(xs).toFixed(d)}`;
const head = ['size', 'arch', 'tool', 'seeds (cached)', 'analogy %', 'WordSim ρ', 'Δanalogy vs gensim', 'ΔWordSim vs gensim', 'train s'];
const rows = [];
for (const size of sizes)
  for (const arch of list(opts.arch)) {
    const of = (name) => results.filter((r) => r.size === size && r.arch === arch && r.tool === name);
    const g = of(tools.find((t) => t.kind === 'gensim')?.name);
    for (const tool of tools) {
      const rs = of(tool.name);
      if (!rs.length) continue;
      const dA = g.length && tool.kind !== 'gensim' ? (mean(rs.map((r) => r.analogy)) - mean(g.map((r) => r.analogy))).toFixed(2) : '';
      const dW = g.length && tool.kind !== 'gensim' ? (mean(rs.map((r) => r.wordsim)) - mean(g.map((r) => r.wordsim))).toFixed(3) : '';
      rows.push([
        size === 'all' ? '17M' : `${size}M`,
        arch,
        tool.name,
        `${rs.length} (${rs.filter((r) => r.cached).length})`,
        cell(
          rs.map((r) => r.analogy),
          2,
        ),
        cell(
          rs.map((r) => r.wordsim),
          3,
        ),
        dA,
        dW,
        mean(rs.map((r) => r.secs)).toFixed(0),
      ]);
    }
  }
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
for (const r of [head, ...rows]) console.log(r.map((x, i) => String(x).padEnd(widths[i])).join('  '));
const endLoad = os.loadavg();
const loads = results.flatMap((r) => r.load ?? []);
if (loads.length)
  console.log(`load average (1 min) over the runs tabled: ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}`);
console.log(
  `load average at start ${startLoad.map((x) => x.toFixed(2)).join(' ')}, at end ${endLoad.map((x) => x.toFixed(2)).join(' ')}; ${os.cpus().length} cores`,
);
const json = path.join(benchDir, `quality-sizes-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
fs.writeFileSync(json, JSON.stringify({ opts, threads, epochs: EPOCHS, build, startLoad, endLoad, results }, null, 2));
console.log(`results: ${json}`);
