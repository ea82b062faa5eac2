#!/usr/bin/env node
// Compares Chinese segmenters: speed on a corpus (Han runs, as the tokenizer hands them over, NFKC
// included) and agreement with python jieba (word F1 over Han words, boundary F1) on its first lines.
// Candidates that are not installed are skipped (jieba-wasm is not a dependency: `npm i --no-save jieba-wasm`).
//
//   node bench/segmenters.mjs [CORPUS.txt] [REF_LINES]      (needs /usr/bin/python3 with jieba)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const corpus = process.argv[2] ?? '/tmp/d/zh20M.txt';
const refLines = +(process.argv[3] ?? 5000);
const lines = fs.readFileSync(corpus, 'utf8').split('\n');

// Reference segmentation of the first refLines lines by python jieba (default mode, HMM on).
const refFile = path.join(os.tmpdir(), `jieba-ref-${refLines}.json`);
const py = String.raw`
import sys, json, jieba
jieba.setLogLevel(60)
n = int(sys.argv[2]); out = []
with open(sys.argv[1], encoding='utf-8') as f:
    for i, line in enumerate(f):
        if i >= n: break
        out.append(list(jieba.cut(line.rstrip('\n'))))
json.dump(out, open(sys.argv[3], 'w'), ensure_ascii=False)
`;
const r = spawnSync('/usr/bin/python3', ['-c', py, corpus, String(refLines), refFile], { stdio: 'inherit' });
if (r.status !== 0) process.exit(1);
const ref = JSON.parse(fs.readFileSync(refFile, 'utf8'));

const intl = new Intl.Segmenter('zh', { granularity: 'word' });
const candidates = {
  'Intl.Segmenter': () => (run) => {
    const o = [];
    for (const s of intl.segment(run)) if (s.isWordLike) o.push(s.segment);
    return o;
  },
  '@node-rs/jieba (hmm)': () => {
    const { Jieba } = require('@node-rs/jieba');
    const j = Jieba.withDict(require('@node-rs/jieba/dict').dict);
    return (run) => j.cut(run, true);
  },
  '@node-rs/jieba (no hmm)': () => {
    const { Jieba } = require('@node-rs/jieba');
    const j = Jieba.withDict(require('@node-rs/jieba/dict').dict);
    return (run) => j.cut(run, false);
  },
  'jieba-wasm (hmm)': () => {
    const w = require('jieba-wasm');
    return (run) => w.cut(run, true);
  },
};

const HAN_RUN = /\p{Script=Han}+/gu;
const HAN_WORD = /^\p{Script=Han}+$/u;
/** Spans 'start:end' of the pure-Han words of a token list, located in the line. */
function spans(tokens, line) {
  const out = new Set();
  let pos = 0;
  for (const w of tokens) {
    const i = line.indexOf(w, pos);
    if (i < 0) continue;
    if (HAN_WORD.test(w)) out.add(`${i}:${i + w.length}`);
    pos = i + w.length;
  }
  return out;
}
const f1 = (tp, np, nr) => (2 * tp) / (np + nr);

for (const [name, make] of Object.entries(candidates)) {
  let seg;
  const t0 = Date.now();
  try {
    seg = make();
    seg('预热');
  } catch (e) {
    console.log(`${name}: not available (${String(e.message).split('\n')[0]})`);
    continue;
  }
  const loadMs = Date.now() - t0;
  let tp = 0,
    np = 0,
    nr = 0,
    btp = 0,
    bnp = 0,
    bnr = 0;
  for (let i = 0; i < ref.length; i++) {
    const line = lines[i];
    const rs = spans(ref[i], line);
    const cs = new Set();
    for (const m of line.matchAll(HAN_RUN)) {
      let p = m.index;
      for (const w of seg(m[0])) {
        cs.add(`${p}:${p + w.length}`);
        p += w.length;
      }
    }
    for (const s of cs) if (rs.has(s)) tp++;
    np += cs.size;
    nr += rs.size;
    const rb = new Set([...rs].map((s) => s.split(':')[1]));
    const cb = new Set([...cs].map((s) => s.split(':')[1]));
    for (const b of cb) if (rb.has(b)) btp++;
    bnp += cb.size;
    bnr += rb.size;
  }
  // Speed: the whole corpus (Intl.Segmenter: the first 4 MB, it is slow).
  const limit = name.startsWith('Intl') ? 4e6 : Infinity;
  let bytes = 0;
  const t = process.hrtime.bigint();
  for (const line of lines) {
    if (bytes > limit) break;
    bytes += Buffer.byteLength(line) + 1;
    for (const m of line.normalize('NFKC').matchAll(HAN_RUN)) seg(m[0]);
  }
  const sec = Number(process.hrtime.bigint() - t) / 1e9;
  console.log(
    `${name}: ${(bytes / 1e6 / sec).toFixed(2)} MB/s (one thread, ${(bytes / 1e6).toFixed(1)} MB), load ${loadMs} ms, ` +
      `word F1 ${(100 * f1(tp, np, nr)).toFixed(1)} (P ${((100 * tp) / np).toFixed(1)} R ${((100 * tp) / nr).toFixed(1)}), boundary F1 ${(100 * f1(btp, bnp, bnr)).toFixed(1)} vs python jieba on ${ref.length} lines`,
  );
}
