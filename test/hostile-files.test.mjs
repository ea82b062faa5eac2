// Hostile vector and model files (issue 13, classes 5, 7 and 8): each bad file is refused with one line
// that names the file (and the line or row) and what to do, exit 1, with the child's peak RSS bounded;
// words that would drive a terminal are printed escaped, and TSV keeps its columns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cliSync, runCliRss, tmpDir } from './helpers.mjs';
import { printRows } from '../dist/internal.js';

const tmp = tmpDir('embed-hostile-');
const file = (name, content) => {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, content);
  return p;
};
const f32 = (...v) => Buffer.from(new Float32Array(v).buffer);
/** Raw characters that drive a terminal: C0 controls but tab and newline, DEL, C1, separators, bidi. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** Runs the CLI; asserts the exit code and that stderr is one escaped line matching `pattern`. */
function expectError(args, code, pattern, opts) {
  const r = cliSync(args, opts);
  assert.equal(r.status, code, `exit code for ${args.join(' ')}: ${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one error line, got: ${r.stderr}`);
  assert.doesNotMatch(lines[0], /please report/);
  assert.doesNotMatch(lines[0], RAW_CONTROL);
  assert.match(lines[0], pattern);
  return r;
}

const MB = 1024; // maxRSS is in KB

test('class 7: a header-less vector file that is one 45 MB line is refused at 16 MiB, in bounded memory', async () => {
  // One word and five million values on one line: before, it was split into strings (17x its size).
  const p = file('one-line.txt', 'king' + ' 0.123456'.repeat(5_000_000));
  const r = await runCliRss(['similar', 'king', '-m', p]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(
    r.stderr.trim(),
    /^embed: error: cannot load '.*one-line\.txt': line 1 is longer than 16 MiB, too long for a vector row .*: is this a vector file\?$/,
  );
  assert.ok(r.rssKb > 0, 'peak RSS reported');
  assert.ok(r.rssKb < 250 * MB, `peak RSS ${Math.round(r.rssKb / MB)} MB, want < 250 MB`);
});

test('class 7: a very long line after normal rows is refused by the row length limit, in bounded memory', async () => {
  const p = file('long-line.txt', 'king 0.1 0.2\nqueen' + ' 0.123456'.repeat(3_000_000) + '\nman 0.3 0.4\n');
  const r = await runCliRss(['similar', 'king', '-m', p]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(
    r.stderr.trim(),
    /^embed: error: cannot load '.*long-line\.txt': line 2 is longer than \d+ bytes, too long for a row of 2 values .*: fix or remove that line/,
  );
  assert.ok(r.rssKb < 250 * MB, `peak RSS ${Math.round(r.rssKb / MB)} MB, want < 250 MB`);
});

test('class 7: a 12 MB one-row header-less file loads within a small multiple of its size', async () => {
  const p = file('wide-row.txt', 'king' + ' 0.123456'.repeat(1_300_000) + '\n');
  const r = await runCliRss(['similarity', 'king', 'king', '-m', p]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), '1.0000');
  const size = fs.statSync(p).size / 1024;
  // Node itself takes ~50 MB; splitting the line into strings took ~220 MB here, parsing bytes ~95 MB.
  assert.ok(r.rssKb < 100 * MB + 3 * size, `peak RSS ${Math.round(r.rssKb / MB)} MB for a ${Math.round(size / MB)} MB file`);
});

test('class 8: hex, binary, NaN, infinite and out-of-range values are refused, naming the file and line', () => {
  const cases = [
    ['0x1p3', /line 2: '0x1p3' is not a decimal number: fix or remove that line, or copy, download or export it again$/],
    ['0x10', /line 2: '0x10' is not a decimal number: fix or remove that line/],
    ['0b10', /line 2: '0b10' is not a decimal number/],
    ['Infinity', /line 2: 'Infinity' is not a finite number: fix or remove that line/],
    ['-inf', /line 2: '-inf' is not a finite number/],
    ['NaN', /line 2: 'NaN' is not a finite number/],
    ['nan', /line 2: 'nan' is not a finite number/],
    ['1e39', /line 2: '1e39' is too large for a float32: fix or remove that line/],
  ];
  for (const [value, pattern] of cases) {
    const name = `value-${cases.findIndex((c) => c[0] === value)}.txt`;
    expectError(
      ['similar', 'king', '-m', file(name, `2 2\nking ${value} 0.1\nqueen 0.4 0.2\n`)],
      1,
      new RegExp(`^embed: error: cannot load '.*${name.replace('.', '\\.')}': ${pattern.source}`),
    );
  }
  // Header-less (GloVe) and fastText .vec rows are read by the same parser.
  expectError(
    ['similar', 'king', '-m', file('glove-inf.txt', 'king 0.5 0.1\nqueen Infinity 0.2\n')],
    1,
    /glove-inf\.txt': line 2: 'Infinity' is not a finite number/,
  );
  expectError(
    ['similar', 'king', '-m', file('vec-hex.vec', '2 2\nking 0.5 0.1 \nqueen 0x3 0.2 \n')],
    1,
    /vec-hex\.vec': line 3: '0x3' is not a decimal number/,
  );
  // Still fine: signs, exponents, leading dots, CRLF.
  const ok = cliSync(['vector', 'king', '--json', '-m', file('ok.txt', '2 2\r\nking +.5 -1.5E-1\r\nqueen 4e-1 2\r\n')]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.deepEqual(JSON.parse(ok.stdout), [0.5, Math.fround(-0.15)]);
});

test('class 8: rows with more values than the header or the first row are refused', () => {
  expectError(
    ['similar', 'king', '-m', file('more.txt', '2 2\nking 0.3 0.2 0.1\nqueen 0.4 0.2\n')],
    1,
    /more\.txt': line 2 has 3 values, expected 2 \(from the header\): fix or remove that line/,
  );
  expectError(
    ['similar', 'king', '-m', file('more4.txt', '2 2\nking 0.1 0.2\nqueen 1 2 0.4 0.2\n')],
    1,
    /line 3 has 4 values, expected 2 \(from the header\)/,
  );
  expectError(
    ['similar', 'king', '-m', file('glove-more.txt', 'king 0.3 0.2\nqueen 0.4 0.2 0.5\n')],
    1,
    /glove-more\.txt': line 2 has 3 values, expected 2 \(as on the first line\)/,
  );
  // A GloVe token with a space is a word, not a value too many.
  const r = cliSync(['similar', 'king', '-m', file('glove-space.txt', 'king 0.3 0.2\nnew york 0.4 0.2\n')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^new york\t/);
});

test('class 8: headers with negative counts or no dimensions are refused', () => {
  expectError(
    ['similar', 'king', '-m', file('neg-count.txt', '-2 2\nking 0.3 0.2\nqueen 0.4 0.2\n')],
    1,
    /neg-count\.txt': the header '-2 2' declares a negative count: the file is corrupt \(copy, download or export it again\)/,
  );
  expectError(
    ['similar', 'king', '-m', file('neg-dim.txt', '2 -2\nking 0.3 0.2\nqueen 0.4 0.2\n')],
    1,
    /the header '2 -2' declares a negative count/,
  );
  expectError(
    ['similar', 'king', '-m', file('neg.bin', Buffer.concat([Buffer.from('-2 2\nking '), f32(1, 2), Buffer.from('\nqueen '), f32(3, 4)]))],
    1,
    /neg\.bin': the header '-2 2' declares a negative count/,
  );
  expectError(
    ['similar', 'king', '-m', file('dim0.txt', '2 0\nking 0.3 0.2\nqueen 0.4 0.2\n')],
    1,
    /dim0\.txt': the header declares 0 dimensions: the file is corrupt/,
  );
  expectError(
    ['similar', 'king', '-m', file('count0.bin', Buffer.concat([Buffer.from('0 2\nking '), f32(1, 2), Buffer.from('\n')]))],
    1,
    /count0\.bin': the header declares 0 words of 2 dimensions: the file is corrupt/,
  );
  const cut = Buffer.concat([Buffer.from('2 2\nking '), f32(1, 2), Buffer.from('\nqueen '), f32(3, 4).subarray(0, 5)]);
  expectError(
    ['similar', 'king', '-m', file('cut.bin', cut)],
    1,
    /cut\.bin': the file ends inside row 2 of 2 \(truncated\?\): copy, download or export it again/,
  );
});

/** A native model (imported from a small text file) copied to a plain directory we may damage. */
function nativeModel(name, damage) {
  const models = tmpDir();
  const src = file(`${name}-src.txt`, '3 2\nking 0.5 0.1\nqueen 0.4 0.2\nman 0.1 0.9\n');
  const r = cliSync(['import', src, '--name', 'm', '--models-dir', models]);
  assert.equal(r.status, 0, r.stderr);
  const dir = path.join(tmp, name);
  fs.cpSync(path.join(models, 'm'), dir, { recursive: true, dereference: true });
  damage?.(dir);
  return dir;
}

/**
 * Makes a model the older format (version 1: no file sizes or checksums in meta.json), so that a
 * hand-edited file reaches the checks of what it holds instead of the size check (test/verify.test.mjs).
 */
function asVersion1(dir) {
  const m = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8'));
  delete m.files;
  delete m.metaSha256;
  fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ ...m, version: 1 }));
}

