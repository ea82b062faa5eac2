// Chinese tokenisation: detection, segmentation, mixed scripts, NFKC folding, Traditional characters,
// the parallel tokenizer and the cache of segmented text. Assertions hold with either segmenter
// (@node-rs/jieba or the Intl.Segmenter fallback).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createTokenizer,
  detectTokenizer,
  tokensText,
  ParallelTokenizer,
  chineseSegmenterId,
  getChineseSegmenterInfo,
  KeyedVectors,
  train,
} from '../dist/index.js';

const zh = createTokenizer('zh', false);

test('raw Chinese is detected as zh; segmented Chinese as space; English as en', () => {
  const raw = '北京大学是中国最早的国立综合性大学，创办于1898年，初名京师大学堂。'.repeat(20);
  assert.equal(detectTokenizer(raw), 'zh');
  assert.equal(detectTokenizer('北京 大学 是 中国 最早 的 国立 综合性 大学 ， 创办 于 1898 年 。\n'.repeat(20)), 'space');
  assert.equal(detectTokenizer('The quick brown fox jumps over the lazy dog. '.repeat(20)), 'en');
});

test('Han runs are segmented into words and nothing is lost', () => {
  const toks = zh('我爱北京天安门');
  assert.ok(toks.includes('北京'), JSON.stringify(toks));
  assert.ok(toks.includes('天安门'), JSON.stringify(toks));
  assert.equal(toks.join(''), '我爱北京天安门');
});

test('mixed text: English words and digits are kept whole, punctuation dropped', () => {
  const toks = zh('我在Google工作，用Python写代码3年了。');
  for (const w of ['Google', 'Python', '3', '工作', '代码']) assert.ok(toks.includes(w), `${w} in ${JSON.stringify(toks)}`);
  for (const t of toks) assert.doesNotMatch(t, /[，。\s]/);
  assert.deepEqual(zh('（）「」。，、《》！？'), []);
  assert.deepEqual(
    zh('1949年10月1日').filter((t) => /\d/.test(t)),
    ['1949', '10', '1'],
  );
});

test('full-width letters, digits and punctuation are folded by NFKC', () => {
  const toks = zh('ＡＢＣ１２３，ｉＰｈｏｎｅ的价格是５９９９元！');
  assert.ok(toks.includes('ABC123'), JSON.stringify(toks));
  assert.ok(toks.includes('5999'), JSON.stringify(toks));
  assert.ok(
    toks.some((t) => t.startsWith('iPhone')),
    JSON.stringify(toks),
  );
  assert.ok(!toks.some((t) => /[\uff00-\uffef]/.test(t)), 'no full-width form survives');
  assert.deepEqual(createTokenizer('zh', true)('ＧＯＯＧＬＥ搜索'), ['google', '搜索']);
});

test('Traditional characters are kept as written (no conversion)', () => {
  const toks = zh('臺灣的電腦很便宜');
  assert.equal(toks.join(''), '臺灣的電腦很便宜');
  assert.ok(!toks.join('').includes('台湾'));
});

test('queries are normalised like the corpus: a full-width query finds the folded word', () => {
  const kv = new KeyedVectors(['ABC', '北京'], new Float32Array([1, 0, 0, 1]), 2);
  assert.equal(kv.indexOf('ＡＢＣ'), 0);
  assert.equal(kv.indexOf('北京'), 1);
});

test('char mode splits Han into characters, keeps other words', () => {
  assert.deepEqual(createTokenizer('char', false)('北京Beijing大学'), ['北', '京', 'Beijing', '大', '学']);
});

test('the segmenter in use is reported, and EMBED_SEGMENTER=intl is honoured by the id', () => {
  const info = getChineseSegmenterInfo();
  assert.match(info.id, /jieba|Intl\.Segmenter/);
  assert.equal(chineseSegmenterId(), info.id);
});

const SAMPLE = [
  '北京大学是中国最早的国立综合性大学，创办于1898年。',
  '',
  '清华大学位于北京市海淀区，是中国著名的高等学府。Tsinghua University.',
  '上海是中国的经济中心，ＧＤＰ总量位居全国城市首位。',
  '臺灣大學位於臺北市。',
];

test('the parallel tokenizer gives the same text, in order, as one thread', async () => {
  const lines = [];
  for (let i = 0; i < 3000; i++) lines.push(SAMPLE[i % SAMPLE.length] + (i % 7 ? '' : ` 第${i}行`));
  const seq = tokensText(
    zh,
    lines,
    lines.map(() => true),
  );
  const pool = new ParallelTokenizer('zh', false, 2);
  let par = '';
  try {
    for (const text of lines) for (const t of await pool.add({ text, lineEnd: true })) par += t;
    for (const t of await pool.finish()) par += t;
  } finally {
    await pool.close();
  }
  assert.equal(par, seq);
  assert.equal(par.split('\n').length - 1, lines.length);
});

test('training on raw Chinese caches the segmented corpus and reuses it; a corrupt cache is rebuilt', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embed-zh-'));
  try {
    const corpus = path.join(dir, 'zh.txt');
    fs.writeFileSync(corpus, Array.from({ length: 400 }, (_, i) => SAMPLE[i % SAMPLE.length]).join('\n') + '\n');
    const modelsDir = path.join(dir, 'models');
    const opts = { modelsDir, threads: 2, epochs: 1, dim: 8, minCount: 1, engine: 'js' };
    const a = await train(corpus, opts);
    assert.equal(a.tokenizer, 'zh');
    assert.match(a.segmenter, /jieba|Intl\.Segmenter/);
    assert.equal(a.tokensFromCache, false);
    const cacheDir = path.join(modelsDir, '.cache');
    const files = fs.readdirSync(cacheDir).sort();
    assert.equal(files.length, 2, files.join());
    const b = await train(corpus, { ...opts, dim: 12, output: 'other' });
    assert.equal(b.tokensFromCache, true);
    assert.equal(b.corpusTokens, a.corpusTokens);
    assert.equal(b.vocabSize, a.vocabSize);
    // Truncate the token file: the entry no longer matches its record and must be ignored.
    const tokens = files.find((f) => f.endsWith('.tokens'));
    fs.truncateSync(path.join(cacheDir, tokens), 10);
    const c = await train(corpus, opts);
    assert.equal(c.tokensFromCache, false);
    assert.equal(c.corpusTokens, a.corpusTokens);
    // Garbage in the record is ignored too.
    fs.writeFileSync(
      path.join(
        cacheDir,
        files.find((f) => f.endsWith('.json')),
      ),
      '{not json',
    );
    assert.equal((await train(corpus, opts)).tokensFromCache, false);
    // cache: false neither reads nor writes it.
    fs.rmSync(cacheDir, { recursive: true });
    const d = await train(corpus, { ...opts, cache: false });
    assert.equal(d.tokensFromCache, false);
    assert.equal(fs.existsSync(cacheDir), false);
    // A changed corpus (size/mtime) misses.
    fs.appendFileSync(corpus, '新的一行。\n');
    await train(corpus, opts);
    const e = await train(corpus, opts);
    assert.equal(e.tokensFromCache, true);
    assert.ok(e.corpusTokens > a.corpusTokens);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
