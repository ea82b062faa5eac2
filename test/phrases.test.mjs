// embed phrases: exact output on hand-made corpora (scores worked out by hand below), no phrase across a
// line end, connector words, Chinese, bad input, bounded counts, and word2vec.c's word2phrase output
// reproduced byte for byte (test/fixtures/word2phrase, made once with the real tool).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT, cliSync, tmpDir } from './helpers.mjs';
import { createTokenizer, phraseScore, passThresholds } from '../dist/index.js';

const dir = tmpDir('embed-phrases-');
const file = (name, content) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
};
const out = (name) => path.join(dir, name);

/** Runs embed phrases; returns the output text and the JSON report. */
function phrases(input, args = []) {
  const o = out(`out-${Math.random().toString(36).slice(2)}.txt`);
  const r = cliSync(['phrases', input, o, '--json', ...args]);
  assert.equal(r.status, 0, r.stderr);
  return { text: fs.readFileSync(o, 'utf8'), report: JSON.parse(r.stdout), stderr: r.stderr };
}

// 14 words. new: 5, york: 5; within lines new→york 4 times, york→new 2 (the york|york line end and the
// york|new line start are not pairs).
const NY = 'new york is big\ni love new york\nnew york new york\nyork new\n';

test('word2phrase scores by hand: (count(ab) − min_count) / (count(a)·count(b)) × words', () => {
  // new_york, --min-count 2: (4 − 2) / (5 · 5) × 14 = 1.12 > 1; york_new: (2 − 2) / 25 × 14 = 0.
  const { text, report } = phrases(file('ny.txt', NY), ['--min-count', '2', '--threshold', '1']);
  assert.equal(text, 'new_york is big\ni love new_york\nnew_york new_york\nyork new\n');
  assert.equal(report.top.length, 1);
  assert.equal(report.top[0].phrase, 'new_york');
  assert.equal(report.top[0].score, Math.fround(1.12)); // word2phrase.c computes in float
  assert.equal(report.top[0].count, 4);
  assert.deepEqual(
    report.passes.map((p) => [p.threshold, p.phrases, p.joined, p.tokensIn, p.tokensOut]),
    [[1, 1, 4, 14, 10]],
  );
  // At exactly the score (as a float) or above it, nothing joins: the comparison is strict, as in word2phrase.c.
  for (const t of [String(Math.fround(1.12)), '1.13'])
    assert.equal(phrases(file('ny.txt', NY), ['--min-count', '2', '--threshold', t]).text, NY, `threshold ${t}`);
  // --min-count 5: new_york (4) is too rare.
  assert.equal(phrases(file('ny.txt', NY), ['--threshold', '0']).text, NY);
});

test('npmi scores by hand: ln(p(ab) / (p(a) p(b))) / −ln(p(ab))', () => {
  // new_york: ln((4/14) / (5/14)²) / ln(14/4) = ln 2.24 / ln 3.5 = 0.6438; york_new: ln 1.12 / ln 7 = 0.0582.
  assert.ok(Math.abs(phraseScore('npmi', 5, 5, 4, 14, 2) - Math.log(2.24) / Math.log(3.5)) < 1e-12);
  const strict = phrases(file('ny.txt', NY), ['--scoring', 'npmi', '--min-count', '2', '--threshold', '0.6']);
  assert.equal(strict.text, 'new_york is big\ni love new_york\nnew_york new_york\nyork new\n');
  assert.ok(Math.abs(strict.report.top[0].score - 0.64376) < 1e-5);
  const loose = phrases(file('ny.txt', NY), ['--scoring', 'npmi', '--min-count', '2', '--threshold', '0.05']);
  assert.equal(loose.text, 'new_york is big\ni love new_york\nnew_york new_york\nyork_new\n');
  assert.ok(Math.abs(loose.report.top[1].score - Math.log(1.12) / Math.log(7)) < 1e-12);
  assert.equal(phrases(file('ny.txt', NY), ['--scoring', 'npmi', '--min-count', '2', '--threshold', '0.65']).text, NY);
});

