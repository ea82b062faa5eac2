// Writes a random native model for load/query timing: node bench/make-random-model.mjs DIR WORDS DIM
// (e.g. /tmp/models/rand1M 1000000 300). Words are 'w0', 'w1', … plus a few real ones at the top.
import fs from 'node:fs';
import path from 'node:path';

const [dir, nArg, dArg] = process.argv.slice(2);
const n = Number(nArg ?? 1_000_000),
  dim = Number(dArg ?? 300);
fs.mkdirSync(dir, { recursive: true });
const real = ['king', 'queen', 'man', 'woman', 'paris', 'france'];
const words = Array.from({ length: n }, (_, i) => (i < real.length ? real[i] : `w${i}`));
fs.writeFileSync(path.join(dir, 'vocab.tsv'), words.map((w, i) => `${w}\t${n - i}\n`).join(''));
const fd = fs.openSync(path.join(dir, 'vectors.f32'), 'w');
let seed = 1;
const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5;
const rows = 10000;
for (let i = 0; i < n; i += rows) {
  const m = Math.min(rows, n - i);
  const a = new Float32Array(m * dim);
  for (let j = 0; j < a.length; j++) a[j] = rnd();
  fs.writeSync(fd, new Uint8Array(a.buffer));
}
fs.closeSync(fd);
fs.writeFileSync(
  path.join(dir, 'meta.json'),
  JSON.stringify({ format: 'embed-model', version: 1, vocabSize: n, dim, lowercase: false, created: new Date().toISOString() }, null, 2) +
    '\n',
);
console.log(`wrote ${n} × ${dim} random model to ${dir}`);
