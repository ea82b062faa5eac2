#!/usr/bin/env node
// Pre-training speed: reading, tokenising and counting the corpus, building the vocabulary and writing it
// as ids (embed's prepareCorpus, what a user waits for before the first epoch), in MB of corpus a second.
//
//   node bench/pass-one.mjs [--corpus FILE,...] [--runs 3] [--base /path/to/other/checkout/dist[,…]]
//
// Default corpora: the enwiki-text8like 100 MB (one line), the same text as 800-byte lines (paragraphs),
// and the raw Chinese zhwiki sample (segmented by jieba on worker threads, cache off). Each run is a
// fresh process; with --base, the other builds run alternately with this one, so all see the same load.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './args.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.join(root, '.bench');
const shared = path.resolve(root, '..', 'shared', 'data');
const opts = parseArgs(process.argv.slice(2), { runs: '3' });
fs.mkdirSync(benchDir, { recursive: true });

/** `xz -dc src > out` once. */
function unpacked(src, name) {
  const out = path.join(benchDir, name);
  if (!fs.existsSync(out)) {
    execFileSync('sh', ['-c', `xz -dc '${src}' > '${out}.tmp' && mv '${out}.tmp' '${out}'`]);
  }
  return out;
}

/** The same words as `file`, in lines of about 800 bytes cut at spaces (a corpus of paragraphs). */
function paragraphs(file) {
  const out = path.join(benchDir, path.basename(file, '.txt') + '.paragraphs.txt');
  if (!fs.existsSync(out)) execFileSync('sh', ['-c', `fold -s -w 800 '${file}' > '${out}.tmp' && mv '${out}.tmp' '${out}'`]);
  return out;
}

function corpora() {
  if (opts.corpus)
    return String(opts.corpus)
      .split(',')
      .map((f) => path.resolve(f));
  const en = unpacked(path.join(shared, 'en', 'enwiki-text8like-100M.txt.xz'), 'en100M.txt');
  return [en, paragraphs(en), unpacked(path.join(shared, 'zh', 'zhwiki-sample-20MB.txt.xz'), 'zh20M.txt')];
}

// One run in a fresh process: prepareCorpus as train() calls it (word2vec's settings, 2 threads).
const child = `
  const [dist, corpus, work] = process.argv.slice(2);
  const { prepareCorpus } = await import(dist + '/corpus/prepare.js');
  const fs = await import('node:fs');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const t0 = performance.now();
  const p = await prepareCorpus(corpus, work, { tokenizer: 'auto', lowercase: true, encoding: 'auto', threads: 2, minCount: 5,
    maxVocab: 0, maxSentenceLength: 1000, cacheDir: null, onEvent: () => {}, onVocabulary: () => {} });
  const s = (performance.now() - t0) / 1000;
  fs.rmSync(work, { recursive: true, force: true });
  console.log(JSON.stringify({ s, tokens: p.corpusTokens, vocab: p.vocab.words.length, tokenizer: p.tokenizer }));`;

// A file, not -e: worker threads (Chinese segmentation) inherit execArgv, and --input-type with it.
const childFile = path.join(benchDir, `pass-one-child-${process.pid}.mjs`);
fs.writeFileSync(childFile, child);
process.on('exit', () => fs.rmSync(childFile, { force: true }));

function runOnce(dist, corpus) {
  const r = spawnSync(process.execPath, [childFile, dist, corpus, path.join(benchDir, `pass-one-${process.pid}`)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`prepareCorpus failed on ${corpus}: ${r.stderr.slice(-1000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

// --base DIST[,DIST…]: other builds (their dist/ folders), named by the folder that holds them.
const builds = [['embed', path.join(root, 'dist')]];
if (opts.base) for (const d of String(opts.base).split(',')) builds.push([path.basename(path.dirname(path.resolve(d))), path.resolve(d)]);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
console.log(`pre-training (prepareCorpus) MB/s, ${opts.runs} runs each, load average ${load()}`);
console.log(['corpus', 'MB', 'build', 'tokenizer', 'tokens', 'vocab', 'best s', 'median s', 'MB/s (best)', 'MB/s (median)'].join('\t'));
for (const corpus of corpora()) {
  const mb = fs.statSync(corpus).size / 1e6;
  const times = new Map(builds.map(([name]) => [name, []]));
  let info = {};
  for (let i = 0; i < +opts.runs; i++)
    for (const [name, dist] of builds) {
      const r = runOnce(dist, corpus);
      times.get(name).push(r.s);
      info[name] = r;
    }
  for (const [name] of builds) {
    const t = times.get(name);
    const best = Math.min(...t);
    const med = median(t);
    const r = info[name];
    console.log(
      [
        path.basename(corpus),
        mb.toFixed(0),
        name,
        r.tokenizer,
        r.tokens,
        r.vocab,
        best.toFixed(2),
        med.toFixed(2),
        (mb / best).toFixed(1),
        (mb / med).toFixed(1),
      ].join('\t'),
    );
  }
}
console.log(`load average now: ${load()}`);