test('no phrase spans a line end', () => {
  // a and b are each alone on their lines: word2phrase.c would count a→b ten times; here it is no pair.
  const ab = 'a\nb\n'.repeat(10);
  const r = phrases(file('ab.txt', ab), ['--min-count', '1', '--threshold', '0']);
  assert.equal(r.text, ab);
  assert.equal(r.report.passes[0].phrases, 0);
  // a→b twice within lines, three times more across line ends. Within lines only, 2 < --min-count 3: no
  // phrase. word2vec.c's word2phrase counts across (5: (5 − 3)/(5·5) × 10 = 0.8 > 0) and writes a_b on the
  // first two lines (checked with the real tool).
  const cross = 'a b\na b\n' + 'a\nb\n'.repeat(3);
  assert.equal(phrases(file('cross.txt', cross), ['--min-count', '3', '--threshold', '0']).text, cross);
  assert.equal(phrases(file('cross.txt', cross), ['--min-count', '1', '--threshold', '0']).text, 'a_b\na_b\n' + 'a\nb\n'.repeat(3));
  // Empty lines stay, and a phrase at the end of one line does not take the next line's first word.
  const mixed = 'x a\n\nb y\n'.repeat(6);
  assert.equal(phrases(file('mixed.txt', mixed), ['--min-count', '1', '--threshold', '0']).text, 'x_a\n\nb_y\n'.repeat(6));
});

test('passes: each pass joins the phrases of the one before; earlier passes are stricter', () => {
  assert.deepEqual(passThresholds('word2phrase', 100, 2), [200, 100]);
  assert.deepEqual(passThresholds('word2phrase', 50, 3), [200, 100, 50]);
  assert.deepEqual(passThresholds('npmi', 0.5, 2), [0.75, 0.5]);
  // 21 words. Pass 1 (threshold 2, min-count 1): new→york (6): (6−1)/(6·6) × 21 = 2.92 and city→hall (3):
  // (3−1)/(3·3) × 21 = 4.67 join. Pass 2 (threshold 1, 12 words): new_york→city_hall (3) and new_york→is (3):
  // (3−1)/(6·3) × 12 = 1.33 join too. One pass at threshold 1 stops at pairs.
  const text = 'new york city hall\nnew york is\n'.repeat(3);
  const r = phrases(file('passes.txt', text), ['--min-count', '1', '--threshold', '1', '--passes', '2']);
  assert.equal(r.text, 'new_york_city_hall\nnew_york_is\n'.repeat(3));
  assert.deepEqual(
    r.report.passes.map((p) => [p.threshold, p.phrases, p.tokensIn, p.tokensOut]),
    [
      [2, 2, 21, 12],
      [1, 2, 12, 6],
    ],
  );
  assert.equal(
    phrases(file('passes.txt', text), ['--min-count', '1', '--threshold', '1']).text,
    'new_york city_hall\nnew_york is\n'.repeat(3),
  );
});

test('connector words: bank_of_america', () => {
  // 22 words; without connectors bank→of (5): (5−2)/(6·5) × 22 = 2.2 > 1 takes "of" first.
  // With them, of and the are not counted as words: bank→of→america (5): (5−2)/(6·6) × 22 = 1.83 > 1.
  const text = 'bank of america\n'.repeat(5) + 'the bank is open\namerica is big\n';
  const plain = phrases(file('bank.txt', text), ['--min-count', '2', '--threshold', '1']);
  assert.equal(plain.text, 'bank_of america\n'.repeat(5) + 'the bank is open\namerica is big\n');
  const conn = phrases(file('bank.txt', text), ['--min-count', '2', '--threshold', '1', '--connector-words']);
  assert.equal(conn.text, 'bank_of_america\n'.repeat(5) + 'the bank is open\namerica is big\n');
  assert.equal(conn.report.top[0].phrase, 'bank_of_america');
  assert.equal(conn.report.top[0].score, Math.fround(Math.fround(Math.fround(3 / 6) / 6) * 22));
  // A connector never starts or ends a phrase, even a frequent pair: "of the" stays apart.
  const ofthe = phrases(file('ofthe.txt', 'of the\n'.repeat(10)), ['--min-count', '1', '--threshold', '0', '--connector-words']);
  assert.equal(ofthe.text, 'of the\n'.repeat(10));
});