test('class 8: a native model with NaN or infinite rows is refused when a query reads them', () => {
  const setRow = (value) => (dir) => {
    const v = new Float32Array(new Uint8Array(fs.readFileSync(path.join(dir, 'vectors.f32'))).buffer);
    v[2 * 2 + 1] = value; // row 3, 'man'
    fs.writeFileSync(path.join(dir, 'vectors.f32'), Buffer.from(v.buffer));
  };
  const nan = nativeModel('nan-model', setRow(NaN));
  const corrupt =
    /^embed: error: model '.*nan-model' is corrupt \(row 3 of vectors\.f32, word 'man', holds NaN or infinite values\): retrain it or import it again$/;
  expectError(['similar', 'king', '-m', nan], 1, corrupt); // the scan over all rows meets it
  expectError(['vector', 'man', '-m', nan], 1, corrupt);
  expectError(['analogy', 'king', 'queen', 'man', '-m', nan], 1, corrupt);
  const inf = nativeModel('inf-model', setRow(-Infinity));
  expectError(
    ['export', '-f', 'vec', '-m', inf],
    1,
    /model '.*inf-model' is corrupt \(row 3 of vectors\.f32, word 'man', holds NaN or infinite values\)/,
  );
  // A question that never reads the bad row is answered from the good ones (the check is where rows are read).
  const r = cliSync(['similarity', 'king', 'queen', '-m', nan]);
  assert.equal(r.status, 0, r.stderr);
});

