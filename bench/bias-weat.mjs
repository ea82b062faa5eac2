// WEAT 1-10 by embed and by the independent numpy script (test/fixtures/bias/weat_reference.py) on the
// same word2vec binary file, side by side: the README's "Measuring bias" table.
//   node bench/bias-weat.mjs VECTORS.bin
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const vec = process.argv[2];
if (!vec) throw new Error('usage: node bench/bias-weat.mjs VECTORS.bin');
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bias-weat-')), 'ref.json');
const embed = spawnSync(process.execPath, [path.join(root, 'dist/cli/embed.cjs'), 'bias', 'weat', '--json', '-m', vec], {
  encoding: 'utf8',
});
if (embed.status !== 0) throw new Error(embed.stderr);
const ref = spawnSync('/usr/bin/python3', [path.join(root, 'test/fixtures/bias/weat_reference.py'), vec, out], { encoding: 'utf8' });
if (ref.status !== 0) throw new Error(ref.stderr);
const e = JSON.parse(embed.stdout).tests;
const r = JSON.parse(fs.readFileSync(out, 'utf8')).tests;
const fp = (p) => (p >= 1e-3 ? p.toFixed(4) : p.toExponential(1));
console.log(`| test | X / Y | words X Y A B | d embed | d numpy | p embed | p numpy | p from | IAT d |`);
console.log(`|---|---|---|---|---|---|---|---|---|`);
let worst = 0;
e.forEach((t, i) => {
  worst = Math.max(worst, Math.abs(t.effectSize - r[i].effectSize));
  console.log(
    `| ${t.id} | ${t.sets[0].name} / ${t.sets[1].name} | ${t.sets.map((s) => `${s.used.length}/${s.total}`).join(' ')} | ${t.effectSize.toFixed(2)} | ${r[i].effectSize.toFixed(2)} | ${fp(t.pValue)} | ${fp(r[i].pValue)} | ${t.pMethod} ${t.permutations} / ${r[i].permutations} | ${t.iat?.d ?? '–'} |`,
  );
});
console.log(
  `largest |d embed − d numpy| ${worst.toExponential(1)}; load average ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