test('Chinese: segmented words are joined, and the phrase reads back as one token', () => {
  const line = '人工智能改变了我们的生活';
  const words = createTokenizer('zh', false)(line); // jieba, or Intl.Segmenter where jieba does not load
  assert.ok(words.length >= 4 && new Set(words).size === words.length, `distinct words: ${words}`);
  // Each word and each neighbour pair occurs 6 times: every score is (6 − 5)/36 × 6·n > 0.
  const r = phrases(file('zh.txt', (line + '\n').repeat(6)), ['--tokenizer', 'zh', '--threshold', '0']);
  const pairs = [];
  for (let i = 0; i < words.length; i += 2) pairs.push(words.slice(i, i + 2).join('_'));
  assert.equal(r.text, (pairs.join(' ') + '\n').repeat(6));
  assert.equal(r.report.tokenizer, 'zh');
  assert.deepEqual(createTokenizer('zh', false)(pairs.join(' ')), pairs);
  assert.deepEqual(createTokenizer('char', false)(pairs[0]), [pairs[0]]);
});

test("word2vec.c's word2phrase, one line: the same text (less the space it writes before each line)", () => {
  const fixtures = path.join(ROOT, 'test', 'fixtures', 'word2phrase');
  const input = path.join(fixtures, 'text8-500k.txt.gz');
  for (const [name, args] of [
    ['word2phrase-t100.txt.gz', []],
    ['word2phrase-t10-mc3.txt.gz', ['--threshold', '10', '--min-count', '3']],
  ]) {
    const want = zlib.gunzipSync(fs.readFileSync(path.join(fixtures, name))).toString('utf8');
    assert.ok(want.startsWith(' ') && want.split('\n').length === 2, 'word2phrase output: one line, a space first');
    const { text, report } = phrases(input, ['--tokenizer', 'space', ...args]);
    assert.ok(report.passes[0].joined > 800, `${name}: phrases joined: ${report.passes[0].joined}`);
    assert.ok(text === want.slice(1), `${name}: embed phrases differs from word2phrase`);
  }
});

test('bounded counts: above --max-pairs the rarest pairs are dropped, with a warning', () => {
  const input = path.join(ROOT, 'test', 'fixtures', 'word2phrase', 'text8-500k.txt.gz');
  const full = phrases(input, ['-n', '1000']);
  const small = phrases(input, ['-n', '1000', '--max-pairs', '5000']);
  assert.equal(full.report.passes[0].pruned, false);
  assert.equal(small.report.passes[0].pruned, true);
  assert.match(small.stderr, /warning: pass 1: more than --max-pairs 5000 pairs/);
  // Dropped pairs are counted again from zero: counts, and so scores, can only come out lower. The
  // frequent pairs survive: a dozen phrases are still found, each also found by the full count.
  const fullScores = new Map(full.report.top.map((r) => [r.phrase, r.score]));
  assert.ok(small.report.top.length >= 10, `phrases with pruning: ${small.report.top.length}`);
  for (const r of small.report.top)
    assert.ok(fullScores.get(r.phrase) >= r.score, `${r.phrase}: ${r.score} vs ${fullScores.get(r.phrase)}`);
});

test('stdin as input', () => {
  const o = out('stdin-out.txt');
  const r = cliSync(['phrases', '-', o, '--min-count', '2', '--threshold', '1', '-q'], { input: NY });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(fs.readFileSync(o, 'utf8'), 'new_york is big\ni love new_york\nnew_york new_york\nyork new\n');
  assert.equal(r.stdout, 'new_york\t1.1200\t4\t1\n');
});