test('class 8: damaged native models fail with one line naming what is wrong, never "unexpected failure"', () => {
  const meta = (patch) => (dir) => {
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8'));
    fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ ...m, ...patch }));
  };
  const replaceWithDir = (name) => (dir) => {
    fs.rmSync(path.join(dir, name));
    fs.mkdirSync(path.join(dir, name));
  };
  const cases = [
    ['truncated', (d) => (asVersion1(d), fs.truncateSync(path.join(d, 'vectors.f32'), 10)), /vectors\.f32 has 10 bytes, expected 24/],
    ['version-type', meta({ version: 'x' }), /meta\.json has version '"x"'/],
    ['size-type', meta({ vocabSize: '3' }), /meta\.json has vocabSize '"3"' and dim '2', not two whole numbers >= 1/],
    ['dim-zero', meta({ dim: 0 }), /meta\.json has vocabSize '3' and dim '0'/],
    ['size-negative', meta({ vocabSize: -3 }), /meta\.json has vocabSize '-3'/],
    ['size-fewer', meta({ vocabSize: 2, dim: 3 }), /vocab\.tsv has more than the 2 lines meta\.json declares/],
    ['size-more', meta({ vocabSize: 6, dim: 1 }), /vocab\.tsv has 3 lines, expected 6/],
    ['lowercase-type', meta({ lowercase: 'yes' }), /meta\.json has a lowercase that is not true or false/],
    ['meta-empty', (d) => fs.writeFileSync(path.join(d, 'meta.json'), ''), /meta\.json is not JSON/],
    ['vocab-empty', (d) => (asVersion1(d), fs.writeFileSync(path.join(d, 'vocab.tsv'), '')), /vocab\.tsv has 0 lines, expected 3/],
    ['vectors-dir', replaceWithDir('vectors.f32'), /vectors\.f32 is not a regular file/],
    ['meta-dir', replaceWithDir('meta.json'), /meta\.json is not a regular file/],
    ['vocab-dir', replaceWithDir('vocab.tsv'), /vocab\.tsv is not a regular file/],
  ];
  for (const [name, damage, why] of cases)
    expectError(
      ['similar', 'king', '-m', nativeModel(name, damage)],
      1,
      new RegExp(`^embed: error: model '.*${name}' is corrupt \\(${why.source}.*\\): retrain it or export it again$`),
    );
});

