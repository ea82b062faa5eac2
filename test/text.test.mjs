import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createTokenizer, detectTokenizer, readCorpus, normalizeText } from '../dist/index.js';
import { tmpDir } from './helpers.mjs';

test('space tokenizer splits on any whitespace and keeps punctuation tokens', () => {
  const t = createTokenizer('space', false);
  assert.deepEqual(t('  the cat,  sat\ton the\u3000mat . \r'), ['the', 'cat,', 'sat', 'on', 'the', 'mat', '.']);
  assert.deepEqual(t(''), []);
});

test('en tokenizer keeps words with inner apostrophes and hyphens, drops punctuation, lowercases on request', () => {
  const t = createTokenizer('en', true);
  assert.deepEqual(t("Don't stop -- the well-known U.S. café, naïve!"), ["don't", 'stop', 'the', 'well-known', 'u', 's', 'café', 'naïve']);
  assert.deepEqual(createTokenizer('en', false)('King Arthur'), ['King', 'Arthur']);
});

test('C++, C# and F# stay words in every tokenizer, other + and # are dropped', () => {
  for (const mode of ['en', 'zh', 'char']) {
    const t = createTokenizer(mode, true);
    assert.deepEqual(
      t('I use C++, C# and F#; a+b #tag c++11 abc#'),
      ['i', 'use', 'c++', 'c#', 'and', 'f#', 'a', 'b', 'tag', 'c', '11', 'abc'],
      mode,
    );
    assert.deepEqual(t('café C++ über'), ['café', 'c++', 'über'], mode); // the non-ASCII path
  }
  const zh = createTokenizer('zh', false)('我学习C++和C#编程');
  assert.ok(zh.includes('C++') && zh.includes('C#'), zh.join('|'));
});

test('zh tokenizer segments Han runs into words and keeps other scripts as words', () => {
  const t = createTokenizer('zh', false);
  const toks = t('我爱北京天安门，hello world 2024年');
  assert.ok(toks.includes('北京'), toks.join('|'));
  assert.ok(toks.includes('hello') && toks.includes('world'), toks.join('|'));
  assert.ok(!toks.some((w) => /[，\s]/.test(w)), 'no punctuation or spaces in tokens');
  // Words cover the Han text exactly, in order.
  assert.equal(toks.filter((w) => /\p{Script=Han}/u.test(w)).join(''), '我爱北京天安门年');
});

test('NFKC folds full-width forms; Traditional characters are kept as written', () => {
  assert.equal(normalizeText('ＡＢＣ１２３，', false), 'ABC123,');
  const t = createTokenizer('zh', false);
  assert.deepEqual(t('ＡＢＣ１２３').join(' '), 'ABC123');
  assert.ok(t('國王很好').join('').includes('國王'));
});

test('char tokenizer gives one token per Han character', () => {
  assert.deepEqual(createTokenizer('char', false)('中国 AI 很好'), ['中', '国', 'AI', '很', '好']);
});

test('auto detection: English → en, raw Chinese → zh, space-segmented Chinese → space', () => {
  assert.equal(detectTokenizer('the quick brown fox jumps over the lazy dog'), 'en');
  assert.equal(detectTokenizer('中华人民共和国是一个位于东亚的国家，首都是北京。'), 'zh');
  assert.equal(detectTokenizer('中华 人民 共和国 是 一个 位于 东亚 的 国家 ， 首都 是 北京 。'), 'space');
});

async function collect(file, opts) {
  const chunks = [];
  for await (const c of readCorpus(file, opts)) chunks.push(c);
  return chunks;
}

test('corpus reader: lines, CRLF, gzip detected from content, no trailing newline', async () => {
  const dir = tmpDir();
  const plain = path.join(dir, 'a.txt');
  fs.writeFileSync(plain, 'one two\r\nthree\n\nfour');
  const gz = path.join(dir, 'b.data'); // no .gz extension: detection is by content
  fs.writeFileSync(gz, zlib.gzipSync('one two\r\nthree\n\nfour'));
  for (const f of [plain, gz]) {
    const chunks = await collect(f);
    assert.deepEqual(
      chunks.map((c) => c.text),
      ['one two\r', 'three', '', 'four'],
    );
    assert.ok(chunks.every((c) => c.lineEnd));
  }
});

test('corpus reader: an overlong line comes in chunks cut at spaces, nothing lost', async () => {
  const dir = tmpDir();
  const f = path.join(dir, 'long.txt');
  const words = Array.from({ length: 50_000 }, (_, i) => `w${i}`);
  fs.writeFileSync(f, words.join(' '));
  const chunks = await collect(f, { maxChunkChars: 10_000 });
  assert.ok(chunks.length > 20);
  assert.ok(chunks.slice(0, -1).every((c) => !c.lineEnd && c.text.length <= 10_000));
  assert.equal(chunks.at(-1).lineEnd, true);
  const tok = createTokenizer('space', false);
  assert.deepEqual(
    chunks.flatMap((c) => tok(c.text)),
    words,
  );
});

test('corpus reader: a multi-byte character split across read blocks survives', async () => {
  const dir = tmpDir();
  const f = path.join(dir, 'zh.txt');
  const line = '中文字符'.repeat(300_000); // > 1 MiB read blocks, no spaces
  fs.writeFileSync(f, line + '\n');
  const chunks = await collect(f, { maxChunkChars: 100_000 });
  assert.equal(chunks.map((c) => c.text).join(''), line);
});

test('corpus reader: ASCII blocks (decoded fast) after a block that ends inside a character', async () => {
  const dir = tmpDir();
  const f = path.join(dir, 'cut.txt');
  // 1 MiB read blocks: the first ends with a lead byte whose sequence never finishes, the next two are
  // pure ASCII. The replacement character belongs where the bad byte was, not where decoding resumes.
  const ascii = ' b'.repeat(1 << 20);
  fs.writeFileSync(f, Buffer.concat([Buffer.from('a'.repeat((1 << 20) - 1)), Buffer.from([0xc3]), Buffer.from(ascii + ' é\n')]));
  const warnings = [];
  const chunks = await collect(f, { maxChunkChars: 1 << 22, warnings });
  assert.equal(chunks.map((c) => c.text).join(''), 'a'.repeat((1 << 20) - 1) + '\ufffd' + ascii + ' é');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /1 bytes are not valid UTF-8/);
});

test('corpus reader rejects binary files with a clear message', async () => {
  const dir = tmpDir();
  const f = path.join(dir, 'bin.dat');
  fs.writeFileSync(f, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 2, 3, 0, 0]));
  await assert.rejects(collect(f), /binary file/);
});

test('a very long Han run (no punctuation) is segmented in bounded pieces, nothing lost', () => {
  const t = createTokenizer('zh', false);
  const s = '中华人民共和国'.repeat(3000);
  const started = Date.now();
  const toks = t(s);
  assert.equal(toks.join(''), s);
  assert.ok(toks.length >= 3000 && toks.length < 3100, `${toks.length} tokens`);
  assert.ok(Date.now() - started < 5000);
});
