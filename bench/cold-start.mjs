// Cold start against gensim 4.2, each a fresh process, alternated and repeated (issue 19, "Cold start"):
//   node bench/cold-start.mjs --model70k DIR --model1m DIR [--questions FILE] [--runs 5] [--base CLI]
// - `embed similar king` on a native model vs gensim's KeyedVectors.load_word2vec_format + most_similar
//   on the same vectors (word2vec binary, written once by `embed export` beside the model), and on the
//   1M model also gensim's own format opened with mmap='r' (written once);
// - `embed eval analogies --restrict-vocab 30000` vs gensim's evaluate_word_analogies(restrict_vocab=30000).
// --base CLI also times another build of embed (e.g. the code before a change) on the same commands.
// Prints min and median wall and CPU seconds (CPU says more on a loaded machine) and os.loadavg()
// before and after each row.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const model70k = opt('model70k', '/tmp/cs/enwiki');
const model1m = opt('model1m', '/tmp/cs/rand1M');
const questions = opt('questions', path.join(root, '..', 'shared', 'data', 'en', 'questions-words.txt'));
const runs = Number(opt('runs', '5'));
const base = opt('base', null);
const word = opt('word', 'king');
const cli = path.join(root, 'dist', 'cli', 'embed.cjs');
const python = '/usr/bin/python3';

const cpuFile = path.join(os.tmpdir(), `embed-cold-start-${process.pid}.cpu`);

/** Runs a command; its wall seconds and CPU seconds (user + system, from /usr/bin/time). */
function run(cmd, argv) {
  const t = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', cpuFile, cmd, ...argv], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
  const [user, sys] = fs.readFileSync(cpuFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  return { wall: s, cpu: user + sys };
}

const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const stat = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return `min ${s[0].toFixed(3)}, median ${s[Math.floor(s.length / 2)].toFixed(3)}`;
};
const fmt = (rs) => `wall ${stat(rs.map((r) => r.wall))} s; cpu ${stat(rs.map((r) => r.cpu))} s`;

/** Times each named command `runs` times, alternating between them, and prints one line each. */
function compare(title, cmds) {
  const before = load();
  const times = cmds.map(() => []);
  for (let i = 0; i < runs; i++) cmds.forEach(([, cmd, argv], j) => times[j].push(run(cmd, argv)));
  console.log(`\n${title} (load average before: ${before}, after: ${load()})`);
  cmds.forEach(([name], j) => console.log(`  ${name.padEnd(41)} ${fmt(times[j])}`));
}

function exportBin(dir) {
  const file = `${dir}.w2v.bin`;
  if (!fs.existsSync(file)) run('node', [cli, 'export', '-m', dir, '-f', 'word2vec-bin', '-o', file]);
  return file;
}

const gensimSimilar = (file, w) =>
  `from gensim.models import KeyedVectors\nkv = KeyedVectors.load_word2vec_format(${JSON.stringify(file)}, binary=True)\nprint(kv.most_similar(${JSON.stringify(w)}, topn=10))`;
const gensimMmap = (file, w) =>
  `from gensim.models import KeyedVectors\nkv = KeyedVectors.load(${JSON.stringify(file)}, mmap='r')\nprint(kv.most_similar(${JSON.stringify(w)}, topn=10))`;

console.log(`embed cold start vs gensim 4.2; ${os.cpus().length} cores, ${runs} runs each, alternated; node ${process.version}`);
compare('node startup', [['node -e 0', 'node', ['-e', '0']]]);

for (const [label, dir] of [
  ['70k', model70k],
  ['1M', model1m],
]) {
  if (!fs.existsSync(dir)) {
    console.log(`\n(skipped ${label}: no model at ${dir})`);
    continue;
  }
  const bin = exportBin(dir);
  const cmds = [[`embed similar ${word}`, 'node', [cli, 'similar', word, '-m', dir]]];
  if (base) cmds.push([`base embed similar ${word}`, 'node', [base, 'similar', word, '-m', dir]]);
  cmds.push(['gensim load_word2vec_format+most_similar', python, ['-c', gensimSimilar(bin, word)]]);
  if (label === '1M') {
    const kvFile = `${dir}.gensim.kv`;
    if (!fs.existsSync(kvFile))
      run(python, [
        '-c',
        `from gensim.models import KeyedVectors\nKeyedVectors.load_word2vec_format(${JSON.stringify(bin)}, binary=True).save(${JSON.stringify(kvFile)})`,
      ]);
    cmds.push(['gensim load(mmap=r)+most_similar', python, ['-c', gensimMmap(kvFile, word)]]);
  }
  compare(`similar on ${dir} (${label})`, cmds);
}

if (fs.existsSync(model70k) && fs.existsSync(questions)) {
  const bin = exportBin(model70k);
  const cmds = [['embed eval analogies', 'node', [cli, 'eval', 'analogies', questions, '-m', model70k, '--restrict-vocab', '30000']]];
  if (base)
    cmds.push(['base embed eval analogies', 'node', [base, 'eval', 'analogies', questions, '-m', model70k, '--restrict-vocab', '30000']]);
  cmds.push([
    'gensim evaluate_word_analogies',
    python,
    [
      '-c',
      `import logging\nfrom gensim.models import KeyedVectors\nkv = KeyedVectors.load_word2vec_format(${JSON.stringify(bin)}, binary=True)\nprint(kv.evaluate_word_analogies(${JSON.stringify(questions)}, restrict_vocab=30000)[0])`,
    ],
  ]);
  compare(`analogies, ${questions}, restrict 30000, model ${model70k}`, cmds);
}
