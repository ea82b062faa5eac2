// Bad input never hangs or crashes: one clear error line and exit code 1 for bad files, 2 for bad
// usage; a warning with counts on stderr where going on is sound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cliSync } from './helpers.mjs';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'embed-bad-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
const cli = cliSync;
const file = (name, content) => {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, content);
  return p;
};
const f32 = (...v) => Buffer.from(new Float32Array(v).buffer);

function expectError(args, code, pattern) {
  const r = cli(args);
  assert.equal(r.status, code, `exit code for ${args.join(' ')}: ${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one error line, got: ${r.stderr}`);
  assert.match(lines[0], pattern);
  return r;
}

const good = file('good.txt', '3 2\nking 0.5 0.1\nqueen 0.4 0.2\nman 0.1 0.9\n');

test('unknown format', () => {
  expectError(['similar', 'king', '-m', file('notes.txt', 'this is just some prose\nwith lines\n')], 1, /not a vector format embed knows/);
});

test('empty file, compressed file', () => {
  expectError(['similar', 'king', '-m', file('empty.vec', '')], 1, /empty/);
  expectError(['similar', 'king', '-m', file('v.gz', Buffer.from([0x1f, 0x8b, 8, 0, 0, 0]))], 1, /gzip-compressed/);
});

test('truncated text and binary files', () => {
  expectError(
    ['similar', 'king', '-m', file('short.txt', '5 2\nking 0.5 0.1\nqueen 0.4 0.2\n')],
    1,
    /declares 5 words but the file has 2 rows \(truncated\?\)/,
  );
  const bin = Buffer.concat([Buffer.from('2 3\nking '), f32(1, 2, 3), Buffer.from('\nqueen '), f32(1, 2).subarray(0, 6)]);
  expectError(['similar', 'king', '-m', file('short.bin', bin)], 1, /ends inside row 2 of 2 \(truncated\?\)/);
});

test('a header that disagrees with the rows', () => {
  expectError(['similar', 'king', '-m', file('dims.txt', '2 3\nking 0.5 0.1 0.3\nqueen 0.4 0.2\n')], 1, /line 3 has 2 values, expected 3/);
  expectError(['similar', 'king', '-m', file('huge.bin', '999999999 999999999\nking abc')], 1, /declares 999999999 dimensions/);
  // more rows than declared: going on is sound, with a warning
  const r = cli(['similar', 'king', '-m', file('more.txt', '2 2\nking 0.5 0.1\nqueen 0.4 0.2\nman 0.1 0.9\n'), '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /warning: .*declares 2 words but the file has 3 rows; loaded all 3/);
  assert.equal(JSON.parse(r.stdout).length, 2);
});

test('NaN and non-numeric values', () => {
  expectError(
    ['similar', 'king', '-m', file('nan.txt', '3 2\nking 0.5 nan\nqueen NaN 0.2\nman 0.1 0.9\n')],
    1,
    /line 2: 'nan' is not a finite number: fix or remove that line/,
  );
  const bin = Buffer.concat([Buffer.from('2 2\nking '), f32(NaN, 1), Buffer.from('\nqueen '), f32(1, 2), Buffer.from('\n')]);
  expectError(
    ['similar', 'king', '-m', file('nan.bin', bin)],
    1,
    /1 of 2 vectors contain NaN or infinite values \(first: 'king', row 1\): remove those rows/,
  );
  expectError(
    ['similar', 'king', '-m', file('word.txt', '2 2\nking 0.5 0.x\nqueen 0.1 0.2\n')],
    1,
    /line 2: '0\.x' is not a decimal number/,
  );
});

test('duplicate words: warning with the count, first occurrence kept', () => {
  const r = cli(['vector', 'king', '--json', '-m', file('dup.txt', '4 2\nking 0.5 0.1\nqueen 0.4 0.2\nking 9 9\nqueen 8 8\n')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /warning: 2 duplicate word\(s\) .* \(first: 'king'\); kept the first occurrence/);
  assert.deepEqual(JSON.parse(r.stdout), [0.5, Math.fround(0.1)]);
});

test('eval files with no usable lines', () => {
  expectError(
    ['eval', 'analogies', file('q.txt', ': only-a-header\nnot four words\n\n'), '-m', good],
    1,
    /no usable analogy questions .* 1 lines did not have four words/,
  );
  expectError(['eval', 'analogies', file('q2.txt', 'a b c d\n'), '-m', good], 1, /line 1 comes before any ': section' header/);
  expectError(['eval', 'pairs', file('p.txt', '# comment\nfoo bar\n'), '-m', good], 1, /no usable word pairs/);
  expectError(
    ['eval', 'pairs', file('p2.txt', 'xyz abc 5\nfoo bar 3\n'), '-m', good],
    1,
    /no usable word pairs: 2 pairs read, 2 with words outside/,
  );
  expectError(['eval', 'analogies', path.join(tmp, 'missing.txt'), '-m', good], 1, /cannot read .*ENOENT/);
});

test('bad usage exits 2', () => {
  assert.equal(cli(['export', '--format', 'pdf', '-m', good]).status, 2);
  assert.equal(cli(['export', '-m', good]).status, 2);
  assert.equal(cli(['eval', 'analogies', good, '--method', 'div', '-m', good]).status, 2);
  assert.equal(cli(['eval', 'analogies', good, '--restrict-vocab', '-5', '-m', good]).status, 2);
  expectError(['import', good, '--name', '../evil', '--models-dir', tmp], 2, /--name/);
  expectError(['doesnt-match', 'king', '-m', good], 2, /at least two words/);
  for (const bad of ['abc', '-1', '2.5']) {
    const r = cli(['similar', 'king', '--restrict', bad, '-m', good]);
    assert.equal(r.status, 2, `--restrict ${bad}: ${r.stderr}`);
    assert.match(
      r.stderr,
      /^error: option '--restrict <n>' argument '.*' is invalid\. --restrict must be an integer >= 0\n\(run with --help for usage\)\n$/,
    );
  }
});

test('unknown words exit 3; export refuses words it cannot store', () => {
  expectError(['doesnt-match', 'king', 'zebra', '-m', good], 3, /'zebra' is not in the model's vocabulary/);
  expectError(
    [
      'export',
      '-f',
      'word2vec-text',
      '-m',
      file('glove-space.txt', '2 2\nnew york 0.1 0.2\nking 0.3 0.4\n'),
      '-o',
      path.join(tmp, 'o.txt'),
    ],
    1,
    /cannot export word "new york"/,
  );
});
