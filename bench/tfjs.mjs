#!/usr/bin/env node
// Benchmark of the tfjs engine against the compiled engines: trains each on the same corpus with the
// same settings and prints words/s (with the TensorFlow.js backend named) and, given an analogy file,
// 3CosAdd accuracy (embed's `eval analogies`: gensim's rules, 30k restriction, case-insensitive).
//
//   npm run build && node bench/tfjs.mjs CORPUS [--epochs 1] [--arch skipgram] [--loss ns]
//       [--engines wasm,js] [--backends wasm,cpu] [--batches 1024,4096]
//       [--questions ../shared/data/en/questions-words.txt]
//
// The tfjs engine is expected to be much slower than the js engine on cpu/wasm (see src/engine/tfjs/engine.ts);
// it exists for native TensorFlow (tfjs-node, tfjs-node-gpu) where those install.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { train, loadModel, evaluateAnalogies, readAnalogyFile } from '../dist/index.js';

const { values: o, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    epochs: { type: 'string', default: '1' },
    engines: { type: 'string', default: 'wasm' },
    arch: { type: 'string', default: 'skipgram' },
    loss: { type: 'string', default: 'ns' },
    threads: { type: 'string', default: String(os.availableParallelism()) },
    backends: { type: 'string', default: 'wasm' },
    batches: { type: 'string', default: '0' },
    questions: { type: 'string' },
    restrict: { type: 'string', default: '30000' },
  },
});
if (positionals.length !== 1) {
  console.error(
    'usage: node bench/tfjs.mjs CORPUS [--epochs N] [--arch skipgram|cbow] [--loss ns|hs] [--engines wasm,js] [--backends wasm,cpu] [--batches 1024,4096] [--questions FILE]',
  );
  process.exit(2);
}
const corpus = positionals[0];
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'embed-bench-tfjs-'));

const runs = o.engines
  .split(',')
  .filter(Boolean)
  .map((engine) => ({ engine }));
for (const backend of o.backends.split(','))
  for (const batchSize of o.batches.split(',').map(Number)) runs.push({ engine: 'tfjs', backend, batchSize });

console.log(['engine', 'words/s', 'seconds', 'loss', 'analogy', 'details'].join('\t'));
try {
  for (const r of runs) {
    const s = await train(corpus, {
      ...r,
      epochs: Number(o.epochs),
      arch: o.arch,
      loss: o.loss,
      threads: Number(o.threads),
      modelsDir: work,
      output: 'm',
    });
    let acc = '';
    if (o.questions) {
      const r = await evaluateAnalogies(loadModel(s.modelPath).kv, readAnalogyFile(o.questions), { restrictVocab: Number(o.restrict) });
      acc = `${(100 * r.total.accuracy).toFixed(2)}% of ${r.total.answered}`;
    }
    console.log([s.engine, Math.round(s.wordsPerSec), s.trainSeconds.toFixed(1), s.finalLoss.toFixed(4), acc, s.engineDetails].join('\t'));
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
