#!/usr/bin/env node
// English → Chinese alignment on our own models (bench/MEASUREMENTS.md, "Cross-lingual alignment"):
// splits the shared en–zh dictionary into train (its first 4,000 source words) and test (the last
// 1,000; the dictionary is ordered by English frequency, as MUSE's 0-5000 / 5000-6500 split), aligns
// with Procrustes, Procrustes + refinement, and a random orthogonal map (the control), and scores each
// on the test split by NN and CSLS. With --numpy, repeats the Procrustes run in numpy (an independent
// check of the SVD, the normalisation and the scoring).
//
//   node bench/align-en-zh.mjs EN_MODEL ZH_MODEL [--dict ../shared/data/align/en-zh.train.txt]
//        [--work DIR] [--refine 5] [--numpy]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const VALUED = new Set(['--dict', '--work', '--refine']);
const [en, zh] = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && VALUED.has(args[i - 1])));
if (!en || !zh) {
  console.error('usage: node bench/align-en-zh.mjs EN_MODEL ZH_MODEL [--dict FILE] [--work DIR] [--refine N] [--numpy]');
  process.exit(2);
}
const dictFile = opt('--dict', path.join(root, '..', 'shared', 'data', 'align', 'en-zh.train.txt'));
const work = opt('--work', fs.mkdtempSync(path.join(os.tmpdir(), 'align-bench-')));
const refine = opt('--refine', '5');
fs.mkdirSync(work, { recursive: true });
const models = path.join(work, 'models');

// The split: by source word, in file order.
const lines = fs.readFileSync(dictFile, 'utf8').split('\n').filter(Boolean);
const order = [...new Set(lines.map((l) => l.split(/\s+/)[0]))];
const trainWords = new Set(order.slice(0, order.length - 1000));
const train = lines.filter((l) => trainWords.has(l.split(/\s+/)[0]));
const test = lines.filter((l) => !trainWords.has(l.split(/\s+/)[0]));
const trainFile = path.join(work, 'train.txt'),
  testFile = path.join(work, 'test.txt');
fs.writeFileSync(trainFile, train.join('\n') + '\n');
fs.writeFileSync(testFile, test.join('\n') + '\n');
console.log(
  `split: train ${train.length} pairs (${trainWords.size} source words), test ${test.length} pairs (${order.length - trainWords.size} source words)`,
);

const cli = (a) => {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [path.join(root, 'dist', 'cli', 'embed.cjs'), ...a, '--models-dir', models], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`embed ${a.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { out: r.stdout, err: r.stderr, seconds: (Date.now() - t0) / 1000 };
};

const runs = [
  ['procrustes', []],
  [`procrustes + refine ${refine}`, ['--refine', refine]],
  ['random orthogonal (control)', ['--random', '--seed', '1']],
];
const rows = [];
let summaryOfFirst = null;
for (const [name, extra] of runs) {
  const out = name.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const a = cli(['align', en, zh, '--dict', trainFile, '-o', out, '--json', ...extra]);
  const s = JSON.parse(a.out);
  summaryOfFirst ??= s;
  const row = { name, alignSeconds: a.seconds, refineRounds: s.refineRounds };
  for (const method of ['nn', 'csls']) {
    const e = cli([
      'eval',
      'translation',
      testFile,
      '-m',
      out,
      '--target',
      s.queryTarget,
      '--json',
      ...(method === 'csls' ? ['--csls'] : []),
    ]);
    const j = JSON.parse(e.out);
    row[method] = {
      p1: j.precision[1],
      p5: j.precision[5],
      p10: j.precision[10],
      queries: j.queries,
      coverage: j.coverage,
      seconds: e.seconds,
    };
  }
  rows.push(row);
  console.error(`${name}: done (${a.seconds.toFixed(0)} s align)`);
}
const pct = (x) => (100 * x).toFixed(1);
console.log(
  `seed dictionary: ${summaryOfFirst.pairsUsed} of ${summaryOfFirst.pairs} train pairs used (${summaryOfFirst.unknownSource} unknown English, ${summaryOfFirst.unknownTarget} unknown Chinese)`,
);
console.log(`test: ${rows[0].nn.queries} English words scored, coverage ${pct(rows[0].nn.coverage)}% of the 1,000 test source words`);
console.log('\n| map | NN P@1 | NN P@5 | NN P@10 | CSLS P@1 | CSLS P@5 | CSLS P@10 | align s |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows)
  console.log(
    `| ${r.name}${r.refineRounds?.length ? ` (pairs per round: ${r.refineRounds.join(', ')})` : ''} | ${pct(r.nn.p1)} | ${pct(r.nn.p5)} | ${pct(r.nn.p10)} | ${pct(r.csls.p1)} | ${pct(r.csls.p5)} | ${pct(r.csls.p10)} | ${r.alignSeconds.toFixed(0)} |`,
  );
console.log(
  `\nloadavg ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}, ${os.cpus().length} cores, node ${process.version}`,
);

if (args.includes('--numpy')) {
  // The same Procrustes run in numpy, from the models exported as word2vec text.
  const enVec = path.join(work, 'en.vec'),
    zhVec = path.join(work, 'zh.vec');
  cli(['export', '-m', en, '-f', 'word2vec-text', '-o', enVec]);
  cli(['export', '-m', zh, '-f', 'word2vec-text', '-o', zhVec]);
  const py = `
import sys, numpy as np
def load(p):
    with open(p, encoding='utf-8') as f:
        n, d = map(int, f.readline().split())
        words, rows = [], []
        for line in f:
            parts = line.rstrip('\\n').split(' ')
            words.append(parts[0]); rows.append(np.array(parts[1:], dtype=np.float64))
    return words, np.vstack(rows)
def norm(x):
    x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-30)
    x = x - x.mean(0)
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-30)
ew, ex = load(sys.argv[1]); zw, zx = load(sys.argv[2])
ex, zx = norm(ex), norm(zx)
ei = {w: i for i, w in reversed(list(enumerate(ew)))}; zi = {w: i for i, w in reversed(list(enumerate(zw)))}
def pairs(p):
    out = []
    for line in open(p, encoding='utf-8'):
        s, t = line.split()
        if s in ei and t in zi: out.append((ei[s], zi[t]))
    return list(dict.fromkeys(out))
tr = pairs(sys.argv[3]); te = pairs(sys.argv[4])
a = np.array([i for i, _ in tr]); b = np.array([j for _, j in tr])
u, s, vt = np.linalg.svd(ex[a].T @ zx[b])
w = u @ vt
m = ex @ w
gold = {}
for i, j in te: gold.setdefault(i, set()).add(j)
q = np.array(list(gold.keys()))
zu = zx / np.linalg.norm(zx, axis=1, keepdims=True)
mu = m / np.linalg.norm(m, axis=1, keepdims=True)
sc = mu[q] @ zu.T
top = np.argsort(-sc, axis=1)[:, :10]
for k in (1, 5, 10):
    print('numpy NN P@%d %.1f' % (k, 100 * np.mean([len(gold[i] & set(top[n, :k])) > 0 for n, i in enumerate(q)])))
print('numpy queries', len(q), 'train pairs', len(tr))
`;
  const r = spawnSync('/usr/bin/python3', ['-c', py, enVec, zhVec, trainFile, testFile], { encoding: 'utf8' });
  console.log(r.stdout + r.stderr);
}
