// The input side of training: what a corpus may be (pipes, FIFOs, any encoding) and what it costs
// (blank lines must not pile up in memory while the tokenizer is being detected).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { runCli, runCliRss, tmpDir, englishCorpus } from './helpers.mjs';

const FAST = ['--epochs', '1', '--dim', '8', '--min-count', '1', '--threads', '1', '-q'];
const train = (corpus, extra = []) => {
  const models = tmpDir();
  return { models, run: runCli(['train', corpus, '--models-dir', models, '-o', 'm', ...FAST, ...extra]) };
};
const vocabWords = async (models) => {
  const r = await runCli(['vocab', '-m', 'm', '--models-dir', models]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => l.split('\t')[0]);
};
/** The only stderr line, for a failure. */
const errorLine = (r) => {
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one error line, got: ${r.stderr}`);
  return lines[0];
};
const ENGLISH = 'the café serves coffee and the café serves tea\nthe naïve man drinks coffee at the café\n'.repeat(50);

test('30 MB of blank lines before the words: memory stays bounded and training succeeds', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'blank.txt');
  fs.writeFileSync(file, Buffer.concat([Buffer.alloc(30 << 20, 0x0a), Buffer.from(ENGLISH)]));
  const models = tmpDir();
  const r = await runCliRss(['train', file, '--models-dir', models, '-o', 'm', ...FAST]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.rssKb > 0, 'peak RSS reported');
  assert.ok(r.rssKb < 400 * 1024, `peak RSS ${Math.round(r.rssKb / 1024)} MB, want < 400 MB`);
  assert.ok((await vocabWords(models)).includes('café'));
});

test('only blank lines: one clear error', async () => {
  const file = path.join(tmpDir(), 'blank-only.txt');
  fs.writeFileSync(file, '\n'.repeat(100_000));
  const r = await train(file).run;
  assert.equal(r.code, 1);
  assert.match(errorLine(r), /^embed: error: corpus '.*blank-only\.txt' has no words in it/);
});

test('a named FIFO trains', async () => {
  const dir = tmpDir();
  const fifo = path.join(dir, 'corpus.fifo');
  execFileSync('mkfifo', [fifo]);
  const text = fs.readFileSync(englishCorpus(200_000));
  const { models, run } = train(fifo);
  // Open for writing only once the CLI has it open for reading (the open blocks until then).
  let written = false;
  const writer = fs.promises.open(fifo, 'w').then(async (h) => {
    await h.write(text).finally(() => h.close());
    written = true;
  });
  const r = await run;
  // A CLI that never read the FIFO would leave the writer blocked: open and close the read side to free it.
  if (!written) fs.closeSync(fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK));
  await writer.catch(() => {});
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.ok((await vocabWords(models)).includes('anarchism'));
});

test('/dev/stdin with input piped trains', async () => {
  const models = tmpDir();
  const text = fs.readFileSync(englishCorpus(200_000));
  const r = await runCli(['train', '/dev/stdin', '--models-dir', models, '-o', 'm', ...FAST], { input: text });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.ok((await vocabWords(models)).includes('anarchism'));
});

test('a directory as corpus: one clear line, exit 1', async () => {
  const d = tmpDir();
  const r = await train(d).run;
  assert.equal(r.code, 1);
  assert.match(errorLine(r), /^embed: error: '.*' is a directory: give the path to a text file$/);
});

test('Latin-1: refused with a message naming latin1; trains with --encoding latin1', async () => {
  const file = path.join(tmpDir(), 'latin1.txt');
  fs.writeFileSync(file, Buffer.from(ENGLISH, 'latin1'));
  const r = await train(file).run;
  assert.equal(r.code, 1);
  assert.match(
    errorLine(r),
    /^embed: error: corpus '.*latin1\.txt' is not UTF-8 \(looks like Latin-1 \/ windows-1252\): pass --encoding latin1, or convert it with iconv/,
  );
  const { models, run } = train(file, ['--encoding', 'latin1']);
  const ok = await run;
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stderr, '');
  const words = await vocabWords(models);
  assert.ok(words.includes('café') && words.includes('naïve'), words.join(' '));
});

const ZH = '我们喜欢学习中文。今天天气很好，我们去公园散步。北京是中国的首都。\n'.repeat(100);
const ZH_GB18030 = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures', 'encodings', 'zh-gb18030.txt');

test('GB18030: refused with a message naming gb18030; trains with --encoding gb18030', async () => {
  assert.equal(new TextDecoder('gb18030').decode(fs.readFileSync(ZH_GB18030)), ZH, 'fixture matches');
  const r = await train(ZH_GB18030).run;
  assert.equal(r.code, 1);
  assert.match(
    errorLine(r),
    /^embed: error: corpus '.*zh-gb18030\.txt' is not UTF-8 \(looks like GB18030\): pass --encoding gb18030, or convert it with iconv/,
  );
  const { models, run } = train(ZH_GB18030, ['--encoding', 'gb18030', '--tokenizer', 'char']);
  const ok = await run;
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stderr, '');
  assert.ok((await vocabWords(models)).includes('京'));
});

test('a UTF-8 BOM is stripped: the first word is intact', async () => {
  const file = path.join(tmpDir(), 'bom.txt');
  fs.writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('zebra ' + ENGLISH)]));
  const { models, run } = train(file);
  const r = await run;
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const words = await vocabWords(models);
  assert.ok(words.includes('zebra'), words.join(' '));
  assert.ok(!words.some((w) => w.includes('\ufeff')), words.join(' '));
});

test('UTF-16 LE and BE with a BOM train', async () => {
  for (const [name, bytes] of [
    ['le', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(ENGLISH, 'utf16le')])],
    ['be', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(ENGLISH, 'utf16le').swap16()])],
  ]) {
    const file = path.join(tmpDir(), `utf16${name}.txt`);
    fs.writeFileSync(file, bytes);
    const { models, run } = train(file);
    const r = await run;
    assert.equal(r.code, 0, `${name}: ${r.stderr}`);
    assert.equal(r.stderr, '');
    const words = await vocabWords(models);
    assert.ok(words.includes('café') && words.includes('the'), `${name}: ${words.join(' ')}`);
  }
});

test('--encoding utf-8 with bad bytes: trains, one warning with the count', async () => {
  const file = path.join(tmpDir(), 'mixed.txt');
  fs.writeFileSync(file, Buffer.concat([Buffer.from(ENGLISH), Buffer.from([0xe9, 0x20, 0xff, 0x0a])]));
  const r = await train(file, ['--encoding', 'utf-8']).run;
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr.trim(), `embed: warning: corpus '${file}': 2 bytes are not valid UTF-8; replaced with U+FFFD`);
});

test('a multi-byte character split across read chunks decodes right', async () => {
  // 1 MiB reads: put a 3-byte character across the first boundary.
  const file = path.join(tmpDir(), 'split.txt');
  const pad = 'a '.repeat(((1 << 20) - 1) / 2);
  fs.writeFileSync(file, pad + '中文 ' + ENGLISH);
  const { models, run } = train(file, ['--tokenizer', 'space']);
  const r = await run;
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.ok((await vocabWords(models)).includes('中文'));
});

test('an unknown --encoding is a usage error', async () => {
  const r = await train(englishCorpus(10_000), ['--encoding', 'klingon']).run;
  assert.equal(r.code, 2);
  assert.match(
    errorLine(r),
    /^embed: error: --encoding 'klingon' is not an encoding Node knows \(try utf-8, latin1, windows-1252, gb18030, gbk, big5, utf-16le\)$/,
  );
});

test('binary files are still refused', async () => {
  const file = path.join(tmpDir(), 'bin.dat');
  fs.writeFileSync(file, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 2, 3, 0, 0, 0xff, 0xfe, 0, 0]));
  const r = await train(file).run;
  assert.equal(r.code, 1);
  assert.match(errorLine(r), /^embed: error: corpus '.*bin\.dat' looks like a binary file, not text/);
});