test('class 8: other known causes are one line with what to do, never "unexpected failure"', () => {
  const binary = file('binary.dat', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)));
  expectError(['train', binary, '-q'], 1, /corpus '.*binary\.dat' looks like a binary file, not text/);
  expectError(['similar', 'king', '-m', binary], 1, /cannot load '.*binary\.dat': not a vector format embed knows/);
  expectError(
    ['similar', 'king', '-m', file('empty.vec', '')],
    1,
    /cannot load '.*empty\.vec': the file is empty: give a vector file or an embed model directory/,
  );
  expectError(['similar', 'king', '-m', tmpDir()], 1, /is not an embed model \(no meta\.json and vectors\.f32\): check --model/);
  // Reading /dev/zero whole never ends: it used to run until the process was killed for memory.
  if (fs.existsSync('/dev/zero')) {
    const model = file('eval-model.txt', '2 2\nking 0.5 0.1\nqueen 0.4 0.2\n');
    expectError(
      ['eval', 'analogies', '/dev/zero', '-m', model],
      1,
      /^embed: error: '\/dev\/zero' is a device, not a file: give a questions or word-pairs text file$/,
    );
    expectError(['eval', 'pairs', '/dev/zero', '-m', model], 1, /'\/dev\/zero' is a device, not a file/);
  }
});

test('class 8: a system error with a known cause names the operation, the path and what to do', (t) => {
  // sysfs refuses new entries even to root (EPERM), or is mounted read-only (EROFS) in containers.
  const dir = '/sys/kernel/mm';
  let refused = false;
  try {
    fs.rmdirSync(fs.mkdtempSync(path.join(dir, '.probe-')));
  } catch (e) {
    refused = fs.existsSync(dir) && ['EPERM', 'EACCES', 'EROFS'].includes(e.code);
  }
  if (!refused) return t.skip(`${dir} is not a directory that refuses new entries here`);
  const corpus = file('c.txt', 'one two three four five six\n'.repeat(50));
  expectError(
    ['train', corpus, '--models-dir', dir, '-o', 'q', '--min-count', '1', '--dim', '4', '--epochs', '1', '--threads', '1', '-q'],
    1,
    /^embed: error: cannot (mkdtemp|mkdir|open) '\/sys\/kernel\/mm\/.*' \((EPERM|EACCES|EROFS)\): .*choose (a|another) path/,
  );
});

// Class 5: words that set the terminal title (OSC), clear the screen (CSI 2J), reverse text (U+202E),
// or carry an 8-bit CSI (U+009B); a tab or newline inside a word (possible in a native vocab.tsv).
const EVIL = ['\u001b]0;pwned\u0007\u001b[2J', 'rtl\u202etxt\u009b', 'tab\tin\u2028word'];

/** A native model whose words include EVIL (vocab.tsv keeps everything before the line's last tab). */
function evilModel() {
  return nativeModel('evil-model', (dir) => {
    asVersion1(dir);
    fs.writeFileSync(path.join(dir, 'vocab.tsv'), `king\t3\n${EVIL[0]}\t2\n${EVIL[1]}\t1\n`);
  });
}

