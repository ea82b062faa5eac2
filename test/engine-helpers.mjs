// Shared helpers for the engine tests: a small real corpus and rank probes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { train, loadNative } from '../dist/index.js';
import { tmpDir as tempDir } from './helpers.mjs'; // removed at exit: native models read rows lazily

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const XZ = path.resolve(root, '..', 'shared', 'data', 'en', 'enwiki-text8like-100M.txt.xz');

/** The first `bytes` of the shared enwiki corpus, cached in the OS temp dir (cut at a space). */
export function englishSample(bytes = 3_000_000) {
  const out = path.join(os.tmpdir(), `embed-test-en-${bytes}.txt`);
  if (!fs.existsSync(out)) {
    const text = execFileSync('sh', ['-c', `xz -dc '${XZ}' | head -c ${bytes}`], { maxBuffer: bytes + 1024 });
    const cut = text.lastIndexOf(0x20);
    const tmp = `${out}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text.subarray(0, cut > 0 ? cut : text.length));
    fs.renameSync(tmp, out);
  }
  return out;
}

/** Trains a model into a temp dir and returns { kv, summary, vectors }. */
export async function trainModel(corpus, options) {
  const summary = await train(corpus, { output: path.join(tempDir(), 'm'), seed: 1, ...options });
  const { kv } = loadNative(summary.modelPath);
  const vectors = fs.readFileSync(path.join(summary.modelPath, 'vectors.f32'));
  return { kv, summary, vectors };
}

/** Related pairs that a word2vec model of a few MB of Wikipedia puts close together. */
export const PROBES = [
  ['france', 'spain'],
  ['two', 'three'],
  ['king', 'queen'],
  ['january', 'february'],
  ['german', 'french'],
  ['city', 'town'],
  ['war', 'battle'],
  ['north', 'south'],
];

/** Rank (1-based) of b among a's nearest neighbours, Infinity if not in the top n. */
export function rankOf(kv, a, b, n = 20) {
  const i = kv.mostSimilar([a], [], n).findIndex((x) => x.word === b);
  return i < 0 ? Infinity : i + 1;
}

/** How many PROBES have their partner in the top n. */
export function probeHits(kv, n = 20) {
  return PROBES.filter(([a, b]) => kv.has(a) && kv.has(b) && rankOf(kv, a, b, n) <= n).length;
}
