// Writes a random native model (the current format, as `embed train` would) for load/query timing:
//   node bench/make-random-model.mjs DIR WORDS DIM      (e.g. /tmp/models/rand1M 1000000 300)
// Words are 'w0', 'w1', … plus a few real ones at the top. Needs the built library (npm run build).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { KeyedVectors, saveNative } = await import(path.join(root, 'dist', 'index.js'));
const [dir, nArg, dArg] = process.argv.slice(2);
const n = Number(nArg ?? 1_000_000),
  dim = Number(dArg ?? 300);
const real = ['king', 'queen', 'man', 'woman', 'paris', 'france'];
const words = Array.from({ length: n }, (_, i) => (i < real.length ? real[i] : `w${i}`));
const counts = Float64Array.from({ length: n }, (_, i) => n - i);
// Math.imul: a plain product passes 2^53 and loses bits, and the sequence falls into a short cycle.
let seed = 1;
const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32 - 0.5;
const vectors = new Float32Array(n * dim);
for (let j = 0; j < vectors.length; j++) vectors[j] = rnd();
saveNative(path.resolve(dir), new KeyedVectors(words, vectors, dim, counts), { random: true });
console.log(`wrote ${n} × ${dim} random model to ${dir}`);