test('class 5: words from a model are escaped in TSV, tables and messages; TSV keeps two columns', () => {
  const tsvRows = (stdout) =>
    stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t'));
  const evil = file('evil.txt', `3 2\nking 0.5 0.1\n${EVIL[0]} 0.4 0.2\n${EVIL[1]} 0.1 0.9\n`);
  const r = cliSync(['similar', 'king', '-m', evil]);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stdout, RAW_CONTROL);
  assert.deepEqual(
    tsvRows(r.stdout).map((c) => c[0]),
    ['\\u001b]0;pwned\\u0007\\u001b[2J', 'rtl\\u202etxt\\u009b'],
  );
  // JSON keeps the exact words, with C1 and bidi characters escaped too.
  const j = cliSync(['similar', 'king', '--json', '-m', evil]);
  assert.doesNotMatch(j.stdout, RAW_CONTROL);
  assert.deepEqual(
    JSON.parse(j.stdout).map((n) => n.word),
    [EVIL[0], EVIL[1]],
  );
  const v = cliSync(['vocab', '-m', evil]);
  assert.doesNotMatch(v.stdout, RAW_CONTROL);
  assert.equal(tsvRows(v.stdout).length, 3);

  const model = nativeModel('tab-model', (dir) => {
    asVersion1(dir);
    fs.writeFileSync(path.join(dir, 'vocab.tsv'), `king\t3\n${EVIL[2]}\t2\nman\t1\n`);
  });
  const t2 = cliSync(['similar', 'king', '-m', model]);
  assert.equal(t2.status, 0, t2.stderr);
  assert.ok(
    tsvRows(t2.stdout).every((c) => c.length === 2),
    t2.stdout,
  );
  assert.match(t2.stdout, /^tab\\tin\\u2028word\t/m);
  const vocab = cliSync(['vocab', '-m', model]);
  assert.deepEqual(tsvRows(vocab.stdout), [
    ['king', '3'],
    ['tab\\tin\\u2028word', '2'],
    ['man', '1'],
  ]);

  // Batch answers echo the query and the answer; errors in a batch and suggestions quote words.
  const batch = cliSync(['doesnt-match', '-', '-m', evilModel()], { input: `king ${EVIL[0]} ${EVIL[1]}\nking \u001b[2Jkinx\n` });
  assert.equal(batch.status, 3, batch.stderr);
  assert.doesNotMatch(batch.stdout + batch.stderr, RAW_CONTROL);
  assert.equal(tsvRows(batch.stdout)[0].length, 2);
  assert.match(batch.stderr, /^embed: '\\u001b\[2Jkinx' is not in the model's vocabulary/);
  const unknown = expectError(
    ['similar', 'rtl\u202etxt', '-m', evil],
    3,
    /^embed: error: 'rtl\\u202etxt' is not in the model's vocabulary \(did you mean: .*rtl\\u202etxt\\u009b.*\?\)$/,
  );
  assert.equal(unknown.stdout, '');
  // Warnings that quote a word (a duplicate in a downloaded file) are escaped as well.
  const dup = cliSync(['similar', 'king', '-m', file('evil-dup.txt', `3 2\nking 0.5 0.1\n${EVIL[0]} 0.4 0.2\n${EVIL[0]} 0.1 0.9\n`)]);
  assert.equal(dup.status, 0, dup.stderr);
  assert.match(dup.stderr, /warning: 1 duplicate word\(s\) .*\(first: '\\u001b\]0;pwned\\u0007\\u001b\[2J'\)/);
  assert.doesNotMatch(dup.stderr, RAW_CONTROL);
});

test('class 5: the terminal table escapes words and pads by what is shown', () => {
  let out = '';
  const stream = { isTTY: true, write: (s) => (out += s) };
  printRows(
    [
      { word: EVIL[0], score: 0.5 },
      { word: 'king', score: 0.25 },
    ],
    ['word', 'score'],
    { stream },
  );
  assert.doesNotMatch(out, RAW_CONTROL);
  const lines = out.trimEnd().split('\n');
  assert.equal(lines[0], '\\u001b]0;pwned\\u0007\\u001b[2J  0.5000');
  assert.equal(lines[1].length, lines[0].length);
});

test('a model larger than the wasm engine can hold is refused before its weights are allocated (exit 1, bounded RSS)', async () => {
  // 120,000 distinct words × 10,000 dimensions: 4.8 GB of input rows alone, past wasm's 4 GiB.
  const words = Array.from({ length: 120_000 }, (_, i) => `w${i.toString(36)}`);
  const corpus = file('many-words.txt', words.join(' ') + '\n');
  const r = await runCliRss([
    'train',
    corpus,
    '--engine',
    'wasm',
    '--threads',
    '1',
    '--min-count',
    '1',
    '--dim',
    '10000',
    '--epochs',
    '1',
    '-o',
    path.join(tmp, 'too-big'),
    '--progress',
    'none',
  ]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /more than the wasm engine's 4 GiB: lower --dim or raise --min-count/);
  assert.ok(r.rssKb < 600 * 1024, `peak RSS ${Math.round(r.rssKb / 1024)} MB: the check must come before allocating gigabytes`);
  assert.ok(!fs.existsSync(path.join(tmp, 'too-big')), 'no model written');
});
