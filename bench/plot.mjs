#!/usr/bin/env node
// Speed of `embed plot`'s projections (not part of npm test):
//   PCA of 20,000 words: embed's pca() (covariance + Jacobi) against numpy (the same covariance, then
//     numpy.linalg.eigh), alternated, on the same float32 rows;
//   t-SNE (Barnes–Hut, 750 steps) of 1,000 and 5,000 words: wall and CPU seconds of the whole call, and of
//     its phases. No reference t-SNE is installed here (no scikit-learn / openTSNE); the issue measured
//     the npm packages (exact O(N²)): tsne-js took 193 s for 1,000 words.
// os.loadavg() is printed around every run: this machine is shared, so wall times are noisy and CPU
// seconds (process.cpuUsage) say more.
//
//   node bench/plot.mjs --model DIR_OR_VECTOR_FILE [--repeat 2] [--skip-tsne5k]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { loadModel, pca, tsne } from '../dist/index.js';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const model = opt('--model');
if (!model) {
  console.error('usage: node bench/plot.mjs --model DIR_OR_VECTOR_FILE [--repeat 2] [--skip-tsne5k]');
  process.exit(2);
}
const repeat = Number(opt('--repeat', '2'));
const load = () =>
  os
    .loadavg()
    .map((v) => v.toFixed(1))
    .join(' ');
const { kv } = loadModel(model);
const rows = (n) => kv.vectors.subarray(0, Math.min(n, kv.size) * kv.dim);
console.log(`model ${model}: ${kv.size} words × ${kv.dim} dims; node ${process.version}; ${os.cpus().length} CPUs`);

function timed(fn) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const out = fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { out, wall, cpu: (c.user + c.system) / 1e6 };
}

// PCA 20k: embed vs numpy, alternated.
const n20 = Math.min(20000, kv.size);
const x20 = rows(n20);
const raw = path.join(os.tmpdir(), `embed-bench-pca-${process.pid}.f32`);
fs.writeFileSync(raw, Buffer.from(x20.buffer, x20.byteOffset, x20.byteLength));
const numpy = `
import numpy as np, time, resource
x = np.fromfile(${JSON.stringify(raw)}, dtype=np.float32).reshape(${n20}, ${kv.dim})
c0 = time.process_time(); t0 = time.perf_counter()
xc = x.astype(np.float64) - x.mean(axis=0, dtype=np.float64)
cov = xc.T @ xc / (len(x) - 1)
w, v = np.linalg.eigh(cov)
p = xc @ v[:, ::-1][:, :2]
print(f"{time.perf_counter() - t0:.3f} {time.process_time() - c0:.3f}")
`;
for (let r = 0; r < repeat; r++) {
  const before = load();
  const e = timed(() => pca(x20, n20, kv.dim, 2));
  console.log(`PCA ${n20} × ${kv.dim}  embed  wall ${e.wall.toFixed(2)} s  cpu ${e.cpu.toFixed(2)} s  load ${before} → ${load()}`);
  const before2 = load();
  const [w, c] = execFileSync('/usr/bin/python3', ['-c', numpy], {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
  })
    .trim()
    .split(' ');
  console.log(
    `PCA ${n20} × ${kv.dim}  numpy  wall ${Number(w).toFixed(2)} s  cpu ${Number(c).toFixed(2)} s  (one BLAS thread)  load ${before2} → ${load()}`,
  );
}
fs.rmSync(raw, { force: true });

for (const n of [1000, 5000]) {
  if (n === 5000 && args.includes('--skip-tsne5k')) continue;
  const x = rows(n);
  const phases = {};
  const t0 = performance.now();
  const before = load();
  const e = timed(() =>
    tsne(x, n, kv.dim, {
      seed: 1,
      onProgress: (p) => (phases[p.phase] ??= ((performance.now() - t0) / 1000).toFixed(1)),
    }),
  );
  console.log(
    `t-SNE ${n} × ${kv.dim} (750 steps)  wall ${e.wall.toFixed(1)} s  cpu ${e.cpu.toFixed(1)} s  ` +
      `(neighbours done ${phases.calibrate} s, first steps ${phases.optimize} s)  load ${before} → ${load()}`,
  );
}