test('the reading options: --lowercase, --encoding, --top, --quiet', () => {
  // New and new are two words: new→york is left with 2 pairs, (2 − 2)/(3·5) × 14 = 0, and nothing joins.
  const upper = NY.replace(/^new/gm, 'New');
  assert.equal(phrases(file('upper.txt', upper), ['--min-count', '2', '--threshold', '1']).text, upper);
  const lowered = phrases(file('upper.txt', upper), ['--min-count', '2', '--threshold', '1', '--lowercase']).text;
  assert.equal(lowered, 'new_york is big\ni love new_york\nnew_york new_york\nyork new\n');
  const latin1 = file('latin1.txt', Buffer.from('café noir\n'.repeat(6), 'latin1'));
  assert.equal(phrases(latin1, ['--encoding', 'latin1', '--min-count', '1', '--threshold', '0']).text, 'café_noir\n'.repeat(6));
  const r = cliSync(['phrases', file('ny.txt', NY), out('quiet.txt'), '--min-count', '2', '--threshold', '1', '--top', '0', '--quiet']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout + r.stderr, '');
  assert.equal(fs.readFileSync(out('quiet.txt'), 'utf8'), 'new_york is big\ni love new_york\nnew_york new_york\nyork new\n');
});

test('bad input: one line, exit 1 for files, 2 for usage; nothing written', () => {
  const good = file('good.txt', NY);
  const cases = [
    [['phrases', out('missing.txt'), out('o1.txt')], 1, /does not exist/],
    [['phrases', good, out('o2.txt'), '--threshold', 'abc'], 2, /--threshold must be a number/],
    [['phrases', good, out('o3.txt'), '--threshold', '-1'], 2, /negative/],
    [['phrases', good, out('o4.txt'), '--scoring', 'npmi', '--threshold', '2'], 2, /outside npmi's range/],
    [['phrases', good, out('o5.txt'), '--passes', '0'], 2, /--passes must be an integer >= 1/],
    [['phrases', good, out('o6.txt'), '--scoring', 'pmi'], 2, /Allowed choices are word2phrase, npmi/],
    [['phrases', good, dir], 1, /is a directory/],
    [['phrases', good, path.join(dir, 'no', 'such', 'o7.txt')], 1, /does not exist/],
    [['phrases', file('empty.txt', ''), out('o8.txt')], 1, /empty/],
  ];
  for (const [args, code, pattern] of cases) {
    const r = cliSync(args);
    assert.equal(r.status, code, `${args.join(' ')}: ${r.stderr}`);
    const lines = r.stderr.trim().split('\n');
    assert.ok(lines.length <= 2 && !/\n\s+at /.test(r.stderr), `one line, no stack: ${r.stderr}`);
    assert.match(lines[0], pattern);
  }
  for (const f of fs.readdirSync(dir)) assert.doesNotMatch(f, /^o\d\.txt$|\.tmp$|^\.embed-work/, `left behind: ${f}`);
});

test('embed train --phrases: the vocabulary has the phrases, and the config says so', () => {
  // NY three times: 42 words, new 15, york 15, new→york 12: (12 − 5)/(15·15) × 42 = 1.31 > 1; york→new 6: 0.19.
  const corpus = file('ny3.txt', NY.repeat(3));
  const train = (name, extra) => {
    const r = cliSync([
      'train',
      corpus,
      '-o',
      out(name),
      '--dim',
      '4',
      '--epochs',
      '1',
      '--threads',
      '1',
      '--min-count',
      '1',
      '-q',
      ...extra,
    ]);
    assert.equal(r.status, 0, r.stderr);
    return fs
      .readFileSync(path.join(out(name), 'vocab.tsv'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t')[0]);
  };
  const withPhrases = train('m-phrases', ['--phrases', '1', '--phrases-threshold', '1']);
  assert.deepEqual([...withPhrases].sort(), ['big', 'i', 'is', 'love', 'new', 'new_york', 'york'].sort());
  const meta = JSON.parse(fs.readFileSync(path.join(out('m-phrases'), 'meta.json'), 'utf8'));
  assert.equal(meta.training.config.phrases, 1);
  assert.equal(meta.training.config.phrasesThreshold, 1);
  assert.ok(!train('m-plain', []).includes('new_york'));
  assert.ok(!train('m-strict', ['--phrases', '1', '--phrases-threshold', '1.4']).includes('new_york'));
});
