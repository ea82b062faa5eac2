// Pass 1's fast path (first-seen ids counted in a WordTable, ASCII tokenised as ranges) must give what the
// text path gives: the same vocabulary in the same order, the same token cache, byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createTokenizer, buildVocabulary } from '../dist/index.js';
import { asciiSpaceRanges, asciiWordRanges, scanCorpus, IdScan } from '../dist/internal.js';
import { tmpDir } from './helpers.mjs';

function lcg(seed) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const PIECES = [
  'a',
  'Z',
  'q',
  '0',
  '9',
  '_',
  "'",
  '-',
  '+',
  '++',
  '#',
  'C',
  'c',
  'F',
  ' ',
  '  ',
  ',',
  '.',
  '\t',
  '\r',
  '\v',
  '\f',
  '!',
  '\x1c',
  '\x00',
  'x',
  'ab',
];

test('ASCII range tokenizers give the regex tokenizers’ tokens on random ASCII text', () => {
  const rand = lcg(7);
  for (let k = 0; k < 3000; k++) {
    let s = '';
    const len = Math.floor(rand() * 40);
    for (let i = 0; i < len; i++) s += PIECES[Math.floor(rand() * PIECES.length)];
    for (const [mode, ranges] of [
      ['en', asciiWordRanges],
      ['char', asciiWordRanges],
      ['space', asciiSpaceRanges],
      ['ids', asciiSpaceRanges],
    ]) {
      for (const lowercase of [false, true]) {
        const got = [];
        ranges(Buffer.from(s, 'latin1'), s.length, (a, b) => got.push(lowercase ? s.slice(a, b).toLowerCase() : s.slice(a, b)));
        assert.deepEqual(got, createTokenizer(mode, lowercase)(s), `${mode} ${lowercase} ${JSON.stringify(s)}`);
      }
    }
  }
});

/** Scans `corpus` both ways and returns the vocabulary entries and the token cache bytes of each. */
async function bothWays(corpus, tokenizer, minCount) {
  const out = [];
  for (const ids of [false, true]) {
    const dir = tmpDir();
    const files = { tokens: path.join(dir, 'tokens.txt'), ...(ids ? { ids: path.join(dir, 'first.i32') } : {}) };
    const cfg = { tokenizer, lowercase: true, encoding: 'auto', threads: 1 };
    const scan = await scanCorpus(corpus, cfg, files, () => {}, undefined, null);
    assert.equal(scan.ids !== null, ids, 'the fast path is taken when ids are asked for');
    const vocab = buildVocabulary(scan.counts, minCount);
    const cachePath = path.join(dir, 'ids.i32');
    if (scan.ids) scan.ids.writeTokenCache(vocab, 7, cachePath);
    else {
      // The text path's pass 2, as prepare.ts runs it: tokens → ids, lines cut every 7 ids.
      const { TokenCacheWriter } = await import('../dist/internal.js');
      const w = new TokenCacheWriter(cachePath, 7);
      for (const line of fs.readFileSync(files.tokens, 'utf8').split('\n')) {
        for (const t of line.split(' ')) if (t && vocab.index.has(t)) w.addId(vocab.index.get(t));
        w.endLine();
      }
      w.close();
    }
    out.push({
      words: vocab.words,
      counts: [...vocab.counts],
      tokens: scan.counts.tokens,
      cache: fs.readFileSync(cachePath),
      warnings: scan.warnings,
    });
  }
  return out;
}

test('fast pass 1 and text pass 1 agree: vocabulary, order, counts, token cache, warnings', async () => {
  const dir = tmpDir();
  const rand = lcg(11);
  // Non-ASCII where a line splits for the fast path: at word ends, inside words, NFKC that makes ASCII
  // (ＡＢＣdef, ﬁne) or spaces (no-break, em space), a combining mark after a space, final sigma.
  const words = [
    'the',
    'King',
    'queen',
    "don't",
    'well-known',
    'C++',
    'c#',
    'café',
    'ＡＢＣdef',
    'naïve',
    'über',
    '人工',
    '智能',
    'x_y',
    '2024',
    '“quoted”',
    'it’s',
    'a\u00a0b',
    'x\u2003y',
    '\u0301e',
    'ﬁne',
    'ΟΔΟΣ',
    'A—B',
    '人工_智能',
  ];
  const lines = [];
  for (let i = 0; i < 400; i++) {
    const n = Math.floor(rand() * 30);
    const ws = [];
    for (let j = 0; j < n; j++) ws.push(words[Math.floor(rand() * (i % 3 ? 8 : words.length))]);
    lines.push(ws.join(rand() < 0.2 ? ' , ' : ' '));
    if (rand() < 0.1) lines.push('');
  }
  // One line longer than the reader's chunk (cut at spaces), CRLF endings, a bad UTF-8 byte.
  const long = Array.from({ length: 300_000 }, (_, i) => words[i % 7]).join(' ');
  const text = Buffer.concat([Buffer.from(lines.join('\r\n') + '\n' + long + '\nend line\n'), Buffer.from([0x61, 0xff, 0x62, 0x0a])]);
  const plain = path.join(dir, 'c.txt');
  fs.writeFileSync(plain, text);
  const gz = path.join(dir, 'c.gz');
  fs.writeFileSync(gz, zlib.gzipSync(text));
  for (const [file, tokenizer, minCount] of [
    [plain, 'en', 1],
    [plain, 'en', 3],
    [plain, 'space', 2],
    [plain, 'char', 1],
    [plain, 'auto', 1],
    [gz, 'en', 2],
  ]) {
    const [slow, fast] = await bothWays(file, tokenizer, minCount);
    assert.deepEqual(fast.words, slow.words, `${tokenizer} ${minCount}: vocabulary`);
    assert.deepEqual(fast.counts, slow.counts);
    assert.equal(fast.tokens, slow.tokens);
    assert.ok(fast.cache.equals(slow.cache), `${tokenizer} ${minCount}: token cache`);
    assert.deepEqual(fast.warnings, slow.warnings);
    assert.equal(fast.warnings.length, 1, 'the bad byte is reported');
  }
});

test('after a prune, earlier ids are renumbered and the dropped words’ earlier occurrences are dropped', () => {
  const dir = tmpDir();
  const scan = new IdScan(path.join(dir, 'first.i32'), 'en', false);
  scan.add('a b a c', true);
  assert.equal(scan.prune(3, 1), 1, 'no prune at the limit');
  assert.equal(scan.prune(2, 1), 2, 'a table of 3 words over a limit of 2 prunes');
  scan.add('b a d', true);
  assert.equal(scan.prune(2, 2), 3, 'a, b and d: over the limit again');
  scan.add('d e a', true);
  scan.close();
  const vocab = buildVocabulary(scan.table, 1);
  // First prune drops b and c (seen once); the second drops b (1) and d (1 ≤ 2); a survives both.
  assert.deepEqual(vocab.words, ['a', 'd', 'e']);
  const cache = scan.writeTokenCache(vocab, 100, path.join(dir, 'ids.i32'));
  assert.deepEqual([...new Int32Array(Uint8Array.from(fs.readFileSync(cache.path)).buffer)], [0, 0, -1, 0, -1, 1, 2, 0, -1]);
  assert.equal(fs.existsSync(path.join(dir, 'first.i32')), false, 'the provisional ids are removed');
});
